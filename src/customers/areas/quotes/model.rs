//! The quotes list as the panel and the self-service area show it.
use serde::{Deserialize, Serialize};

crate::choice! {
    /// Where a quote stands: a draft without number, sent and waiting for the answer, accepted,
    /// declined, or expired unanswered.
    pub enum QuoteState default Draft { Draft = "draft", Sent = "sent", Accepted = "accepted",
        Declined = "declined", Expired = "expired" }
}

/// One quote in the list. Dates `YYYY-MM-DD`; amounts in cents of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRow {
    pub id: i32,
    pub number: Option<String>,
    pub state: QuoteState,
    pub issue_date: Option<String>,
    pub valid_until: String,
    pub currency: String,
    pub net_cents: i64,
    pub gross_cents: i64,
    /// Lines billed every interval (they become recurring items once accepted).
    pub recurring: u32,
    /// Its PDF is archived (set when it is sent) and can be downloaded.
    pub archived: bool,
    /// Who answered ("customer" or the staff member's name), when, and why.
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decided_reason: String,
    /// The draft invoice an accepted quote became (its id; None once that draft is deleted).
    pub invoice_id: Option<i32>,
    /// That invoice's number once finalised.
    pub invoice_number: Option<String>,
    /// Sent, still valid and unanswered: it can be accepted or declined.
    pub open: bool,
}

/// One page of a customer's quotes, newest first, with how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotePage {
    pub rows: Vec<QuoteRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// Quotes per page.
pub const PAGE_SIZE: u64 = 25;
