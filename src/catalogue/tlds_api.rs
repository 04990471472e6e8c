//! Server functions of /settings/domains (the TLD price list): `settings.domains`; saving is
//! audited with the ending.
use super::tld_model::{TldInput, TldPage};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "tld_list", input = Json, output = Json)]
pub async fn tld_list(page: u32) -> Result<TldPage, AppError> {
    require(Permission::SettingsDomains)?;
    super::tlds::page(&crate::web::state::app_state()?.db, page).await
}

/// The registrars an ending may be sold through, as (id, name): names only, no credentials.
#[server(endpoint = "tld_registrars", input = Json, output = Json)]
pub async fn tld_registrars() -> Result<Vec<(i32, String)>, AppError> {
    require(Permission::SettingsDomains)?;
    super::registrars::choices(&crate::web::state::app_state()?.db).await
}

/// Add or change an ending with its list prices.
#[server(endpoint = "save_tld", input = Json, output = Json)]
pub async fn save_tld(tld: TldInput) -> Result<i32, AppError> {
    let staff = require(Permission::SettingsDomains)?;
    let id = super::tlds::save(&crate::web::state::app_state()?.db, &tld).await?;
    let priced = tld.prices.iter().filter(|p| !p.amount.trim().is_empty()).count();
    let act =
        crate::audit::service::Act::new("tld_saved", tld.tld.trim().trim_start_matches('.').to_lowercase())
            .change("", format!("{priced} prices, registrar {}", registrar_label(tld.registrar_id)));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(id)
}

#[cfg(feature = "ssr")]
fn registrar_label(id: Option<i32>) -> String {
    id.map_or_else(|| "by hand".into(), |id| format!("#{id}"))
}
