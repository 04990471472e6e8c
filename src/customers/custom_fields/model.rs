//! Definitions of custom fields as the settings page edits them.
use serde::{Deserialize, Serialize};

pub const KINDS: &[&str] = &["text", "number", "date", "bool", "select"];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldInput {
    /// None creates a new field.
    pub id: Option<i32>,
    pub key: String,
    pub label_de: String,
    pub label_en: String,
    pub kind: String,
    /// Choices of a select field, one per line.
    pub options: String,
    pub required: bool,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldRow {
    pub id: i32,
    pub input: CustomFieldInput,
    /// How many customers have a value; the kind of a used field cannot change.
    pub used_by: u64,
}
