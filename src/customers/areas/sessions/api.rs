use super::model::SessionRow;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_sessions", input = Json)]
pub async fn customer_sessions(id: i32) -> Result<Vec<SessionRow>, AppError> {
    require(Permission::SessionsView)?;
    let db = &crate::server::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::for_customer(db, id).await
}

/// End one session (`session`) or, without it, all of the customer's sessions.
#[server(endpoint = "end_customer_sessions", input = Json)]
pub async fn end_customer_sessions(id: i32, session: Option<String>) -> Result<u64, AppError> {
    let staff = require(Permission::SessionsEdit)?;
    let db = &crate::server::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    let ended = super::service::end(db, staff.id, id, session.as_deref()).await?;
    crate::live::bus::Bus::publish_here(crate::live::LiveEvent::new(
        id,
        crate::customers::areas::sessions::AREA.slug,
        &staff.name,
    ))
    .await;
    Ok(ended)
}
