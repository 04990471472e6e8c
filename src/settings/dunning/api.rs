//! Server functions of /settings/dunning: `settings.billing`; every change of the settings and
//! every run started by hand is audited.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "dunning_levels", input = Json, output = Json)]
pub async fn dunning_levels() -> Result<Vec<LevelRow>, AppError> {
    require(Permission::SettingsBilling)?;
    super::service::levels(&crate::web::state::app_state()?.db).await
}

/// Save the four levels over the versions the form was loaded with; returns them as stored.
#[server(endpoint = "save_dunning_levels", input = Json, output = Json)]
pub async fn save_dunning_levels(levels: Vec<LevelInput>) -> Result<Vec<LevelRow>, AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    let saved = super::service::save_levels(&db, &levels).await?;
    let act = crate::audit::service::Act::new("dunning_levels_saved", "")
        .change("", super::service::summary(&saved));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(saved)
}

#[server(endpoint = "dunning_base_rates", input = Json, output = Json)]
pub async fn dunning_base_rates(page: u32) -> Result<BaseRatePage, AppError> {
    require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    super::service::base_rate_page(&db, page, crate::clock::business_day()).await
}

/// Add a base rate from its first day.
#[server(endpoint = "add_base_rate", input = Json, output = Json)]
pub async fn add_base_rate(rate: BaseRateInput) -> Result<(), AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    let (from, bp) = super::service::add_base_rate(&db, &rate).await?;
    let act =
        crate::audit::service::Act::new("base_rate_saved", from.to_string()).change("", format!("{bp} bp"));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(())
}

/// Remove a base rate that has not started.
#[server(endpoint = "delete_base_rate", input = Json, output = Json)]
pub async fn delete_base_rate(valid_from: String) -> Result<(), AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    super::service::delete_base_rate(&db, &valid_from, crate::clock::business_day()).await?;
    let act = crate::audit::service::Act::new("base_rate_deleted", valid_from.trim());
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(())
}

/// Run the dunning now: what the daily job would send today, sent at once.
#[server(endpoint = "run_dunning", input = Json, output = Json)]
pub async fn run_dunning() -> Result<RunOutcome, AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let o = crate::billing::dunning_run::run(&ctx, crate::clock::business_day()).await?;
    let outcome = RunOutcome {
        customers: o.customers,
        notices: o.notices,
        fee_documents: o.fee_documents,
        skipped_off: o.skipped_off,
    };
    let act = crate::audit::service::Act::new("dunning_run", "").change(
        "",
        format!(
            "{} customers, {} notices, {} fee documents, {} skipped (dunning off)",
            outcome.customers, outcome.notices, outcome.fee_documents, outcome.skipped_off
        ),
    );
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(outcome)
}

#[server(endpoint = "dunning_letters", input = Json, output = Json)]
pub async fn dunning_letters(page: u32) -> Result<LetterPage, AppError> {
    require(Permission::SettingsBilling)?;
    super::service::letters(&crate::web::state::app_state()?.db, page).await
}

/// Mark a notice's letter printed; false when it was not waiting any more.
#[server(endpoint = "mark_letter_printed", input = Json, output = Json)]
pub async fn mark_letter_printed(id: i32) -> Result<bool, AppError> {
    require(Permission::SettingsBilling)?;
    super::service::mark_printed(&crate::web::state::app_state()?.db, id).await
}
