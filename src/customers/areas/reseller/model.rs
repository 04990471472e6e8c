use serde::{Deserialize, Serialize};

/// A customer a reseller registered, with what they have through the reseller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndCustomer {
    pub id: i32,
    pub number: String,
    pub name: String,
    /// The customer's status word (active, inactive, prospect …).
    pub status: String,
    /// The version the unlink is based on.
    pub version: i64,
    /// (product name, licence status word) of each licence.
    pub products: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndCustomerPage {
    pub rows: Vec<EndCustomer>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// End customers per page.
pub const PAGE_SIZE: u64 = 50;
