use serde::{Deserialize, Serialize};

crate::choice! {
    /// What a mail is about; contacts get the kinds they chose in CC ("general": nobody).
    /// `System`: account mails (invitations, resets); `Legacy`: sent before kinds were stored.
    pub enum MailKind default General {
        General = "general",
        Invoices = "invoices",
        Dunning = "dunning",
        Tickets = "tickets",
        Products = "products",
        System = "system",
        Legacy = "legacy",
    }
}

impl MailKind {
    /// The kinds staff may choose for a mail they write.
    pub const WRITABLE: &'static [MailKind] =
        &[MailKind::General, MailKind::Invoices, MailKind::Dunning, MailKind::Tickets, MailKind::Products];
}

crate::choice! {
    /// Where a mail is on its way out.
    pub enum MailStatus default Queued { Queued = "queued", Sending = "sending", Sent = "sent", Failed = "failed" }
}

/// A stored file a mail carries: the sender reads its bytes from the store at delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// The object's key in the store.
    pub key: String,
    pub sha256: String,
}

/// A mail as the E-Mails area shows it: the text exactly as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: i32,
    pub template: String,
    pub to_addr: String,
    pub cc: String,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub last_error: String,
    /// RFC 3339.
    pub created_at: String,
    pub sent_at: Option<String>,
    /// YYYY-MM-DD: the customer was erased and this mail is kept for a retention duty until
    /// then (read-only, shown to accounting only).
    #[serde(default)]
    pub blocked_until: Option<String>,
    /// The names of the files it carries.
    #[serde(default)]
    pub attachments: Vec<String>,
}
