use super::model::{LedgerFormStart, LedgerPage, PaymentForm};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};
#[cfg(feature = "ssr")]
use crate::events::actor::Actor;

#[server(endpoint = "customer_ledger", input = Json, output = Json)]
pub async fn customer_ledger(id: i32, page: u32) -> Result<LedgerPage, AppError> {
    require(Permission::BillingView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::page(db, id, page).await
}

/// What the panel's forms start from (read apart from the live-refreshed ledger).
#[server(endpoint = "ledger_forms", input = Json, output = Json)]
pub async fn ledger_forms(id: i32) -> Result<LedgerFormStart, AppError> {
    require(Permission::BillingView)?;
    // `forms` reads the customer once and refuses an unknown one.
    super::service::forms(&crate::web::state::app_state()?.db, id).await
}

/// The allowed payment methods and the postpaid limit, at the customer's version shown.
#[server(endpoint = "save_account_terms", input = Json, output = Json)]
pub async fn save_account_terms(id: i32, terms: super::model::TermsForm) -> Result<i64, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::set_terms(&ctx, Actor::Staff(staff.id), id, &terms).await
}

#[server(endpoint = "book_payment", input = Json, output = Json)]
pub async fn book_payment(id: i32, payment: PaymentForm) -> Result<i32, AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let amount = cents(&payment.amount, "amount")?;
    let fee = if payment.fee.trim().is_empty() { 0 } else { cents(&payment.fee, "fee")? };
    let payment = crate::billing::ledger::Payment {
        amount_cents: amount,
        fee_cents: fee,
        method: payment.method,
        booked_on: payment.booked_on,
        reference: payment.reference,
        invoices: Vec::new(),
        idempotency_key: payment.idempotency_key,
    };
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    Ok(crate::billing::ledger::book_payment(&ctx, Actor::Staff(staff.id), id, &payment).await?.entry_id)
}

/// An amount as typed, in cents, or the field's message.
#[cfg(feature = "ssr")]
fn cents(text: &str, field: &str) -> Result<i64, AppError> {
    crate::money::parse_cents(text).ok_or_else(|| {
        AppError::Validation(vec![crate::error::FieldError::new(field, "ledger.amount_invalid")])
    })
}

/// A manual credit or debit: the amount as typed ("12,50"), `debit` for a charge.
#[server(endpoint = "book_manual", input = Json, output = Json)]
pub async fn book_manual(
    id: i32,
    amount: String,
    debit: bool,
    special: bool,
    reason: String,
    booked_on: String,
) -> Result<i32, AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let cents = cents(&amount, "amount")?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let signed = if debit { -cents } else { cents };
    crate::billing::ledger::manual(&ctx, Actor::Staff(staff.id), id, signed, special, &reason, &booked_on)
        .await
}

#[server(endpoint = "reverse_entry", input = Json, output = Json)]
pub async fn reverse_entry(id: i32, entry: i32, reason: String) -> Result<i32, AppError> {
    let staff = require(Permission::LedgerReverse)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::ledger::reverse(&ctx, Actor::Staff(staff.id), id, entry, &reason).await
}
