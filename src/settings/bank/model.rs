//! What the bank import pages show: the imports, an import's lines with their match, the open
//! payments waiting for staff.
use serde::{Deserialize, Serialize};

/// Imports per page.
pub const IMPORTS_PER_PAGE: u64 = 20;
/// Lines per page (an import's, the open payments).
pub const LINES_PER_PAGE: u64 = 50;

/// An uploaded statement file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub id: i32,
    pub file_name: String,
    /// camt053 | mt940
    pub format: String,
    pub line_count: i32,
    /// preview | booked | discarded
    pub state: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub done_by: String,
    pub done_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPage {
    pub rows: Vec<ImportRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// A statement line with its match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRow {
    pub id: i32,
    pub import_id: i32,
    pub position: i32,
    pub booked_on: String,
    pub amount_cents: i64,
    pub currency: String,
    pub counterparty: String,
    pub counterparty_iban: String,
    pub remittance: String,
    pub end_to_end_id: String,
    pub is_return: bool,
    pub return_reason: String,
    pub charges_cents: i64,
    /// preview | booked | open | assigned | ignored | returned | duplicate
    pub state: String,
    /// In preview: booked before from another file (it will book nothing).
    pub known: bool,
    pub customer_id: Option<i32>,
    pub customer_number: String,
    pub customer_name: String,
    /// The invoices it pays (proposed or as booked), by number.
    pub invoices: Vec<String>,
    /// invoice_number | customer_number | amount | return | staff | ''
    pub matched_by: String,
    pub note: String,
    pub done_by: String,
    pub version: i64,
}

/// How many of an import's lines are in each state, and (in preview) what booking would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub matched: u64,
    pub unmatched: u64,
    pub returns: u64,
    pub debits: u64,
    pub known: u64,
    /// Money in, in cents, of the lines counted (matched + unmatched).
    pub credits_cents: i64,
}

/// An import with one page of its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDetail {
    pub import: ImportRow,
    pub counts: Counts,
    pub lines: Vec<LineRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// One page of the open payments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenPage {
    pub lines: Vec<LineRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// What booking did, as the page reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookOutcome {
    pub booked: u64,
    pub open: u64,
    pub returned: u64,
    pub ignored: u64,
    pub duplicates: u64,
}

/// Staff's assignment of an open payment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub line_id: i32,
    pub version: i64,
    pub customer_number: String,
    /// Invoice numbers, comma-separated; empty: the oldest open ones.
    pub invoices: String,
}
