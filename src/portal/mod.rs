//! The customer self-service area under /portal: login, password reset by link, a dashboard and
//! the customer's own master data. A customer only ever reaches their own data: every portal
//! server function takes the customer from the session, never from the request.
pub mod api;
pub mod domains;
#[cfg(feature = "ssr")]
pub mod downloads;
pub mod files;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod impersonation;
pub mod invoices;
pub mod mandate;
pub mod own_data;
pub mod products;
pub mod quotes;
pub mod reseller;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod service;
pub mod view;

use crate::customers::areas::contacts::model::PortalRight;
use serde::{Deserialize, Serialize};

/// The logged-in customer of a portal request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerIdentity {
    pub login_id: i32,
    pub customer_id: i32,
    pub number: String,
    /// The customer's name, or the contact's when a contact is logged in.
    pub name: String,
    /// Set when the login is a contact's own.
    pub contact_id: Option<i32>,
    /// The portal areas this login may open (a contact's rights; all for the customer).
    pub rights: Vec<PortalRight>,
    /// Set while a staff member acts as this customer: their name.
    pub impersonated_by: Option<String>,
    /// …and their id, for the log.
    pub impersonator_id: Option<i32>,
    /// When the session ends (RFC 3339), shown in the impersonation banner.
    pub session_ends: String,
    /// The customer is a reseller and this is its own login (not a contact's): it sees its end
    /// customers.
    pub is_reseller: bool,
}

/// Who is logged in, as the portal shows it: no ids (the session decides whose data it is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalUser {
    pub number: String,
    /// The customer's name, or the contact's when a contact is logged in.
    pub name: String,
    /// The login is a contact's own.
    pub is_contact: bool,
    pub rights: Vec<PortalRight>,
    /// Set while a staff member acts as this customer: their name, for the banner.
    pub impersonated_by: Option<String>,
    /// When the session ends (RFC 3339).
    pub session_ends: String,
    /// May open "Meine Endkunden".
    pub is_reseller: bool,
}

impl PortalUser {
    pub fn of(who: &CustomerIdentity) -> PortalUser {
        PortalUser {
            number: who.number.clone(),
            name: who.name.clone(),
            is_contact: who.contact_id.is_some(),
            rights: who.rights.clone(),
            impersonated_by: who.impersonated_by.clone(),
            session_ends: who.session_ends.clone(),
            is_reseller: who.is_reseller,
        }
    }

    /// Whether this login may open a portal area.
    pub fn may(&self, right: PortalRight) -> bool {
        self.rights.contains(&right)
    }
}

impl CustomerIdentity {
    /// Whether this login may open a portal area.
    pub fn may(&self, right: PortalRight) -> bool {
        self.rights.contains(&right)
    }

    /// Who acts (Verlauf, Log): the customer (or staff acting as them), or a contact.
    #[cfg(feature = "ssr")]
    pub fn actor(&self) -> crate::events::actor::Actor {
        use crate::events::actor::Actor;
        match self.contact_id {
            Some(_) => Actor::Contact { login_id: self.login_id },
            None => Actor::Customer { login_id: self.login_id, by_staff: self.impersonator_id },
        }
    }
}

/// The customer of the current portal request, allowed to open `right`'s area.
#[cfg(feature = "ssr")]
pub fn require_right(right: PortalRight) -> crate::error::AppResult<CustomerIdentity> {
    let me = require_customer()?;
    if me.may(right) { Ok(me) } else { Err(crate::error::AppError::Forbidden) }
}

/// Whether the customer's login uses a second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityStatus {
    pub totp_enabled: bool,
    pub recovery_codes_left: u32,
}

/// The customer of the current portal request, or `Unauthenticated`.
#[cfg(feature = "ssr")]
pub fn require_customer() -> crate::error::AppResult<CustomerIdentity> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CustomerIdentity>().cloned())
        .ok_or(crate::error::AppError::Unauthenticated)
}
