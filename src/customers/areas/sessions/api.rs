use super::model::SessionRow;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_sessions", input = Json, output = Json)]
pub async fn customer_sessions(id: i32) -> Result<Vec<SessionRow>, AppError> {
    require(Permission::SessionsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::for_customer(db, id).await
}

/// End one session (`session`) or, without it, all of the customer's sessions.
#[server(endpoint = "end_customer_sessions", input = Json, output = Json)]
pub async fn end_customer_sessions(id: i32, session: Option<String>) -> Result<u64, AppError> {
    let staff = require(Permission::SessionsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::end(&ctx, staff.id, id, session.as_deref()).await
}
