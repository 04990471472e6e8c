use serde::{Deserialize, Serialize};

crate::choice! {
    /// Where a licence stands. Only an active licence passes the licence check.
    pub enum LicenceStatus default InProgress {
        InProgress = "in_progress", Active = "active", Locked = "locked", Cancelled = "cancelled"
    }
}

crate::choice! {
    /// How often a licence (or hosting) is billed.
    pub enum BillingCycle default Yearly {
        OneTime = "one_time", Monthly = "monthly", Quarterly = "quarterly",
        Semiannual = "semiannual", Yearly = "yearly", Biennial = "biennial"
    }
}

/// A licence as the form edits it. Dates are `YYYY-MM-DD`, empty for none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceInput {
    /// None adds a licence (its key is generated).
    pub id: Option<i32>,
    /// The version the edit is based on (ignored for a new licence).
    pub version: i64,
    pub product_id: i32,
    pub version_bought: String,
    pub current_version: String,
    pub contract_date: String,
    pub status: LicenceStatus,
    /// Why it is locked (required when locked).
    pub lock_reason: String,
    /// The day it ended (required when cancelled).
    pub cancelled_on: String,
    pub billing_cycle: BillingCycle,
    pub update_service: bool,
    pub updates_until: String,
}

impl LicenceInput {
    /// The fields the Verlauf records, in form order.
    pub const FIELDS: &[&str] = &[
        "product",
        "version_bought",
        "current_version",
        "contract_date",
        "status",
        "lock_reason",
        "cancelled_on",
        "billing_cycle",
        "update_service",
        "updates_until",
    ];

    /// A field as stored text (the Verlauf's old and new values).
    pub fn read(&self, field: &str) -> Option<String> {
        Some(match field {
            "product" => self.product_id.to_string(),
            "version_bought" => self.version_bought.clone(),
            "current_version" => self.current_version.clone(),
            "contract_date" => self.contract_date.clone(),
            "status" => self.status.as_str().into(),
            "lock_reason" => self.lock_reason.clone(),
            "cancelled_on" => self.cancelled_on.clone(),
            "billing_cycle" => self.billing_cycle.as_str().into(),
            "update_service" => self.update_service.to_string(),
            "updates_until" => self.updates_until.clone(),
            _ => return None,
        })
    }

    /// Set a field from stored text (undo); false for an unknown field or value.
    pub fn write(&mut self, field: &str, value: &str) -> bool {
        match field {
            "product" => match value.parse() {
                Ok(id) => self.product_id = id,
                Err(_) => return false,
            },
            "version_bought" => self.version_bought = value.into(),
            "current_version" => self.current_version = value.into(),
            "contract_date" => self.contract_date = value.into(),
            "status" => match LicenceStatus::parse(value) {
                Some(s) => self.status = s,
                None => return false,
            },
            "lock_reason" => self.lock_reason = value.into(),
            "cancelled_on" => self.cancelled_on = value.into(),
            "billing_cycle" => match BillingCycle::parse(value) {
                Some(c) => self.billing_cycle = c,
                None => return false,
            },
            "update_service" => self.update_service = value == "true",
            "updates_until" => self.updates_until = value.into(),
            _ => return false,
        }
        true
    }
}

/// One licence in the Produkte panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceRow {
    pub input: LicenceInput,
    /// The key as shown (five groups of five).
    pub key: String,
    pub product_name: String,
    /// Update service booked, but its term has ended.
    pub updates_expired: bool,
    pub locked_at: Option<String>,
    pub updated_at: String,
}

/// One page of a customer's licences, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicencePage {
    pub rows: Vec<LicenceRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// Licences per page in the panel.
pub const PAGE_SIZE: u64 = 50;

/// What the licence form offers: the active products, and today's date as the default contract date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceChoices {
    pub products: Vec<crate::catalogue::model::ProductChoice>,
    /// `YYYY-MM-DD` in Germany.
    pub today: String,
}

crate::choice! {
    /// Where an offer to move a licence to another customer stands.
    pub enum TransferStatus default Offered {
        Offered = "offered", Accepted = "accepted", Declined = "declined", Withdrawn = "withdrawn", Expired = "expired"
    }
}

/// An open offer to move a licence: in the owner's Produkte panel (with the key) or in the
/// recipient's self-service area (without it until accepted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferOffer {
    pub id: i32,
    pub licence_id: i32,
    pub product: String,
    /// Empty for the recipient.
    pub key: String,
    /// The other customer's number: the recipient for the owner, the owner for the recipient.
    pub other_number: String,
    pub offered_at: String,
    pub expires_at: String,
}

/// A licence as the customer sees it in the self-service area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalLicence {
    pub product: String,
    pub key: String,
    pub current_version: String,
    pub status: LicenceStatus,
    pub updates_until: String,
    pub updates_expired: bool,
    /// The newest release the licence covers that has a file, when the customer may download.
    #[serde(default)]
    pub download: Option<PortalDownload>,
}

/// A release file the customer may fetch (`/portal/downloads/{release_id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDownload {
    pub release_id: i32,
    pub version: String,
    pub file_name: String,
}

/// The self-service area's Produkte page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalProductPage {
    pub licences: Vec<PortalLicence>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// Offers of other customers' licences waiting for this customer's answer.
    pub offers: Vec<TransferOffer>,
}

/// A host (and path) a licence is bound to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BindingRow {
    pub host: String,
    pub path: String,
    pub ip: String,
    pub first_seen_at: String,
    pub last_seen_at: String,
    pub checks: i64,
}
