//! What /settings/dunning shows and saves: the four dunning levels, the dated base rates of
//! § 247 BGB, the outcome of a run started by hand, and the letters waiting to be printed.
//! Shared by the browser and the server.
pub use crate::settings::billing::model::RateState;
use serde::{Deserialize, Serialize};

/// The levels, in order: 0 the payment reminder, 1..3 the notices.
pub const LEVELS: [i32; 4] = [0, 1, 2, 3];

/// The highest fee a level may charge (a typo guard): 100,00 €.
pub const MAX_FEE_CENTS: i64 = 10_000;
/// Days after the due date a level may wait.
pub const MAX_DAYS: i32 = 365;
/// The deadline a notice may name, in days from its date.
pub const PAY_DAYS: std::ops::RangeInclusive<i32> = 1..=60;
/// The longest own text of a level.
pub const MAX_TEXT: usize = 2_000;

/// One level as stored; `version` is what a save must name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRow {
    pub level: i32,
    pub active: bool,
    pub days: i32,
    pub fee_business_cents: i64,
    pub fee_consumer_cents: i64,
    pub pay_days: i32,
    pub by_mail: bool,
    pub by_letter: bool,
    /// Empty: the standard text in the customer's language.
    pub text: String,
    pub version: i64,
}

/// One level as its row in the form saves it: numbers and amounts as typed ("2,50").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelInput {
    pub level: i32,
    pub active: bool,
    pub days: String,
    pub fee_business: String,
    pub fee_consumer: String,
    pub pay_days: String,
    pub by_mail: bool,
    pub by_letter: bool,
    pub text: String,
    /// The version the row was loaded with.
    pub version: i64,
}

impl LevelInput {
    /// The stored level as the form shows it, amounts with the locale's decimal sign.
    pub fn of(row: &LevelRow, decimal: char) -> LevelInput {
        let money = |cents: i64| crate::billing::amount::scaled_text(cents, 2, 2, decimal);
        LevelInput {
            level: row.level,
            active: row.active,
            days: row.days.to_string(),
            fee_business: money(row.fee_business_cents),
            fee_consumer: money(row.fee_consumer_cents),
            pay_days: row.pay_days.to_string(),
            by_mail: row.by_mail,
            by_letter: row.by_letter,
            text: row.text.clone(),
            version: row.version,
        }
    }
}

/// The field of a level's row that a validation message belongs to, e.g. `levels.2.days`.
pub fn level_field(level: i32, name: &str) -> String {
    format!("levels.{level}.{name}")
}

/// One dated base rate in basis points (1,27 % = 127; it may be negative).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseRateRow {
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    pub rate_bp: i32,
    pub state: RateState,
}

/// A page of the base rates, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseRatePage {
    pub rows: Vec<BaseRateRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// A new base rate as typed: a date and a percentage ("-0,88", "1,27").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseRateInput {
    pub valid_from: String,
    pub rate: String,
}

/// What a dunning run started by hand did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOutcome {
    pub customers: u64,
    pub notices: u64,
    pub fee_documents: u64,
    /// Overdue invoices not dunned because their customer has dunning switched off.
    pub skipped_off: u64,
}

/// A notice whose letter waits to be printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRow {
    pub id: i32,
    pub customer_id: i32,
    pub customer_number: String,
    pub customer_name: String,
    pub invoice_number: String,
    pub level: i32,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// Its PDF is archived (the link works); a fresh notice's PDF comes a moment later.
    pub archived: bool,
    /// The document that charges its fees and interest, printed with it (archived before it).
    #[serde(default)]
    pub fee_invoice_id: Option<i32>,
}

/// A page of the letters to print, oldest first (the order they were sent in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterPage {
    pub rows: Vec<LetterRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// Base rate rows per page (two a year).
pub const RATES_PER_PAGE: u64 = 25;
/// Letters per page.
pub const LETTERS_PER_PAGE: u64 = 25;
