use serde::{Deserialize, Serialize};

/// A software product as the settings form edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    /// None creates a product (and its signing key).
    pub id: Option<i32>,
    pub version: i64,
    /// Short stable name the licensed software sends (`shopx`): lower case, digits, dashes.
    pub slug: String,
    pub name: String,
    pub active: bool,
    /// Months one term of update service lasts.
    pub update_term_months: i32,
    /// Hosts one licence may be bound to.
    pub max_bindings: i32,
}

impl Default for ProductInput {
    fn default() -> Self {
        ProductInput {
            id: None,
            version: 0,
            slug: String::new(),
            name: String::new(),
            active: true,
            update_term_months: 12,
            max_bindings: 1,
        }
    }
}

/// A product in the settings list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub input: ProductInput,
    /// The Ed25519 public key (hex) the vendor builds into the software.
    pub public_key: String,
    /// Newest first.
    pub releases: Vec<ReleaseRow>,
    pub licences: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseInput {
    pub version: String,
    /// `YYYY-MM-DD`.
    pub released_on: String,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRow {
    pub id: i32,
    pub version: String,
    pub released_on: String,
    pub notes: String,
}

/// A product the licence form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChoice {
    pub id: i32,
    pub name: String,
    /// Its newest release, the form's default version.
    pub latest_version: Option<String>,
    pub update_term_months: i32,
}

/// A customer who gets a release: an active licence of the product whose update service covers
/// the release date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub customer_id: i32,
    pub number: String,
    pub name: String,
    /// The licence key as shown.
    pub key: String,
    pub current_version: String,
    pub updates_until: String,
}

/// "Who gets this update": one page of the recipients of a release, their number, and how many
/// active licences had update service that ended before the release.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientPage {
    pub product_name: String,
    pub version: String,
    pub released_on: String,
    /// The release's download ('' while it has none) and its size.
    pub file_name: String,
    pub file_size: i64,
    pub rows: Vec<Recipient>,
    pub total: u64,
    /// Update service booked but over before the release date: these do not get it.
    pub expired: u64,
    pub page: u32,
    pub pages: u32,
}

/// Recipients per page.
pub const RECIPIENTS_PAGE: u64 = 50;
