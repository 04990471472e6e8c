use serde::{Deserialize, Serialize};

/// Kinds of mail a contact can receive in CC; "all" means every kind.
pub const CC_KINDS: &[&str] = &["invoices", "dunning", "tickets", "products", "all"];
/// Areas of the self-service area a contact's own login may open ("data": the customer's
/// master data; the others arrive with their areas and are gated by the same right).
pub const PORTAL_RIGHTS: &[&str] = &["data", "tickets", "invoices", "quotes", "products", "domains", "files"];

/// A contact person as the Kontakte form edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInput {
    /// None creates a contact.
    pub id: Option<i32>,
    /// The version the edit is based on (ignored for a new contact).
    pub version: i64,
    pub salutation: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub position: String,
    pub language: String,
    /// Subset of CC_KINDS.
    pub cc: Vec<String>,
    /// Whether the contact has an own login to the self-service area.
    pub portal_access: bool,
    /// Subset of PORTAL_RIGHTS.
    pub rights: Vec<String>,
}

impl ContactInput {
    /// The fields the Verlauf records, by name, as stored text.
    pub const FIELDS: &'static [&'static str] = &[
        "salutation",
        "first_name",
        "last_name",
        "email",
        "phone",
        "position",
        "language",
        "cc",
        "portal_access",
        "rights",
    ];

    pub fn read(&self, field: &str) -> Option<String> {
        Some(match field {
            "salutation" => self.salutation.clone(),
            "first_name" => self.first_name.clone(),
            "last_name" => self.last_name.clone(),
            "email" => self.email.clone(),
            "phone" => self.phone.clone(),
            "position" => self.position.clone(),
            "language" => self.language.clone(),
            "cc" => self.cc.join(","),
            "portal_access" => self.portal_access.to_string(),
            "rights" => self.rights.join(","),
            _ => return None,
        })
    }

    /// Set a field from its stored text; false for an unknown field.
    pub fn write(&mut self, field: &str, value: &str) -> bool {
        let list = |v: &str| v.split(',').filter(|s| !s.is_empty()).map(String::from).collect();
        match field {
            "salutation" => self.salutation = value.into(),
            "first_name" => self.first_name = value.into(),
            "last_name" => self.last_name = value.into(),
            "email" => self.email = value.into(),
            "phone" => self.phone = value.into(),
            "position" => self.position = value.into(),
            "language" => self.language = value.into(),
            "cc" => self.cc = list(value),
            "portal_access" => self.portal_access = value == "true",
            "rights" => self.rights = list(value),
            _ => return false,
        }
        true
    }

    pub fn name(&self) -> String {
        crate::customers::model::display_name(&self.first_name, &self.last_name, "")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub input: ContactInput,
    /// False once removed; removed contacts get no mail and cannot log in.
    pub active: bool,
    /// none | invited (no password yet) | active | disabled
    pub login: String,
    /// RFC 3339.
    pub updated_at: String,
}
