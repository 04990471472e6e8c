//! Server functions of /settings/servers: servers carry admin credentials, so every one of
//! them needs the dangerous `settings.servers`, and saving is audited.
use super::server_model::{PackageInput, ServerInput, ServerSettings};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "server_page", input = Json, output = Json)]
pub async fn server_page() -> Result<ServerSettings, AppError> {
    require(Permission::SettingsServers)?;
    super::servers::page(&crate::web::state::app_state()?.db).await
}

/// Add or edit a server; an empty secret keeps the stored one.
#[server(endpoint = "save_server", input = Json, output = Json)]
pub async fn save_server(server: ServerInput) -> Result<i32, AppError> {
    let staff = require(Permission::SettingsServers)?;
    let id = super::servers::save_server(&crate::web::state::app_state()?.db, &server).await?;
    let secret = if server.secret.is_empty() { "" } else { "secret changed" };
    let act = crate::audit::service::Act::new("server_saved", server.name.trim()).change(
        "",
        format!("{} {}:{} {secret}", server.module, server.host.trim(), server.port).trim().to_string(),
    );
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(id)
}

#[server(endpoint = "save_package", input = Json, output = Json)]
pub async fn save_package(package: PackageInput) -> Result<i32, AppError> {
    require(Permission::SettingsServers)?;
    super::servers::save_package(&crate::web::state::app_state()?.db, &package).await
}

/// Whether the server's module reaches it with the stored credential: its answer, or why not.
#[server(endpoint = "test_server", input = Json, output = Json)]
pub async fn test_server(id: i32) -> Result<Result<String, String>, AppError> {
    require(Permission::SettingsServers)?;
    super::servers::test_connection(&crate::web::state::app_state()?.db, id).await
}
