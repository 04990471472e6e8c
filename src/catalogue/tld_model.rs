//! The TLD price list as the settings page edits it: per ending its periods and the list
//! prices per action and term. Amounts travel as typed text; the server reads them to cents.
use serde::{Deserialize, Serialize};

/// The actions priced per term (1–10 years); a restore has one price.
pub const TERM_ACTIONS: [&str; 3] = ["register", "transfer", "renew"];
pub const RESTORE: &str = "restore";
pub const MAX_YEARS: i32 = 10;
pub const PAGE_SIZE: u64 = 50;

/// One price: `action` for `years` (a restore: 1), the amount as typed ('' = not offered).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceCell {
    pub action: String,
    pub years: i32,
    pub amount: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TldInput {
    /// None adds an ending.
    pub id: Option<i32>,
    pub version: i64,
    /// As typed (`.de`, `co.uk`, `рф`); kept as its A-label.
    pub tld: String,
    pub grace_days: i32,
    pub redemption_days: i32,
    pub authcode_required: bool,
    /// The registry sells terms (off: it bills monthly and keeps no expiry, like DENIC).
    pub terms: bool,
    pub active: bool,
    /// The registrar orders under this ending go to; None: staff register by hand.
    #[serde(default)]
    pub registrar_id: Option<i32>,
    pub prices: Vec<PriceCell>,
}

impl TldInput {
    /// The amount typed for `action` and `years` ('' when none).
    pub fn amount(&self, action: &str, years: i32) -> String {
        self.prices
            .iter()
            .find(|p| p.action == action && p.years == years)
            .map(|p| p.amount.clone())
            .unwrap_or_default()
    }

    pub fn set_amount(&mut self, action: &str, years: i32, amount: String) {
        match self.prices.iter_mut().find(|p| p.action == action && p.years == years) {
            Some(p) => p.amount = amount,
            None => self.prices.push(PriceCell { action: action.into(), years, amount }),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TldRow {
    pub input: TldInput,
    /// The ending as people read it (`рф` for `xn--p1ai`).
    pub unicode: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TldPage {
    pub rows: Vec<TldRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}
