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

/// "1.250,50" / "1250.5" / "1250" → cents; None for anything else. Empty is handled by callers.
pub fn parse_cents(text: &str) -> Option<i64> {
    let t = text.trim().replace([' ', '€'], "");
    // The last separator followed by one or two digits is the decimal one; others group.
    let (units, cents) = match t.rfind([',', '.']) {
        Some(i) if t.len() - i - 1 <= 2 && t.len() - i > 1 => (&t[..i], &t[i + 1..]),
        _ => (t.as_str(), ""),
    };
    let units: String = units.chars().filter(|c| *c != '.' && *c != ',').collect();
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || !cents.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse::<i64>().ok()?,
    };
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// Cents as the form shows them: "1250,50" / "1250.50".
pub fn cents_text(cents: i64, decimal: char) -> String {
    format!("{}{decimal}{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::parse_cents;

    #[test]
    fn fees_are_read_in_german_and_english_spelling_to_the_cent() {
        assert_eq!(parse_cents("1.250,50"), Some(125_050));
        assert_eq!(parse_cents("1,250.50"), Some(125_050));
        assert_eq!(parse_cents("1250,5"), Some(125_050));
        assert_eq!(parse_cents("1250"), Some(125_000));
        assert_eq!(parse_cents("0,99 €"), Some(99));
        assert_eq!(parse_cents("1.250"), Some(125_000), "a thousands dot with three digits groups");
        for bad in ["", "abc", "-5", "1,2,3x", "12,345,6789x"] {
            assert_eq!(parse_cents(bad), None, "{bad}");
        }
    }
}
