use super::model::{LicenceChoices, LicenceInput, LicencePage};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// One page of the customer's licences, newest first.
#[server(endpoint = "customer_licences", input = Json, output = Json)]
pub async fn customer_licences(id: i32, page: u32) -> Result<LicencePage, AppError> {
    require(Permission::ProductsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, page).await
}

/// The active products with their newest release, and today, for the licence form.
#[server(endpoint = "licence_form_meta", input = Json, output = Json)]
pub async fn licence_form_meta() -> Result<LicenceChoices, AppError> {
    require(Permission::ProductsView)?;
    let db = &crate::web::state::app_state()?.db;
    let products = crate::catalogue::service::choices(db).await?;
    Ok(LicenceChoices { products, today: super::service::today().to_string() })
}

#[server(endpoint = "save_licence", input = Json, output = Json)]
pub async fn save_licence(id: i32, licence: LicenceInput) -> Result<i32, AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::save(&ctx, crate::events::actor::Actor::Staff(staff.id), id, &licence).await
}
