use super::model::IpRow;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "customer_ips", input = Json, output = Json)]
pub async fn customer_ips(id: i32) -> Result<Vec<IpRow>, AppError> {
    crate::auth::require(crate::auth::Permission::IpsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::for_customer(db, id).await
}
