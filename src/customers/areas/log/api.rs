use crate::codec::Json;
use crate::error::AppError;
use crate::events::model::EventRow;
use leptos::prelude::*;

/// The newest 200 events of a customer.
#[server(endpoint = "customer_events", input = Json, output = Json)]
pub async fn customer_events(id: i32) -> Result<Vec<EventRow>, AppError> {
    crate::auth::require(crate::auth::Permission::LogView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::customers::areas::log::service::for_customer(db, id, 200).await
}
