//! Domains as the panel sees them.
use serde::{Deserialize, Serialize};

/// Domains per page in the panel.
pub const PAGE_SIZE: u64 = 25;

crate::choice! {
    /// Where a domain stands in its lifecycle; `error` carries the registry's text.
    pub enum DomainStatus default Ordered {
        Ordered = "ordered", RegistrationPending = "registration_pending",
        TransferPending = "transfer_pending", Active = "active", TransferOut = "transfer_out",
        Expired = "expired", Redemption = "redemption", Deleted = "deleted", Error = "error"
    }
}

crate::choice! {
    /// How a domain comes to us: registered new, or transferred from another provider.
    pub enum DomainOrder default Register {
        Register = "register", Transfer = "transfer"
    }
}

impl DomainStatus {
    /// Ordered or on its way at the registry, not yet ours.
    pub fn waiting(self) -> bool {
        matches!(
            self,
            DomainStatus::Ordered | DomainStatus::RegistrationPending | DomainStatus::TransferPending
        )
    }

    /// Gone from us: its name may be ordered again.
    pub fn ended(self) -> bool {
        matches!(self, DomainStatus::Deleted | DomainStatus::TransferOut)
    }
}

/// A new domain as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainInput {
    /// As typed: Unicode or A-label, any case.
    pub name: String,
    pub order: DomainOrder,
    pub auto_renew: bool,
    /// For a transfer: the auth code from the current provider (kept sealed).
    #[serde(default)]
    pub authcode: String,
}

/// One domain in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRow {
    pub id: i32,
    /// Shown in Unicode.
    pub name: String,
    pub ace: String,
    pub status: DomainStatus,
    /// How it comes to us (register new or transfer in).
    pub order: DomainOrder,
    pub error_text: String,
    /// YYYY-MM-DD or ''.
    pub expires_on: String,
    /// YYYY-MM-DD or '' (none where the registry sells no terms).
    pub registry_expires_on: String,
    pub auto_renew: bool,
    pub transfer_lock: bool,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainPage {
    pub rows: Vec<DomainRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// What staff change on a domain itself, apart from the registry: whether it renews on its own
/// and until when the customer has paid (`YYYY-MM-DD`, '' for not yet).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainTerms {
    pub auto_renew: bool,
    pub expires_on: String,
    pub version: i64,
}

impl DomainTerms {
    /// The fields the Verlauf records.
    pub const FIELDS: &[&str] = &["auto_renew", "expires_on"];

    pub fn read(&self, field: &str) -> Option<String> {
        Some(match field {
            "auto_renew" => self.auto_renew.to_string(),
            "expires_on" => self.expires_on.clone(),
            _ => return None,
        })
    }

    pub fn write(&mut self, field: &str, value: &str) -> bool {
        match field {
            "auto_renew" => self.auto_renew = value == "true",
            "expires_on" => self.expires_on = value.into(),
            _ => return false,
        }
        true
    }
}

/// The actions a customer price can replace the list price of.
pub const PRICE_ACTIONS: [&str; 3] = ["register", "transfer", "renew"];

/// Endings per page in "Preise bearbeiten".
pub const PRICE_PAGE_SIZE: u64 = 25;

/// One ending with its list prices for a year and the customer's own, in cents (`None`: none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPrice {
    pub tld_id: i32,
    /// The ending as people read it.
    pub tld: String,
    /// register, transfer, renew (as `PRICE_ACTIONS`).
    pub list: [Option<i64>; 3],
    pub own: [Option<i64>; 3],
    /// Of the customer's price row; 0 while the customer has none.
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPricePage {
    /// Endings with an own price first, then by name.
    pub rows: Vec<CustomerPrice>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// The customer's prices for one ending as typed ('' = the list price applies), saved at the
/// version shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPriceInput {
    pub tld_id: i32,
    pub own: [String; 3],
    pub version: i64,
}

crate::choice! {
    /// The customer's domain switches under the sidebar.
    pub enum DomainFlag default Contacts {
        Contacts = "contacts", Api = "api", AuthcodeLocked = "authcode_locked"
    }
}

/// A domain as the self-service area shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDomainRow {
    pub id: i32,
    pub name: String,
    pub ace: String,
    pub status: DomainStatus,
    /// YYYY-MM-DD or ''.
    pub expires_on: String,
    pub auto_renew: bool,
    pub nameservers: Vec<String>,
    /// An auth code can be asked for (the domain is with us and has one).
    pub has_authcode: bool,
    pub tech_handle: String,
    pub zone_handle: String,
    pub version: i64,
}

/// What the customer changes on a domain in the self-service area: its nameservers (one per
/// line) and, with contact management on, its Tech-C and Zone-C handles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDomainInput {
    pub nameservers: String,
    /// Absent from the plain form while contact management is off.
    #[serde(default)]
    pub tech_handle: String,
    #[serde(default)]
    pub zone_handle: String,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDomainPage {
    pub rows: Vec<PortalDomainRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// "Authcode-Abfrage deaktivieren" is on: no code is shown, and the page says why.
    pub authcode_locked: bool,
    /// "Kontakt-Verwaltung" is on: the customer may set own Tech-C and Zone-C handles.
    pub contacts_enabled: bool,
}

/// The manual registrar: staff registered (or moved) the domain by hand and confirm it with the
/// dates the registry shows (`YYYY-MM-DD`; the registry's expiry '' where it sells no terms).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainConfirm {
    pub registered_on: String,
    pub registry_expires_on: String,
    pub version: i64,
}

crate::choice! {
    /// What a registrar job does at the registry.
    pub enum DomainJobAction default Register {
        Register = "register", Transfer = "transfer", Renew = "renew", Sync = "sync", Delete = "delete",
        // Bring the registry's nameservers and handles to what the domain holds now.
        Update = "update"
    }
}

/// Jobs per page in a domain's own view.
pub const JOB_PAGE_SIZE: u64 = 10;

/// One line of a registrar job's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobLine {
    /// RFC 3339.
    pub at: String,
    pub attempt: i32,
    pub level: String,
    pub step: String,
    pub message: String,
}

/// A registrar job with its log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: i32,
    pub action: DomainJobAction,
    /// queued | running | done | failed | cancelled
    pub status: String,
    pub attempts: i32,
    /// RFC 3339.
    pub created_at: String,
    pub finished_at: String,
    pub last_error: String,
    pub lines: Vec<JobLine>,
}

/// A domain's own view: everything about it, and its registrar jobs in pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainView {
    pub row: DomainRow,
    /// The registrar's name; '' where staff register by hand.
    pub registrar: String,
    /// Jobs go to a registrar module (renew, sync, delete can be asked for).
    pub automatic: bool,
    /// YYYY-MM-DD or ''.
    pub registered_on: String,
    pub registry_status: String,
    /// RFC 3339 or ''.
    pub synced_at: String,
    pub nameservers: Vec<String>,
    /// owner, admin, tech, zone.
    pub handles: [String; 4],
    pub jobs: Vec<JobRow>,
    pub job_total: u64,
    pub job_page: u32,
    pub job_pages: u32,
}
