//! What the self-service area shows and takes of the customer's own data: its own types, never
//! the staff profile, so pinned notes, price level, dunning and lock flags, reseller data, custom
//! fields, source and last IP cannot reach a customer or a contact.
use crate::customers::model::{CustomerForm, Salutation};
use serde::{Deserialize, Serialize};

/// Declares the form once: its text fields and switches, readable and writable by name.
macro_rules! own_form {
    (text: [$($t:ident),* $(,)?], flags: [$($f:ident),* $(,)?]) => {
        /// The master data a customer may change themselves (everything else stays with staff;
        /// the e-mail address changes only through a confirmed change).
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct OwnForm {
            #[serde(default)]
            pub salutation: Salutation,
            $(#[serde(default)] pub $t: String,)*
            $(#[serde(default)] pub $f: bool,)*
        }

        impl OwnForm {
            /// The field names, as the customer form names them.
            pub const FIELDS: &'static [&'static str] = &["salutation", $(stringify!($t),)* $(stringify!($f)),*];

            /// The customer's values of these fields.
            pub fn of(form: &CustomerForm) -> OwnForm {
                OwnForm { salutation: form.salutation, $($t: form.$t.clone(),)* $($f: form.$f,)* }
            }

            /// These fields into the customer's form; every other field keeps its value.
            pub fn apply_to(&self, form: &mut CustomerForm) {
                form.salutation = self.salutation;
                $(form.$t = self.$t.clone();)*
                $(form.$f = self.$f;)*
            }
        }

        impl crate::ui::fields::NamedFields for OwnForm {
            fn read(&self, name: &str) -> String {
                match name {
                    "salutation" => self.salutation.as_str().to_string(),
                    $(stringify!($t) => self.$t.clone(),)*
                    $(stringify!($f) => self.$f.to_string(),)*
                    _ => String::new(),
                }
            }

            fn write(&mut self, name: &str, value: String) {
                match name {
                    "salutation" => {
                        if let Some(s) = Salutation::parse(&value) {
                            self.salutation = s;
                        }
                    }
                    $(stringify!($t) => self.$t = value,)*
                    $(stringify!($f) => self.$f = value == "true",)*
                    _ => {}
                }
            }
        }
    };
}

own_form!(
    text: [
        first_name, last_name, company, phone, fax, street, house_number, postcode, city, country,
        website, vat_id, language, invoice_company, invoice_name, invoice_street,
        invoice_house_number, invoice_postcode, invoice_city, invoice_country,
    ],
    flags: [invoice_address_enabled, newsletter]
);

/// The customer's own data as the portal shows it: the changeable fields, the address mails go
/// to, the customer number, and the version a save starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnData {
    pub number: String,
    pub email: String,
    pub version: i64,
    pub form: OwnForm,
}

impl OwnData {
    pub fn of(number: &str, version: i64, form: &CustomerForm) -> OwnData {
        OwnData { number: number.into(), email: form.email.clone(), version, form: OwnForm::of(form) }
    }
}
