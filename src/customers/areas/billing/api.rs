use super::model::ItemPage;
use crate::billing::model::ItemInput;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};
#[cfg(feature = "ssr")]
use crate::events::actor::Actor;

#[server(endpoint = "customer_billing_items", input = Json, output = Json)]
pub async fn customer_billing_items(id: i32, page: u32) -> Result<ItemPage, AppError> {
    require(Permission::BillingView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, page).await
}

#[server(endpoint = "save_billing_item", input = Json, output = Json)]
pub async fn save_billing_item(id: i32, item: ItemInput) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::items::save(&ctx, Actor::Staff(staff.id), id, &item).await
}

/// Pause (`paused`), resume (`active`) or end (`ended`) an item.
#[server(endpoint = "set_billing_item_status", input = Json, output = Json)]
pub async fn set_billing_item_status(id: i32, item: i32, status: String) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::items::set_status(&ctx, id, item, &status).await
}

/// Bill one interval of an item now: a finalised invoice; returns its number.
#[server(endpoint = "bill_item_now", input = Json, output = Json)]
pub async fn bill_item_now(id: i32, item: i32) -> Result<String, AppError> {
    let staff = require(Permission::InvoicesFinalise)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::items::bill_now(&ctx, Actor::Staff(staff.id), id, item).await
}

/// Put an item's next period on a draft invoice to check before finalising; returns the draft.
#[server(endpoint = "item_to_draft", input = Json, output = Json)]
pub async fn item_to_draft(id: i32, item: i32) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::items::add_to_draft(&ctx, Actor::Staff(staff.id), id, item).await
}

/// Run the billing for this customer now: everything due today; returns how many invoices.
#[server(endpoint = "run_customer_billing", input = Json, output = Json)]
pub async fn run_customer_billing(id: i32) -> Result<u64, AppError> {
    let staff = require(Permission::InvoicesFinalise)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let today = crate::customers::service::business_day();
    Ok(crate::billing::run::run_customer(&ctx, id, today).await?.invoices)
}

/// Switch a billing flag of the customer at the version shown.
#[server(endpoint = "set_billing_flag", input = Json, output = Json)]
pub async fn set_billing_flag(
    id: i32,
    version: i64,
    flag: super::model::BillingFlag,
    on: bool,
) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::set_flag(&ctx, Actor::Staff(staff.id), id, version, flag, on).await
}
