use crate::error::AppError;
use crate::events::model::EventRow;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The newest 200 events of a customer.
#[server(endpoint = "customer_events", input = Json)]
pub async fn customer_events(id: i32) -> Result<Vec<EventRow>, AppError> {
    crate::auth::require(crate::auth::Permission::LogView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::customers::areas::log::service::for_customer(db, id, 200).await
}
