//! Server functions of the custom-field settings page.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "list_custom_fields", input = Json, output = Json)]
pub async fn list_custom_fields() -> Result<Vec<CustomFieldRow>, AppError> {
    crate::auth::require(crate::auth::Permission::SettingsFields)?;
    super::service::list(&crate::web::state::app_state()?.db).await
}

#[server(endpoint = "save_custom_field", input = Json, output = Json)]
pub async fn save_custom_field(input: CustomFieldInput) -> Result<i32, AppError> {
    crate::auth::require(crate::auth::Permission::SettingsFields)?;
    super::service::save(&crate::web::state::app_state()?.db, &input).await
}
