use serde::{Deserialize, Serialize};

crate::choice! {
    /// How urgent a note is; a pinned critical note shows as a danger in the warnings row.
    pub enum Priority default Medium { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
}

crate::choice! {
    /// How a note shows in the self-service area ("none": not at all).
    pub enum Visibility default Hidden { Hidden = "none", Info = "info", Success = "success", Warning = "warning", Error = "error" }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteInput {
    /// None creates a note.
    pub id: Option<i32>,
    /// The version the edit is based on (ignored for a new note).
    pub version: i64,
    pub title: String,
    pub body: String,
    pub priority: Priority,
    pub assigned_staff_id: Option<i32>,
    pub visibility: Visibility,
    pub pinned: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteVersion {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub edited_at: String,
    pub edited_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRow {
    pub input: NoteInput,
    pub assigned_name: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    /// Earlier versions, newest first.
    pub versions: Vec<NoteVersion>,
}

/// A note as the customer sees it in the self-service area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalNote {
    pub title: String,
    pub body: String,
    pub visibility: Visibility,
}
