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
