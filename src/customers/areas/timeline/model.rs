use serde::{Deserialize, Serialize};

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
