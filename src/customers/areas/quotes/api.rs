use super::model::QuotePage;
use crate::billing::model::QuoteInput;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};
#[cfg(feature = "ssr")]
use crate::events::actor::Actor;

#[server(endpoint = "customer_quotes", input = Json, output = Json)]
pub async fn customer_quotes(id: i32, page: u32) -> Result<QuotePage, AppError> {
    require(Permission::BillingView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, page).await
}

/// Create a draft quote, or save a draft's lines, validity and note.
#[server(endpoint = "save_quote_draft", input = Json, output = Json)]
pub async fn save_quote_draft(id: i32, draft: QuoteInput) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::quotes::save_draft(&ctx, Actor::Staff(staff.id), id, &draft).await
}

/// A draft quote as its form edits it.
#[server(endpoint = "quote_draft", input = Json, output = Json)]
pub async fn quote_draft(id: i32, quote: i32) -> Result<QuoteInput, AppError> {
    require(Permission::BillingView)?;
    crate::billing::quotes::draft_input(&crate::web::state::app_state()?.db, id, quote).await
}

#[server(endpoint = "delete_quote_draft", input = Json, output = Json)]
pub async fn delete_quote_draft(id: i32, quote: i32) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::quotes::delete_draft(&ctx, id, quote).await
}

/// Send a draft: its number now, the archived PDF and the mail a few seconds later. Returns
/// the number.
#[server(endpoint = "send_quote", input = Json, output = Json)]
pub async fn send_quote(id: i32, quote: i32) -> Result<String, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::quotes::send(&ctx, Actor::Staff(staff.id), id, quote).await
}

/// Accept or decline a sent quote on the customer's behalf (a reason is required). Accepting
/// returns the draft invoice it became.
#[server(endpoint = "decide_quote", input = Json, output = Json)]
pub async fn decide_quote(
    id: i32,
    quote: i32,
    accept: bool,
    reason: String,
) -> Result<Option<i32>, AppError> {
    use crate::billing::quote_decision::{Decider, decide};
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let ip = crate::web::client_ip::current().map(|ip| ip.to_string()).unwrap_or_default();
    let decider = Decider::Staff { id: staff.id, ip: &ip };
    let today = crate::clock::business_day();
    Ok(decide(&ctx, id, quote, accept, decider, &reason, today).await?.invoice_id)
}

/// "Duplizieren": a new draft with the quote's lines; returns its id.
#[server(endpoint = "duplicate_quote", input = Json, output = Json)]
pub async fn duplicate_quote(id: i32, quote: i32) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::quotes::duplicate(&ctx, Actor::Staff(staff.id), id, quote).await
}
