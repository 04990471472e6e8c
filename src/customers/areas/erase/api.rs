use crate::codec::Json;
use crate::error::AppError;
use crate::records::model::{ErasureOutcome, ErasurePreview, ErasureRequest};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// What "Kunde löschen" would do to customer `id`, class by class.
#[server(endpoint = "preview_erasure", input = Json, output = Json)]
pub async fn preview_erasure(id: i32) -> Result<ErasurePreview, AppError> {
    require(Permission::CustomersErase)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::erase::service::preview(db, id).await
}

/// Erase the customer as previewed; deleting outright needs its own permission.
#[server(endpoint = "erase_customer", input = Json, output = Json)]
pub async fn erase_customer(request: ErasureRequest) -> Result<ErasureOutcome, AppError> {
    let staff = require(Permission::CustomersErase)?;
    if request.hard_delete && !staff.can(Permission::CustomersHardDelete) {
        return Err(AppError::Forbidden);
    }
    let state = crate::web::state::app_state()?;
    let progress = crate::records::progress::Progress::live(
        state.live.clone(),
        request.customer_id,
        "erase",
        &staff.name,
    );
    let number = crate::customers::service::detail(&state.db, request.customer_id).await?.number;
    let outcome = super::service::erase(&state.ctx(&staff.name), staff.id, &request, &progress).await?;
    let mut act =
        crate::audit::service::Act::new("customer_erased", number).change("", outcome.outcome.clone());
    if !request.hard_delete {
        act = act.customer(request.customer_id);
    }
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(outcome)
}
