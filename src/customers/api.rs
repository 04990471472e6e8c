//! Server functions of the customer pages: authenticate, call the service, map errors.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::{Permission, require},
    crate::customers::service,
    crate::web::state::app_state,
};

#[server(endpoint = "search_customers", input = Json, output = Json)]
pub async fn search_customers(query: ListQuery) -> Result<ListPage, AppError> {
    require(Permission::CustomersView)?;
    service::search(&app_state()?.db, &query).await
}

/// A customer with the warnings of its header and the figures of the areas this staff member
/// may see.
#[server(endpoint = "get_customer", input = Json, output = Json)]
pub async fn get_customer(id: i32) -> Result<CustomerProfile, AppError> {
    let me = require(Permission::CustomersView)?;
    let db = &app_state()?.db;
    let mut profile = service::profile(db, id).await?;
    profile.figures = service::figures(db, id).await?;
    profile.figures.retain(|f| crate::customers::areas::find(&f.area, &me).is_some());
    Ok(profile)
}

#[server(endpoint = "customer_form_meta", input = Json, output = Json)]
pub async fn customer_form_meta() -> Result<FormMeta, AppError> {
    require(Permission::CustomersView)?;
    service::form_meta(&app_state()?.db).await
}

#[server(endpoint = "save_customer", input = Json, output = Json)]
pub async fn save_customer(id: i32, version: i64, form: CustomerForm) -> Result<CustomerProfile, AppError> {
    let staff = require(Permission::CustomersEdit)?;
    let actor = service::Actor::Staff(staff.id);
    service::update(&app_state()?.ctx(&staff.name), actor, id, version, &form, service::today()).await
}

#[server(endpoint = "create_customer", input = Json, output = Json)]
pub async fn create_customer(form: CustomerForm) -> Result<i32, AppError> {
    let staff = require(Permission::CustomersEdit)?;
    let actor = service::Actor::Staff(staff.id);
    let db = app_state()?.db;
    let id = service::create(&db, actor, &form, "staff", service::today()).await?;
    let number = service::detail(&db, id).await?.number;
    crate::auth::audit_trail::record(
        &staff,
        crate::audit::service::Act::new("customer_created", number).customer(id),
    )
    .await?;
    Ok(id)
}

/// A new API key for the customer, shown once; the previous key stops working.
#[server(endpoint = "regenerate_api_key", input = Json, output = Json)]
pub async fn regenerate_api_key(id: i32) -> Result<String, AppError> {
    let staff = require(Permission::CustomersEdit)?;
    let state = app_state()?;
    let key =
        service::regenerate_api_key(&state.ctx(&staff.name), service::Actor::Staff(staff.id), id).await?;
    let number = service::detail(&state.db, id).await?.number;
    let act = crate::audit::service::Act::new("api_key_regenerated", number).customer(id);
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(key)
}

/// "Neues Passwort zusenden": a single-use reset link to the customer's address; returns it.
#[server(endpoint = "send_password_reset", input = Json, output = Json)]
pub async fn send_password_reset(id: i32) -> Result<String, AppError> {
    let staff = require(Permission::SendPassword)?;
    let state = app_state()?;
    crate::auth::portal_logins::staff_send_reset(
        &state.ctx(&staff.name),
        staff.id,
        id,
        &state.config.base_url,
    )
    .await
}

/// Who else has this customer's profile open right now (on any app instance).
#[server(endpoint = "profile_viewers", input = Json, output = Json)]
pub async fn profile_viewers(id: i32) -> Result<Vec<String>, AppError> {
    let me = require(Permission::CustomersView)?;
    Ok(app_state()?
        .live
        .viewers(id)
        .into_iter()
        .filter(|(staff, _)| *staff != me.id)
        .map(|(_, name)| name)
        .collect())
}
