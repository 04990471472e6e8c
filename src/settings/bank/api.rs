//! Server functions of /settings/bank: `payments.book` for all; booking, discarding, assigning
//! and setting aside are audited.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "bank_imports", input = Json, output = Json)]
pub async fn bank_imports(page: u32) -> Result<ImportPage, AppError> {
    require(Permission::PaymentsBook)?;
    super::service::imports(&crate::web::state::app_state()?.db, page).await
}

#[server(endpoint = "bank_import", input = Json, output = Json)]
pub async fn bank_import(id: i32, page: u32) -> Result<ImportDetail, AppError> {
    require(Permission::PaymentsBook)?;
    super::service::import(&crate::web::state::app_state()?.db, id, page).await
}

/// Book every line of an import in preview.
#[server(endpoint = "book_bank_import", input = Json, output = Json)]
pub async fn book_bank_import(id: i32) -> Result<BookOutcome, AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let actor = crate::events::actor::Actor::Staff(staff.id);
    let o = crate::billing::bank::booking::book(&ctx, actor, id).await?;
    let outcome = BookOutcome {
        booked: o.booked,
        open: o.open,
        returned: o.returned,
        ignored: o.ignored,
        duplicates: o.duplicates,
    };
    let act = crate::audit::service::Act::new("bank_import_booked", format!("#{id}")).change(
        "",
        format!(
            "{} booked, {} open, {} returned, {} set aside, {} known",
            o.booked, o.open, o.returned, o.ignored, o.duplicates
        ),
    );
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(outcome)
}

/// Discard an import in preview.
#[server(endpoint = "discard_bank_import", input = Json, output = Json)]
pub async fn discard_bank_import(id: i32) -> Result<(), AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let db = crate::web::state::app_state()?.db;
    crate::billing::bank::import::discard(&db, &staff.name, id).await?;
    crate::auth::audit_trail::record(
        &staff,
        crate::audit::service::Act::new("bank_import_discarded", format!("#{id}")),
    )
    .await
}

#[server(endpoint = "open_payments", input = Json, output = Json)]
pub async fn open_payments(page: u32) -> Result<OpenPage, AppError> {
    require(Permission::PaymentsBook)?;
    super::service::open_payments(&crate::web::state::app_state()?.db, page).await
}

/// Book an open payment to a customer (and invoices); returns the customer's id.
#[server(endpoint = "assign_payment", input = Json, output = Json)]
pub async fn assign_payment(assignment: Assignment) -> Result<i32, AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let actor = crate::events::actor::Actor::Staff(staff.id);
    let a = &assignment;
    let customer = crate::billing::bank::assign::assign(
        &ctx,
        actor,
        a.line_id,
        a.version,
        &a.customer_number,
        &a.invoices,
    )
    .await?;
    let act = crate::audit::service::Act::new("bank_payment_assigned", format!("line {}", a.line_id))
        .change("", format!("{} {}", a.customer_number.trim(), a.invoices.trim()).trim().to_string());
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(customer)
}

/// Set an open payment aside with the reason.
#[server(endpoint = "set_payment_aside", input = Json, output = Json)]
pub async fn set_payment_aside(line_id: i32, version: i64, note: String) -> Result<(), AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let db = crate::web::state::app_state()?.db;
    crate::billing::bank::assign::set_aside(&db, &staff.name, line_id, version, &note).await?;
    let act = crate::audit::service::Act::new("bank_payment_set_aside", format!("line {line_id}"))
        .change("", note.trim().to_string());
    crate::auth::audit_trail::record(&staff, act).await
}
