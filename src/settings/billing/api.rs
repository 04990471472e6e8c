//! Server functions of /settings/billing: `settings.billing`; every save is audited.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "billing_settings_page", input = Json, output = Json)]
pub async fn billing_settings_page() -> Result<BillingSettings, AppError> {
    require(Permission::SettingsBilling)?;
    super::service::load(&crate::web::state::app_state()?.db, crate::clock::business_day()).await
}

/// Save the seller's data over the version the form was loaded with.
#[server(endpoint = "save_seller", input = Json, output = Json)]
pub async fn save_seller(form: SellerForm) -> Result<SellerForm, AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let saved = super::service::save_seller(&crate::web::state::app_state()?.db, &form).await?;
    let p = &saved.seller.party;
    let after = format!(
        "{}, {} {}, {}; VAT ID {}; tax no. {}; § 19 {}; OSS {}",
        p.name,
        p.postcode,
        p.city,
        p.country,
        p.vat_id,
        p.tax_number,
        saved.seller.small_business,
        saved.seller.oss
    );
    crate::auth::audit_trail::record(
        &staff,
        crate::audit::service::Act::new("seller_saved", "").change("", after),
    )
    .await?;
    Ok(saved)
}

/// Change a number series' pattern or raise its next number.
#[server(endpoint = "save_series", input = Json, output = Json)]
pub async fn save_series(series: SeriesInput) -> Result<SeriesRow, AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    let row = super::service::save_series(&db, &series, crate::clock::business_day()).await?;
    let act = crate::audit::service::Act::new("series_saved", row.key.clone())
        .change("", format!("{} next {}", row.pattern, row.preview));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(row)
}

#[server(endpoint = "vat_rates", input = Json, output = Json)]
pub async fn vat_rates(page: u32) -> Result<RatePage, AppError> {
    require(Permission::SettingsBilling)?;
    super::service::rates(&crate::web::state::app_state()?.db, page, crate::clock::business_day()).await
}

/// Add a dated VAT rate, or correct one that has not started.
#[server(endpoint = "save_vat_rate", input = Json, output = Json)]
pub async fn save_vat_rate(rate: RateInput) -> Result<(), AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    super::service::save_rate(&db, &rate, crate::clock::business_day()).await?;
    let target = format!("{} {}", rate.country.trim().to_ascii_uppercase(), rate.valid_from.trim());
    let act = crate::audit::service::Act::new("vat_rate_saved", target)
        .change("", format!("{} % / {} %", rate.standard.trim(), rate.reduced.trim()));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(())
}

/// Remove a VAT rate that has not started.
#[server(endpoint = "delete_vat_rate", input = Json, output = Json)]
pub async fn delete_vat_rate(country: String, valid_from: String) -> Result<(), AppError> {
    let staff = require(Permission::SettingsBilling)?;
    let db = crate::web::state::app_state()?.db;
    super::service::delete_rate(&db, &country, &valid_from, crate::clock::business_day()).await?;
    let act = crate::audit::service::Act::new("vat_rate_deleted", format!("{country} {valid_from}"));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(())
}
