//! The audit log's server function (the log itself is crate::audit).
use crate::audit::model::{AuditPage, AuditQuery};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit_log", input = Json, output = Json)]
pub async fn audit_log(query: AuditQuery) -> Result<AuditPage, AppError> {
    crate::auth::require(crate::auth::Permission::AuditView)?;
    crate::audit::service::list(&crate::web::state::app_state()?.db, &query).await
}
