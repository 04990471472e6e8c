//! Recurring items as the Abrechnung panel shows them.
use crate::billing::model::ItemInput;
use serde::{Deserialize, Serialize};

/// One recurring item with what the list shows beside its form values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    pub input: ItemInput,
    /// active | paused | ended
    pub status: String,
    pub next_due: String,
    pub periods_billed: u32,
    pub net_cents: i64,
}

/// One page of a customer's recurring items, with how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPage {
    pub rows: Vec<ItemRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub grouping_off: bool,
    pub today: String,
}

/// Items per page.
pub const PAGE_SIZE: u64 = 25;

crate::choice! {
    /// The customer's billing switches: "Positions-Gruppierung deaktivieren" (Abrechnung) and
    /// "Mahnungen deaktivieren" (Rechnungen).
    pub enum BillingFlag default GroupingOff { GroupingOff = "grouping_off", DunningOff = "dunning_off" }
}
