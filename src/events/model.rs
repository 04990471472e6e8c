use serde::{Deserialize, Serialize};

/// Every kind of event; the Log translates each through `event.<kind>` (a test checks).
pub const KINDS: &[&str] = &[
    "login",
    "login_failed",
    "password_reset_requested",
    "password_reset_sent",
    "password_reset",
    "profile_changed",
    "sessions_ended",
    "impersonation_started",
    "impersonation_ended",
    "mail_sent",
    "mail_resent",
    "password_changed",
    "two_factor_enabled",
    "two_factor_disabled",
    "two_factor_failed",
    "data_report_issued",
    "customers_merged",
    "customer_erased",
    "licence_transfer_offered",
    "licence_transfer_withdrawn",
    "licence_transfer_accepted",
    "licence_transfer_declined",
    "licence_bound",
    "licence_bindings_reset",
    "reseller_unlinked",
    "hosting_added",
    "hosting_provisioned",
    "hosting_suspended",
    "hosting_unsuspended",
    "hosting_terminated",
    "hosting_failed",
    "domain_ordered",
    "domain_authcode_shown",
    "domain_registered",
    "domain_transferred",
    "domain_renewed",
    "domain_synced",
    "domain_transfer_pending",
    "domain_transferred_away",
    "domain_deleted",
    "domain_failed",
    "domain_updated",
    "domain_expired",
    "domain_redemption",
    "file_uploaded",
    "file_released",
    "file_withdrawn",
    "file_deleted",
    "file_expired",
    "file_downloaded",
    "file_sent",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i32,
    /// RFC 3339.
    pub at: String,
    /// Translated through `event.<kind>`.
    pub kind: String,
    /// customer | contact | staff | system
    pub actor_kind: String,
    /// The acting person's name when known.
    pub actor_name: String,
    /// Staff acting as the customer.
    pub impersonator_name: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub payload: String,
}
