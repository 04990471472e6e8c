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

/// "Lizenztransfers sperren / freigeben" (`version`: the customer's, as shown).
#[server(endpoint = "set_licence_transfers_locked", input = Json, output = Json)]
pub async fn set_licence_transfers_locked(id: i32, version: i64, locked: bool) -> Result<(), AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let flag = super::flags::Flag::TransfersLocked;
    super::flags::set(&ctx, crate::events::actor::Actor::Staff(staff.id), id, version, flag, locked).await
}

/// "Update-Service aktivieren / deaktivieren" for the customer and its active licences.
#[server(endpoint = "set_update_service", input = Json, output = Json)]
pub async fn set_update_service(id: i32, version: i64, on: bool) -> Result<(), AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let flag = super::flags::Flag::UpdateService;
    super::flags::set(&ctx, crate::events::actor::Actor::Staff(staff.id), id, version, flag, on).await
}

/// The open offers of the customer's licences to other customers.
#[server(endpoint = "licence_offers", input = Json, output = Json)]
pub async fn licence_offers(id: i32) -> Result<Vec<super::model::TransferOffer>, AppError> {
    require(Permission::ProductsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::transfers::offers(db, id, false).await
}

/// Offer a licence to the customer numbered `to`; they accept in the self-service area.
#[server(endpoint = "offer_licence_transfer", input = Json, output = Json)]
pub async fn offer_licence_transfer(
    id: i32,
    licence: i32,
    version: i64,
    to: String,
) -> Result<i32, AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::transfers::offer(&ctx, staff.id, id, (licence, version), &to).await
}

#[server(endpoint = "withdraw_licence_transfer", input = Json, output = Json)]
pub async fn withdraw_licence_transfer(id: i32, transfer: i32) -> Result<(), AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::transfers::withdraw(&ctx, staff.id, id, transfer).await
}

/// The hosts a licence is bound to.
#[server(endpoint = "licence_bindings", input = Json, output = Json)]
pub async fn licence_bindings(id: i32, licence: i32) -> Result<Vec<super::model::BindingRow>, AppError> {
    require(Permission::ProductsView)?;
    super::service::bindings(&crate::web::state::app_state()?.db, id, licence).await
}

/// "Bindungen zurücksetzen": the licence's hosts are released; the next checks bind anew.
#[server(endpoint = "reset_licence_bindings", input = Json, output = Json)]
pub async fn reset_licence_bindings(id: i32, licence: i32) -> Result<u64, AppError> {
    let staff = require(Permission::ProductsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::reset_bindings(&ctx, crate::events::actor::Actor::Staff(staff.id), id, licence).await
}
