use serde::{Deserialize, Serialize};

/// The kinds the timeline merges; each can be filtered on.
pub const KINDS: &[&str] = &["change", "event", "note", "mail"];

/// One entry of the customer's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    /// RFC 3339.
    pub at: String,
    /// change | event | note | mail
    pub kind: String,
    /// change: the field; event: its kind; note and mail: the title or subject.
    pub title: String,
    pub detail: String,
    pub actor: String,
}
