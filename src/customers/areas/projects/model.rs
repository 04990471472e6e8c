use serde::{Deserialize, Serialize};

crate::choice! {
    /// Where a project stands; every state but done counts as open.
    pub enum ProjectStatus default WaitingOrder {
        WaitingOrder = "waiting_order", WaitingInfo = "waiting_info", InProgress = "in_progress", Done = "done"
    }
}

/// A project as its form edits it. Dates `YYYY-MM-DD` (empty: none); the fee as typed in euros
/// and cents ("1.250,00", "1250.5"; empty: none), stored as integer cents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectInput {
    pub id: Option<i32>,
    pub version: i64,
    pub name: String,
    pub staff_id: Option<i32>,
    pub due_on: String,
    pub status: ProjectStatus,
    pub fee: String,
    pub description: String,
}

impl ProjectInput {
    /// The fields the Verlauf records.
    pub const FIELDS: &[&str] = &["name", "staff", "due_on", "status", "fee", "description"];

    pub fn read(&self, field: &str) -> Option<String> {
        Some(match field {
            "name" => self.name.clone(),
            "staff" => self.staff_id.map(|i| i.to_string()).unwrap_or_default(),
            "due_on" => self.due_on.clone(),
            "status" => self.status.as_str().into(),
            "fee" => self.fee.clone(),
            "description" => self.description.clone(),
            _ => return None,
        })
    }

    pub fn write(&mut self, field: &str, value: &str) -> bool {
        match field {
            "name" => self.name = value.into(),
            "staff" => self.staff_id = value.parse().ok(),
            "due_on" => self.due_on = value.into(),
            "status" => match ProjectStatus::parse(value) {
                Some(s) => self.status = s,
                None => return false,
            },
            "fee" => self.fee = value.into(),
            "description" => self.description = value.into(),
            _ => return false,
        }
        true
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub input: ProjectInput,
    pub staff_name: Option<String>,
    pub tasks_done: u32,
    pub tasks_total: u32,
    pub minutes: i64,
    /// Open and past its due date.
    pub overdue: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectPage {
    pub rows: Vec<ProjectRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// Staff who can be named on a project (id, name).
    pub staff: Vec<(i32, String)>,
    /// `YYYY-MM-DD` in Germany: the default day of a time entry.
    pub today: String,
}

/// Projects per page.
pub const PAGE_SIZE: u64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: i32,
    pub title: String,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRow {
    pub id: i32,
    pub staff_name: String,
    pub worked_on: String,
    pub minutes: i32,
    pub note: String,
    /// Turned into an invoice item: fixed.
    pub billed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeInput {
    pub worked_on: String,
    pub minutes: i32,
    pub note: String,
}

/// A project opened: its tasks in order and its time entries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenProject {
    pub row: ProjectRow,
    pub tasks: Vec<TaskRow>,
    pub time: Vec<TimeRow>,
}
