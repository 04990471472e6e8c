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
