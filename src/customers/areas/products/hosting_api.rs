//! The hosting server functions: reading is `products.view`, adding `products.edit`, and every
//! request that acts on a server (provision, suspend, unsuspend, terminate, retry) the dangerous
//! `products.provision`.
use super::hosting_model::{HostingChoices, HostingInput, HostingPage, HostingRequest, LogPage};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// One page of the customer's hostings, newest first, each with its latest job.
#[server(endpoint = "customer_hostings", input = Json, output = Json)]
pub async fn customer_hostings(id: i32, page: u32) -> Result<HostingPage, AppError> {
    require(Permission::ProductsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::hosting::list(db, id, page).await
}

/// The active packages, for the hosting form.
#[server(endpoint = "hosting_form_meta", input = Json, output = Json)]
pub async fn hosting_form_meta() -> Result<HostingChoices, AppError> {
    require(Permission::ProductsView)?;
    super::hosting::choices(&crate::web::state::app_state()?.db).await
}

#[server(endpoint = "add_hosting", input = Json, output = Json)]
pub async fn add_hosting(id: i32, hosting: HostingInput) -> Result<i32, AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::hosting::add(&ctx, crate::events::actor::Actor::Staff(staff.id), id, &hosting).await
}

/// Queue `request` for the customer's hosting (at `version`, as shown).
#[server(endpoint = "hosting_action", input = Json, output = Json)]
pub async fn hosting_action(
    id: i32,
    hosting: i32,
    version: i64,
    request: HostingRequest,
    reason: String,
) -> Result<(), AppError> {
    let staff = require(Permission::ProductsProvision)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let who = crate::auth::audit_trail::who(&staff);
    super::hosting_form::act(&ctx, &who, staff.id, id, (hosting, version), request, &reason).await
}

/// One page of a hosting's provisioning log, newest first.
#[server(endpoint = "hosting_log", input = Json, output = Json)]
pub async fn hosting_log(id: i32, hosting: i32, page: u32) -> Result<LogPage, AppError> {
    require(Permission::ProductsView)?;
    super::hosting::log(&crate::web::state::app_state()?.db, id, hosting, page).await
}
