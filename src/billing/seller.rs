//! The seller and the buyer as an invoice prints them: plain data, shared by the settings
//! form in the browser and the server (which loads, checks and freezes them in `parties`).
use serde::{Deserialize, Serialize};

/// A party's name and address as printed (and later written into the e-invoice).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The company, or the person's name.
    pub name: String,
    /// A person to the attention of ("z. Hd."), when the name is a company.
    #[serde(default)]
    pub contact: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    #[serde(default)]
    pub vat_id: String,
    #[serde(default)]
    pub tax_number: String,
    #[serde(default)]
    pub email: String,
    /// The buyer's customer number.
    #[serde(default)]
    pub number: String,
    /// BT-34 / BT-49 where it is not the e-mail address: an e-mail or a Peppol `scheme:id`.
    #[serde(default)]
    pub einvoice_address: String,
    /// The buyer's Leitweg-ID (BT-10), where they have one.
    #[serde(default)]
    pub leitweg_id: String,
}

/// The operator's data and tax settings, kept as one setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerSettings {
    pub party: Party,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub bic: String,
    #[serde(default)]
    pub bank: String,
    /// The SEPA creditor identifier (Gläubiger-ID) direct debits are collected under.
    #[serde(default)]
    pub creditor_id: String,
    /// Kleinunternehmer (§ 19 UStG).
    #[serde(default)]
    pub small_business: bool,
    /// One-Stop-Shop: EU consumers pay their country's VAT.
    #[serde(default)]
    pub oss: bool,
}
