//! Request and response types of the customer pages, shared by server and browser.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::ui::format::{display_name, encode_component};

/// Declares the master-data form once: its text fields and its flags, with access by name
/// so the form, the validation and the conflict view can walk every field.
macro_rules! customer_form {
    (
        choices: [$($c:ident: $ct:ty),* $(,)?],
        text: [$($t:ident),* $(,)?],
        flags: [$($f:ident),* $(,)?]
    ) => {
        /// Everything staff can edit in Daten, as chosen (choices), typed (text) and switched
        /// (flags).
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct CustomerForm {
            $(#[serde(default)] pub $c: $ct,)*
            $(#[serde(default)] pub $t: String,)*
            $(#[serde(default)] pub $f: bool,)*
            /// Operator-defined fields by key.
            #[serde(default)]
            pub custom: BTreeMap<String, String>,
        }

        impl CustomerForm {
            /// The fields read as text: the choices (as their words) and the typed ones.
            pub const TEXT_FIELDS: &'static [&'static str] = &[$(stringify!($c),)* $(stringify!($t)),*];
            pub const FLAGS: &'static [&'static str] = &[$(stringify!($f)),*];

            pub fn text(&self, name: &str) -> Option<&str> {
                match name {
                    $(stringify!($c) => Some(self.$c.as_str()),)*
                    $(stringify!($t) => Some(&self.$t),)*
                    _ => None,
                }
            }

            /// Sets a text field or a choice (by its word); false for an unknown field or a
            /// word outside the choice, which change nothing.
            pub fn set_text(&mut self, name: &str, value: &str) -> bool {
                match name {
                    $(stringify!($c) => match <$ct>::parse(value) {
                        Some(v) => { self.$c = v; true }
                        None => false,
                    },)*
                    $(stringify!($t) => { self.$t = value.to_string(); true })*
                    _ => false,
                }
            }

            pub fn flag(&self, name: &str) -> Option<bool> {
                match name { $(stringify!($f) => Some(self.$f),)* _ => None }
            }

            pub fn flag_mut(&mut self, name: &str) -> Option<&mut bool> {
                match name { $(stringify!($f) => Some(&mut self.$f),)* _ => None }
            }
        }
    };
}

crate::choice! {
    /// Where the customer stands with us.
    pub enum CustomerStatus default Active { Active = "active", Inactive = "inactive", Prospect = "prospect" }
}

crate::choice! {
    /// A private person or a business (a business needs a company name).
    pub enum CustomerKind default Person { Person = "person", Company = "company" }
}

crate::choice! {
    /// How letters address the person; `None` addresses by name only.
    pub enum Salutation default NoSalutation { Mr = "mr", Ms = "ms", Diverse = "diverse", NoSalutation = "none" }
}

customer_form!(
    choices: [status: CustomerStatus, kind: CustomerKind, salutation: Salutation],
    text: [
        first_name, last_name, company, email, phone, fax, birth_date,
        street, house_number, postcode, city, country, language, currency, website, vat_id,
        group_id, price_level, invoice_company, invoice_name, invoice_street,
        invoice_house_number, invoice_postcode, invoice_city, invoice_country,
        payment_term_days, taxation, reseller_number, own_nameservers, own_nameserver_glue,
        postpaid_limit, payment_methods, einvoice, leitweg_id, einvoice_address,
    ],
    flags: [
        invoice_address_enabled, is_reseller, newsletter, account_locked, orders_allowed,
        products_downloadable, api_access, dunning_off, licence_transfer_locked, update_service,
        domain_contacts_enabled, domain_api_enabled, authcode_locked, grouping_off, public_sector,
    ]
);

/// Allowed values of the choice fields kept as text; the UI labels them through
/// `choice.<field>.<value>`.
pub const LANGUAGES: &[&str] = &["de", "en"];
pub const CURRENCIES: &[&str] = &["EUR", "CHF", "USD", "GBP"];
pub const TAXATIONS: &[&str] = &["normal", "reverse_charge", "no_invoicing"];
pub const PRICE_LEVELS: &[&str] = &["standard", "reseller", "premium"];

/// By field name: `custom.<key>` addresses custom fields, flags read as "true"/"false".
impl crate::ui::fields::NamedFields for CustomerForm {
    fn read(&self, name: &str) -> String {
        if let Some(key) = name.strip_prefix("custom.") {
            return self.custom.get(key).cloned().unwrap_or_default();
        }
        self.text(name)
            .map(String::from)
            .or_else(|| self.flag(name).map(|b| b.to_string()))
            .unwrap_or_default()
    }

    fn write(&mut self, name: &str, value: String) {
        if let Some(key) = name.strip_prefix("custom.") {
            self.custom.insert(key.to_string(), value);
        } else if !self.set_text(name, &value)
            && let Some(flag) = self.flag_mut(name)
        {
            *flag = value == "true";
        }
    }
}

impl CustomerForm {
    /// A new customer's starting values.
    pub fn new_default() -> Self {
        CustomerForm {
            country: "DE".into(),
            language: "de".into(),
            currency: "EUR".into(),
            price_level: "standard".into(),
            payment_term_days: "14".into(),
            taxation: "normal".into(),
            einvoice: "none".into(),
            orders_allowed: true,
            products_downloadable: true,
            ..Default::default()
        }
    }

    /// Names of the fields whose values differ between two forms (custom fields as `custom.<key>`).
    pub fn differing_fields(&self, other: &CustomerForm) -> Vec<String> {
        let mut out: Vec<String> = Self::TEXT_FIELDS
            .iter()
            .filter(|f| self.text(f) != other.text(f))
            .chain(Self::FLAGS.iter().filter(|f| self.flag(f) != other.flag(f)))
            .map(|f| f.to_string())
            .collect();
        let keys: std::collections::BTreeSet<&String> =
            self.custom.keys().chain(other.custom.keys()).collect();
        for key in keys {
            let a = self.custom.get(key).map(String::as_str).unwrap_or("");
            let b = other.custom.get(key).map(String::as_str).unwrap_or("");
            if a != b {
                out.push(format!("custom.{key}"));
            }
        }
        out
    }
}

/// A customer as the profile shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub id: i32,
    pub number: String,
    pub version: i64,
    pub form: CustomerForm,
    pub display_name: String,
    pub group_name: Option<String>,
    pub pending_email: Option<String>,
    pub source: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub last_login_at: Option<String>,
    pub last_ip: Option<String>,
    /// Whether an API key exists (the key itself is never shown again).
    pub api_key_set: bool,
    /// RFC 3339, when the customer was erased ("Kunde löschen").
    #[serde(default)]
    pub erased_at: Option<String>,
}

/// What the profile shell shows of a customer: the record and its computed warnings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerProfile {
    pub detail: CustomerDetail,
    pub warnings: Vec<Warning>,
    /// The figures beside the areas' names in the sidebar, by area slug.
    #[serde(default)]
    pub figures: Vec<AreaFigure>,
}

/// How a sidebar figure reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FigureKind {
    /// How many there are ("Notizen 3"); zero is not shown.
    Count,
    /// An amount in cents ("Transaktionen −42,00 €").
    Cents,
    /// A share in percent ("Scoring 85 %").
    Percent,
}

/// The figure beside one area's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaFigure {
    pub area: String,
    pub value: i64,
    pub kind: FigureKind,
}

/// A critical warning of the profile header: a translation key and its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub key: String,
    /// danger | warning | info
    pub tone: String,
    pub args: Vec<(String, String)>,
}

/// The search of "Kunden > Auflisten", as carried in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub group: String,
    /// "" any, "yes" resellers only, "no" no resellers, or a reseller's customer number.
    #[serde(default)]
    pub reseller: String,
    /// number | name | city | created
    #[serde(default)]
    pub sort: String,
    /// asc | desc
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub page: u32,
}

pub const SORTS: &[&str] = &["name", "number", "city", "created"];
pub const PAGE_SIZE: u64 = 25;

impl ListQuery {
    /// The query string that reproduces this search (page 1 unless given).
    pub fn to_query_string(&self, page: u32) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("status", &self.status),
            ("group", &self.group),
            ("reseller", &self.reseller),
            ("sort", &self.sort),
            ("dir", &self.dir),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode_component(v)));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    pub id: i32,
    pub number: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub postcode: String,
    pub city: String,
    pub status: CustomerStatus,
    pub group_name: Option<String>,
    pub is_reseller: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage {
    pub rows: Vec<ListRow>,
    pub total: u64,
    /// More rows match than were counted (`total` is the cap).
    pub total_capped: bool,
    pub page: u32,
    pub pages: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOption {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldDef {
    pub key: String,
    pub label_de: String,
    pub label_en: String,
    /// text | number | date | bool | select
    pub kind: String,
    pub options: Vec<String>,
    pub required: bool,
}

/// What the master-data form needs besides the customer: choices and field definitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormMeta {
    pub groups: Vec<GroupOption>,
    pub custom_fields: Vec<CustomFieldDef>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::fields::NamedFields;

    #[test]
    fn choices_are_read_and_written_as_their_words_and_refuse_others() {
        let mut form = CustomerForm::new_default();
        assert_eq!(form.read("status"), "active");
        assert!(form.set_text("status", "prospect"));
        assert_eq!(form.status, CustomerStatus::Prospect);
        // A word outside the choice changes nothing, by name and through the form.
        assert!(!form.set_text("status", "deleted"));
        form.write("salutation", "sir".into());
        assert_eq!((form.status, form.salutation), (CustomerStatus::Prospect, Salutation::NoSalutation));
        assert!(serde_json::from_value::<CustomerForm>(serde_json::json!({"kind": "robot"})).is_err());
        let sent = serde_json::to_value(&form).unwrap();
        assert_eq!((sent["status"].as_str(), sent["kind"].as_str()), (Some("prospect"), Some("person")));
    }
}
