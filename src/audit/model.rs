//! What the audit log page asks for and shows.
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: u64 = 50;

/// The acts recorded, in the filter's order (translation keys `audit.action.<key>`).
pub const ACTIONS: &[&str] = &[
    "staff_login",
    "staff_login_failed",
    "staff_created",
    "staff_changed",
    "staff_sessions_ended",
    "role_saved",
    "policy_changed",
    "two_factor_reset",
    "api_key_regenerated",
    "customer_created",
    "impersonation_started",
    "data_report",
    "customers_merged",
    "customer_erased",
    "product_saved",
    "hosting_action",
    "server_saved",
    "tld_saved",
    "domain_authcode_shown",
    "domain_price_saved",
    "registrar_saved",
    "domain_requested",
    "release_file_saved",
    "seller_saved",
    "series_saved",
    "vat_rate_saved",
    "vat_rate_deleted",
    "dunning_levels_saved",
    "base_rate_saved",
    "base_rate_deleted",
    "dunning_run",
    "bank_import_uploaded",
    "bank_import_booked",
    "bank_import_discarded",
    "bank_payment_assigned",
    "bank_payment_set_aside",
    "sepa_collection_made",
];

/// The filter, carried in the URL (a plain GET form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// One of `ACTIONS`, or empty for all.
    pub action: String,
    /// A staff member's id, or empty for all.
    pub staff: String,
    /// First and last calendar day (YYYY-MM-DD, Europe/Berlin), each optional.
    pub from: String,
    pub to: String,
    /// Text in what was acted on (a customer number, an address, a role).
    pub q: String,
    pub page: u32,
}

impl AuditQuery {
    pub fn to_query_string(&self, page: u32) -> String {
        let enc = crate::ui::format::encode_component;
        format!(
            "action={}&staff={}&from={}&to={}&q={}&page={page}",
            enc(&self.action),
            enc(&self.staff),
            enc(&self.from),
            enc(&self.to),
            enc(&self.q)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i32,
    /// RFC 3339.
    pub at: String,
    pub staff_name: String,
    pub ip: Option<String>,
    pub action: String,
    pub target: String,
    pub customer_id: Option<i32>,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// Everyone who may appear, for the filter: (id, name).
    pub staff: Vec<(i32, String)>,
}
