//! Server functions of /settings/registrars: registrars carry the registrar account's password,
//! so every one of them needs the dangerous `settings.registrars`, and saving is audited.
use super::registrar_model::{RegistrarInput, RegistrarSettings};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "registrar_page", input = Json, output = Json)]
pub async fn registrar_page() -> Result<RegistrarSettings, AppError> {
    require(Permission::SettingsRegistrars)?;
    super::registrars::page(&crate::web::state::app_state()?.db).await
}

/// Add or edit a registrar; an empty secret keeps the stored one.
#[server(endpoint = "save_registrar", input = Json, output = Json)]
pub async fn save_registrar(registrar: RegistrarInput) -> Result<i32, AppError> {
    let staff = require(Permission::SettingsRegistrars)?;
    let id = super::registrars::save(&crate::web::state::app_state()?.db, &registrar).await?;
    let secret = if registrar.secret.is_empty() { "" } else { "secret changed" };
    let to = format!("{} {}:{} {secret}", registrar.module, registrar.host.trim(), registrar.port);
    let act = crate::audit::service::Act::new("registrar_saved", registrar.name.trim())
        .change("", to.trim().to_string());
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(id)
}

/// Whether the registrar's module reaches the registry with the stored account: its answer, or
/// why not.
#[server(endpoint = "test_registrar", input = Json, output = Json)]
pub async fn test_registrar(id: i32) -> Result<Result<String, String>, AppError> {
    require(Permission::SettingsRegistrars)?;
    super::registrars::test_connection(&crate::web::state::app_state()?.db, id).await
}
