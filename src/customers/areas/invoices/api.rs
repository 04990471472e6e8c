use super::model::InvoicePage;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_invoices", input = Json, output = Json)]
pub async fn customer_invoices(id: i32, page: u32) -> Result<InvoicePage, AppError> {
    require(Permission::BillingView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, page).await
}

#[cfg(feature = "ssr")]
use crate::events::actor::Actor;

/// Create a draft invoice, or save a draft's lines and note.
#[server(endpoint = "save_invoice_draft", input = Json, output = Json)]
pub async fn save_invoice_draft(id: i32, draft: crate::billing::model::DraftInput) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::drafts::save_draft(&ctx, Actor::Staff(staff.id), id, &draft).await
}

/// A draft as its form edits it.
#[server(endpoint = "invoice_draft", input = Json, output = Json)]
pub async fn invoice_draft(id: i32, invoice: i32) -> Result<crate::billing::model::DraftInput, AppError> {
    require(Permission::BillingView)?;
    crate::billing::drafts::draft_input(&crate::web::state::app_state()?.db, id, invoice).await
}

/// Mail an archived invoice to the customer again, with its PDF.
#[server(endpoint = "resend_invoice", input = Json, output = Json)]
pub async fn resend_invoice(id: i32, invoice: i32) -> Result<(), AppError> {
    let staff = require(Permission::EmailsSend)?;
    require(Permission::BillingView)?;
    let state = crate::web::state::app_state()?;
    let ctx = state.ctx(&staff.name);
    super::mail::resend(&ctx, &state.store, id, invoice, staff.id).await
}

#[server(endpoint = "delete_invoice_draft", input = Json, output = Json)]
pub async fn delete_invoice_draft(id: i32, invoice: i32) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::drafts::delete_draft(&ctx, id, invoice).await
}

/// Finalise a draft; returns its number. A correction also supersedes its original, which takes
/// the right to cancel.
#[server(endpoint = "finalise_invoice", input = Json, output = Json)]
pub async fn finalise_invoice(id: i32, invoice: i32) -> Result<String, AppError> {
    let staff = require(Permission::InvoicesFinalise)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    if crate::billing::invoices::find(&ctx.db, id, invoice).await.is_ok_and(|i| i.kind == "correction") {
        require(Permission::InvoicesCancel)?;
    }
    Ok(crate::billing::invoices::finalise(&ctx, Actor::Staff(staff.id), id, invoice).await?.number)
}

/// Cancel a final invoice by a cancellation invoice; returns the cancellation's id.
#[server(endpoint = "cancel_invoice", input = Json, output = Json)]
pub async fn cancel_invoice(id: i32, invoice: i32, reason: String) -> Result<i32, AppError> {
    let staff = require(Permission::InvoicesCancel)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::cancellation::cancel(&ctx, Actor::Staff(staff.id), id, invoice, &reason).await
}

/// "Rechnung korrigieren": a correction draft with the final invoice's lines (or the one begun
/// already); returns its id.
#[server(endpoint = "start_invoice_correction", input = Json, output = Json)]
pub async fn start_invoice_correction(id: i32, invoice: i32) -> Result<i32, AppError> {
    let staff = require(Permission::InvoicesCancel)?;
    require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::correction::start(&ctx, Actor::Staff(staff.id), id, invoice).await
}

/// Pay an open invoice from the account's credit (down to the postpaid limit).
#[server(endpoint = "pay_invoice_from_credit", input = Json, output = Json)]
pub async fn pay_invoice_from_credit(id: i32, invoice: i32) -> Result<i64, AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::ledger::pay_from_credit(&ctx, id, invoice).await
}

#[server(endpoint = "customer_planned_items", input = Json, output = Json)]
pub async fn customer_planned_items(id: i32, page: u32) -> Result<super::model::PlannedPage, AppError> {
    require(Permission::BillingView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::planned(db, id, page).await
}

#[server(endpoint = "add_planned_item", input = Json, output = Json)]
pub async fn add_planned_item(id: i32, item: crate::billing::model::PlannedInput) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::planned::add(&ctx, Actor::Staff(staff.id), id, &item).await
}

#[server(endpoint = "remove_planned_item", input = Json, output = Json)]
pub async fn remove_planned_item(id: i32, item: i32) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::planned::remove(&ctx, id, item).await
}

/// The collective-invoice day as typed: empty for none, else 1–31.
#[server(endpoint = "set_collective_day", input = Json, output = Json)]
pub async fn set_collective_day(id: i32, day: String) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let day = match day.trim() {
        "" => None,
        d => Some(d.parse::<i32>().map_err(|_| {
            AppError::Validation(vec![crate::error::FieldError::new("collective_day", "planned.day_invalid")])
        })?),
    };
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::planned::set_collective_day(&ctx, id, day).await
}

/// Invoice the waiting planned items now; returns how many invoices.
#[server(endpoint = "bill_planned_now", input = Json, output = Json)]
pub async fn bill_planned_now(id: i32) -> Result<u64, AppError> {
    let staff = require(Permission::InvoicesFinalise)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::planned::bill_now(&ctx, id).await
}
