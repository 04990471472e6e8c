use super::model::{ProductInput, ProductRow, ReleaseInput};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "list_products", input = Json, output = Json)]
pub async fn list_products() -> Result<Vec<ProductRow>, AppError> {
    require(Permission::SettingsProducts)?;
    super::service::list(&crate::web::state::app_state()?.db).await
}

/// Create or edit a product; a new one gets its signing key (recorded in the audit log).
#[server(endpoint = "save_product", input = Json, output = Json)]
pub async fn save_product(product: ProductInput) -> Result<i32, AppError> {
    let staff = require(Permission::SettingsProducts)?;
    let id = super::service::save(&crate::web::state::app_state()?.db, &product).await?;
    let act = crate::audit::service::Act::new("product_saved", product.slug.trim())
        .change("", if product.id.is_none() { "created" } else { "changed" });
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(id)
}

#[server(endpoint = "add_release", input = Json, output = Json)]
pub async fn add_release(product: i32, release: ReleaseInput) -> Result<i32, AppError> {
    let staff = require(Permission::SettingsProducts)?;
    super::service::add_release(&crate::web::state::app_state()?.db, staff.id, product, &release).await
}

/// Who gets a release: one page of the customers whose update service covers it.
#[server(endpoint = "release_recipients", input = Json, output = Json)]
pub async fn release_recipients(release: i32, page: u32) -> Result<super::model::RecipientPage, AppError> {
    require(Permission::SettingsProducts)?;
    super::recipients::recipients(&crate::web::state::app_state()?.db, release, page).await
}
