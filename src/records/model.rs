use serde::{Deserialize, Serialize};

/// One table's rows of a customer in the data report, as column → value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    /// The area that owns the table (its slug, e.g. "notes").
    pub area: String,
    pub table: String,
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Columns held but not given out (password hashes, token hashes), by name.
    pub withheld: Vec<String>,
}

/// Everything stored about one customer, area by area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub customer_number: String,
    /// The customer's language (de | en): the PDF is written in it.
    pub language: String,
    /// RFC 3339.
    pub generated_at: String,
    pub sections: Vec<ReportSection>,
}

/// What a merge would do: per table how many rows move to the kept customer, and every
/// master-data field in which the two differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePreview {
    pub duplicate_id: i32,
    pub keep_number: String,
    pub keep_version: i64,
    pub duplicate_number: String,
    pub duplicate_version: i64,
    /// (area, table, rows that move).
    pub moves: Vec<(String, String, u64)>,
    pub differing: Vec<FieldDifference>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDifference {
    /// A form field name (`custom.<key>` for custom fields).
    pub field: String,
    pub keep: String,
    pub duplicate: String,
}

/// A likely duplicate of a customer, with why it looks like one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeCandidate {
    pub id: i32,
    pub number: String,
    pub name: String,
    /// email | phone | address | ip
    pub reasons: Vec<String>,
}

/// Staff's decision: which customer stays, at which versions, and the fields whose value is
/// taken from the duplicate (all others keep the kept customer's value).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeChoice {
    pub keep_id: i32,
    pub keep_version: i64,
    pub duplicate_id: i32,
    pub duplicate_version: i64,
    pub take_from_duplicate: Vec<String>,
}

/// What erasure does with a customer's rows of one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fate {
    /// No retention duty: deleted now.
    Deleted,
    /// A retention duty: kept, read-only and visible only to accounting, until the day given
    /// (YYYY-MM-DD, the last day of the period); the retention job deletes it after.
    Blocked { class: String, until: String },
    /// The master record: personal fields cleared, the number kept.
    Anonymised,
}

/// One line of an erasure preview or record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureItem {
    pub area: String,
    pub table: String,
    pub rows: u64,
    pub fate: Fate,
}

/// What "Kunde löschen" would do to a customer, class by class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasurePreview {
    pub customer_number: String,
    pub version: i64,
    pub items: Vec<ErasureItem>,
    /// Only an account that never had business data (nothing to block) may be deleted outright.
    pub hard_delete_possible: bool,
    /// RFC 3339, when the customer was already erased.
    pub erased_at: Option<String>,
}

/// Staff's erasure order: which customer at which version, the reference of the person's
/// request, and whether to delete the account outright (administrators only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRequest {
    pub customer_id: i32,
    pub version: i64,
    pub request_ref: String,
    pub hard_delete: bool,
}

/// What an erasure did: `anonymised` or `hard_deleted`, with its lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureOutcome {
    pub outcome: String,
    pub items: Vec<ErasureItem>,
}

/// The Art. 15 meta information the report states besides the data, in this order.
pub const REPORT_TOPICS: [&str; 8] =
    ["purposes", "categories", "recipients", "storage", "rights", "complaint", "source", "scoring"];

/// The operator's texts of the report for one language: (topic, text) in `REPORT_TOPICS` order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTexts {
    /// de | en
    pub language: String,
    pub texts: Vec<(String, String)>,
}
