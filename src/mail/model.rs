use serde::{Deserialize, Serialize};

/// What a mail is about; contacts get the kinds they chose in CC ("general": nobody).
pub const MAIL_KINDS: &[&str] = &["general", "invoices", "dunning", "tickets", "products"];

/// A mail as the E-Mails area shows it: the text exactly as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: i32,
    pub template: String,
    pub to_addr: String,
    pub cc: String,
    pub subject: String,
    pub body: String,
    /// queued | sending | sent | failed
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    /// RFC 3339.
    pub created_at: String,
    pub sent_at: Option<String>,
    /// YYYY-MM-DD: the customer was erased and this mail is kept for a retention duty until
    /// then (read-only, shown to accounting only).
    #[serde(default)]
    pub blocked_until: Option<String>,
}
