use super::model::{ContactInput, ContactRow};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_contacts", input = Json, output = Json)]
pub async fn customer_contacts(id: i32) -> Result<Vec<ContactRow>, AppError> {
    require(Permission::CustomersView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id).await
}

/// Create or edit a contact of customer `id`; granting portal access mails an invitation.
#[server(endpoint = "save_contact", input = Json, output = Json)]
pub async fn save_contact(id: i32, contact: ContactInput) -> Result<i32, AppError> {
    let staff = require(Permission::CustomersEdit)?;
    let state = crate::web::state::app_state()?;
    let actor = crate::customers::service::Actor::Staff(staff.id);
    super::service::save(&state.ctx(&staff.name), actor, id, &contact, &state.config.base_url).await
}

/// Remove a contact: it stays in the Verlauf, gets no more mail and its login ends.
#[server(endpoint = "remove_contact", input = Json, output = Json)]
pub async fn remove_contact(id: i32, contact: i32, version: i64) -> Result<(), AppError> {
    let staff = require(Permission::CustomersEdit)?;
    let state = crate::web::state::app_state()?;
    let actor = crate::customers::service::Actor::Staff(staff.id);
    let base = &state.config.base_url;
    super::service::set_active(&state.ctx(&staff.name), actor, id, (contact, version), false, base, None)
        .await
}
