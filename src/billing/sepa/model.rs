//! SEPA direct debit as forms and lists show it: a customer's mandates, the collections made.
use serde::{Deserialize, Serialize};

/// A new mandate as staff enter it from the signed form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateInput {
    pub reference: String,
    /// YYYY-MM-DD
    pub signed_on: String,
    pub holder: String,
    pub iban: String,
    pub bic: String,
}

/// A mandate on file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateRow {
    pub id: i32,
    pub reference: String,
    pub signed_on: String,
    pub holder: String,
    /// Formatted in groups of four.
    pub iban: String,
    pub bic: String,
    /// FRST | RCUR
    pub sequence: String,
    /// active | revoked
    pub state: String,
    pub revoked_on: String,
    pub last_collected_on: String,
    pub version: i64,
}

/// An IBAN as the customer may see it: country, check digits and the last four.
pub fn masked(iban: &str) -> String {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 8 {
        return "****".into();
    }
    format!("{} **** **** {}", &compact[..4], &compact[compact.len() - 4..])
}

/// A collection exported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionRow {
    pub id: i32,
    pub message_id: String,
    pub collection_date: String,
    pub count: i32,
    pub total_cents: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionPage {
    pub rows: Vec<CollectionRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// The first day a collection may be asked for (tomorrow).
    pub earliest: String,
    /// The operator's creditor identifier and IBAN are set.
    pub creditor_ready: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_masked_iban_shows_the_country_and_the_last_four() {
        assert_eq!(super::masked("DE02 1203 0000 0000 2020 51"), "DE02 **** **** 2051");
        assert_eq!(super::masked("DE0"), "****");
    }
}
