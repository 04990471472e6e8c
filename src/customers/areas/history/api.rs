use super::model::ChangeRow;
use crate::codec::Json;
use crate::customers::model::CustomerProfile;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// The newest 300 changes; `who` is "", "staff", "customer" or "system".
#[server(endpoint = "customer_history", input = Json, output = Json)]
pub async fn customer_history(id: i32, who: String) -> Result<Vec<ChangeRow>, AppError> {
    require(Permission::HistoryView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, &who, 300).await
}

/// Undo one change: appends a reversing change; refused when the field changed since.
#[server(endpoint = "undo_change", input = Json, output = Json)]
pub async fn undo_change(id: i32, change: i32) -> Result<CustomerProfile, AppError> {
    let staff = require(Permission::HistoryUndo)?;
    let state = crate::web::state::app_state()?;
    let today = crate::customers::service::today();
    super::service::undo(&state.ctx(&staff.name), staff.id, id, change, today, &state.config.base_url).await
}
