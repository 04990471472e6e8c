use serde::{Deserialize, Serialize};

use crate::choice::{join, split};
use crate::mail::model::MailKind;

crate::choice! {
    /// Kinds of mail a contact can receive in CC; `All` means every kind.
    pub enum CcKind default Invoices {
        Invoices = "invoices",
        Dunning = "dunning",
        Tickets = "tickets",
        Products = "products",
        All = "all",
    }
}

impl CcKind {
    /// Whether a contact with this choice gets mail of `kind` in CC.
    pub fn covers(self, kind: MailKind) -> bool {
        matches!(
            (self, kind),
            (CcKind::All, MailKind::Invoices | MailKind::Dunning | MailKind::Tickets | MailKind::Products)
                | (CcKind::Invoices, MailKind::Invoices)
                | (CcKind::Dunning, MailKind::Dunning)
                | (CcKind::Tickets, MailKind::Tickets)
                | (CcKind::Products, MailKind::Products)
        )
    }
}

crate::choice! {
    /// A contact's own login to the self-service area: none, invited (no password yet), active,
    /// or disabled.
    pub enum LoginState default NoLogin { NoLogin = "none", Invited = "invited", Active = "active", Disabled = "disabled" }
}

crate::choice! {
    /// Areas of the self-service area a contact's own login may open (`Data`: the customer's
    /// master data; the others arrive with their areas and are gated by the same right).
    pub enum PortalRight default Data {
        Data = "data",
        Tickets = "tickets",
        Invoices = "invoices",
        Quotes = "quotes",
        Products = "products",
        Domains = "domains",
        Files = "files",
    }
}

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
    pub cc: Vec<CcKind>,
    /// Whether the contact has an own login to the self-service area.
    pub portal_access: bool,
    pub rights: Vec<PortalRight>,
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
            "cc" => join(&self.cc),
            "portal_access" => self.portal_access.to_string(),
            "rights" => join(&self.rights),
            _ => return None,
        })
    }

    /// Set a field from its stored text; false for an unknown field.
    pub fn write(&mut self, field: &str, value: &str) -> bool {
        match field {
            "salutation" => self.salutation = value.into(),
            "first_name" => self.first_name = value.into(),
            "last_name" => self.last_name = value.into(),
            "email" => self.email = value.into(),
            "phone" => self.phone = value.into(),
            "position" => self.position = value.into(),
            "language" => self.language = value.into(),
            "cc" => self.cc = split(value),
            "portal_access" => self.portal_access = value == "true",
            "rights" => self.rights = split(value),
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
    pub login: LoginState,
    /// RFC 3339.
    pub updated_at: String,
}
