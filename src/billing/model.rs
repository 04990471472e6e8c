//! What staff type into invoice and ledger forms, shared by the browser and the server.
use super::tax::TaxClass;
use serde::{Deserialize, Serialize};

/// One invoice line as typed: quantity with up to three decimals ("1,5"), unit price with up
/// to four ("9,99" or "0,0125"), service dates `YYYY-MM-DD` (empty: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_class: TaxClass,
    #[serde(default)]
    pub service_from: String,
    #[serde(default)]
    pub service_to: String,
    /// The recurring item whose period this line bills (a draft made from items); its service
    /// dates must stay that period.
    #[serde(default)]
    pub item: Option<i32>,
}

/// A draft invoice as its form saves it (`id` None: a new draft).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInput {
    pub id: Option<i32>,
    pub version: i64,
    pub lines: Vec<LineInput>,
    #[serde(default)]
    pub note: String,
}

/// Lines per invoice at most (a longer bill is several invoices).
pub const MAX_LINES: usize = 500;

/// The payment methods a customer can be allowed to use.
pub const METHODS: &[&str] = &["transfer", "direct_debit", "paypal", "card", "cash"];

/// The highest postpaid limit a form takes: 1,000,000.00 (a typo guard).
pub const MAX_POSTPAID_CENTS: i64 = 100_000_000;

/// A customer's allowed methods as stored: known ones in `METHODS` order, comma-separated;
/// empty allows every method.
pub fn methods_text(list: &str) -> String {
    let chosen: Vec<&str> = list.split(',').map(str::trim).collect();
    METHODS.iter().filter(|m| chosen.contains(m)).copied().collect::<Vec<_>>().join(",")
}

/// The words of a stored list that are no method (for the form's message).
pub fn unknown_methods(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty() && !METHODS.contains(m))
        .map(String::from)
        .collect()
}

crate::choice! {
    /// The unit of a recurring item's interval.
    pub enum Unit default Months { Days = "days", Weeks = "weeks", Months = "months", Years = "years" }
}

/// A recurring item as its form saves it: every `interval_count` × `interval_unit` from
/// `first_due` (`YYYY-MM-DD`), whose day of month anchors every later date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemInput {
    pub id: Option<i32>,
    pub version: i64,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_class: TaxClass,
    pub interval_unit: Unit,
    pub interval_count: u32,
    pub first_due: String,
}

/// A planned item (Geplante Posten) as its form adds it; the service date is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_class: TaxClass,
    #[serde(default)]
    pub service_date: String,
}

/// One quote line as typed: an invoice line without service dates, billed once (`interval`
/// None) or every `interval_count` × `interval` from the day the quote is accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_class: TaxClass,
    #[serde(default)]
    pub interval: Option<Unit>,
    #[serde(default)]
    pub interval_count: u32,
}

/// A draft quote as its form saves it (`id` None: a new draft); `valid_until` `YYYY-MM-DD`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteInput {
    pub id: Option<i32>,
    pub version: i64,
    pub valid_until: String,
    pub lines: Vec<QuoteLineInput>,
    #[serde(default)]
    pub note: String,
}

/// How long a new quote is valid by default: 30 days.
pub const QUOTE_VALID_DAYS: u64 = 30;
