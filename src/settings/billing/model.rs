//! What /settings/billing shows and saves: the seller's data, the number series and the dated
//! VAT rates. Shared by the browser and the server.
use crate::billing::seller::SellerSettings;
use serde::{Deserialize, Serialize};

/// The seller's data as the form saves it. `version` is the fingerprint of the data the form
/// was loaded with: a save over someone else's newer save is a conflict, not a silent overwrite.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerForm {
    pub seller: SellerSettings,
    pub version: String,
}

/// One number series with the number its next document gets today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesRow {
    pub id: i32,
    /// `invoice` (invoices and cancellations); quotes and dunning letters join later.
    pub key: String,
    pub pattern: String,
    /// The running number the next document gets (this year's counter where the pattern has a year).
    pub next: i64,
    /// That document's number, e.g. `RE-2026-00043`.
    pub preview: String,
}

/// A series as its form saves it: the pattern and the next running number (it may be raised,
/// e.g. to continue the numbers of a former system, never lowered).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesInput {
    pub id: i32,
    pub pattern: String,
    pub next: String,
}

/// Whether a dated rate is in force today, was replaced, or starts later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RateState {
    #[default]
    Current,
    Replaced,
    Future,
}

/// One dated VAT rate row of a country; rates in basis points (19 % = 1_900).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    pub country: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    pub standard_bp: i32,
    pub reduced_bp: i32,
    pub state: RateState,
}

/// A page of the rate table, by country and newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatePage {
    pub rows: Vec<RateRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// A new dated rate (or a correction of one that has not started yet).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateInput {
    pub country: String,
    pub valid_from: String,
    pub standard: String,
    pub reduced: String,
}

/// Everything the page shows at once (the rates come page by page).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingSettings {
    pub seller: SellerForm,
    pub series: Vec<SeriesRow>,
}

/// Rate rows per page.
pub const RATES_PER_PAGE: u64 = 40;
