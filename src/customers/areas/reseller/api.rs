use super::model::EndCustomerPage;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "reseller_end_customers", input = Json, output = Json)]
pub async fn reseller_end_customers(id: i32, page: u32) -> Result<EndCustomerPage, AppError> {
    require(Permission::ResellerView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::end_customers(db, id, page).await
}

/// "Verknüpfung entfernen": the end customer no longer belongs to this reseller (told by mail).
#[server(endpoint = "unlink_end_customer", input = Json, output = Json)]
pub async fn unlink_end_customer(id: i32, end: i32, version: i64) -> Result<(), AppError> {
    let staff = require(Permission::ResellerEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::unlink(&ctx, staff.id, id, (end, version)).await
}
