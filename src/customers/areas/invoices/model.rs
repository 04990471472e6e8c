//! The invoices list as the panel shows it.
use serde::{Deserialize, Serialize};

crate::choice! {
    /// Where an invoice stands: a draft without number, open until paid, or cancelled by a
    /// cancellation invoice.
    pub enum InvoiceState default Draft { Draft = "draft", Open = "open", Paid = "paid", Cancelled = "cancelled",
        Corrected = "corrected" }
}

crate::choice! {
    /// An invoice, its cancellation (Stornorechnung), a correction that names the original, or the
    /// document that charges a dunning notice's fees and interest.
    pub enum InvoiceKind default Invoice { Invoice = "invoice", Cancellation = "cancellation", Correction = "correction",
        Fee = "fee" }
}

/// One invoice in the list. Dates `YYYY-MM-DD`; amounts in cents of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: i32,
    pub number: Option<String>,
    pub kind: InvoiceKind,
    pub state: InvoiceState,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    pub currency: String,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub gross_cents: i64,
    pub paid_cents: i64,
    /// Open and past its due date.
    pub overdue: bool,
    /// Its PDF is archived (a few seconds after finalising) and can be downloaded.
    pub archived: bool,
    /// Its e-invoice XML is archived: `zugferd` or `xrechnung`.
    #[serde(default)]
    pub einvoice: Option<String>,
    /// The dunning notices sent for it, lowest level first (the last is its dunning level).
    #[serde(default)]
    pub dunning: Vec<NoticeRef>,
    /// A direct debit collecting it is under way: its collection day, `YYYY-MM-DD`.
    #[serde(default)]
    pub debit_on: Option<String>,
}

/// A dunning notice of an invoice as the lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRef {
    pub id: i32,
    /// 0: payment reminder, 1..3: notices.
    pub level: i32,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// Its PDF is archived and can be downloaded.
    pub archived: bool,
}

/// One page of a customer's invoices, newest first, with how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePage {
    pub rows: Vec<InvoiceRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// Invoices per page.
pub const PAGE_SIZE: u64 = 25;

/// A planned item waiting for its invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRow {
    pub id: i32,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub net_cents: i64,
    /// The day it is billed (None: with the next run).
    pub bill_on: Option<String>,
}

/// The waiting planned items a page at a time, and the customer's collective-invoice day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPage {
    pub rows: Vec<PlannedRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub collective_day: Option<i32>,
}

/// The self-service Rechnungen page: final invoices a page at a time, with the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalInvoices {
    pub invoices: InvoicePage,
    /// Positive: credit; negative: what the customer owes.
    pub balance: i64,
    /// What open invoices still owe.
    pub open_cents: i64,
    /// The German business day, for the statement form.
    pub today: String,
}
