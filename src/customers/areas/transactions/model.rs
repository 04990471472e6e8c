//! The credit account as the panel shows it: the tiles and one page of the ledger.
use serde::{Deserialize, Serialize};

/// One ledger entry. Amounts in cents (positive: in the customer's favour).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: i32,
    pub kind: String,
    pub booked_on: String,
    pub description: String,
    pub reference: String,
    pub method: String,
    pub amount_cents: i64,
    pub fee_cents: i64,
    pub balance_after: i64,
    pub special: bool,
    /// Who booked it (a staff member's name, or the system).
    pub booked_by: String,
    /// The entry this one reverses.
    pub reverses: Option<i32>,
    /// Reversed by a later entry.
    pub reversed: bool,
    /// The invoice number it charged or cancelled.
    pub invoice: Option<String>,
}

/// The tiles and one page of entries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub balance: i64,
    pub special: i64,
    pub paid_in: i64,
    pub spent: i64,
    /// What open invoices still owe.
    pub open_cents: i64,
    pub postpaid_limit: i64,
    /// The allowed payment methods, comma-separated (empty: all).
    pub methods: String,
    pub rows: Vec<EntryRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// What the panel's forms start from. Read apart from the ledger, which refreshes whenever
/// anyone books: a half-typed payment stays as it is until its own save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFormStart {
    /// The German business day.
    pub today: String,
    /// A fresh one-time key for the payment form.
    pub form_key: String,
    /// The customer's version, for the terms form.
    pub version: i64,
    /// The allowed payment methods, comma-separated (empty: all).
    pub methods: String,
    pub postpaid_limit: i64,
}

/// Entries per page.
pub const PAGE_SIZE: u64 = 25;

/// The payment form as typed: amounts in euros and cents ("119,00"; the fee may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub amount: String,
    pub fee: String,
    pub method: String,
    pub booked_on: String,
    pub reference: String,
    /// Made once per opened form: sending it twice books once.
    pub idempotency_key: String,
}

/// The account terms as their form saves them: the allowed payment methods (none chosen: all)
/// and the postpaid limit in euros ("0" or empty: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsForm {
    pub version: i64,
    pub methods: Vec<String>,
    pub limit: String,
}
