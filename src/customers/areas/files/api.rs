use super::model::{FileFlags, FilePage};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_files", input = Json, output = Json)]
pub async fn customer_files(id: i32, page: u32) -> Result<FilePage, AppError> {
    require(Permission::FilesView)?;
    let state = crate::web::state::app_state()?;
    crate::customers::service::detail(&state.db, id).await?;
    let limits = super::model::UploadLimits {
        max_mb: state.config.upload_max_mb,
        max_files: state.config.upload_max_files,
    };
    super::service::list(&state.db, id, page, limits).await
}

/// Release or withdraw a file, set or clear its expiry.
#[server(endpoint = "save_file_flags", input = Json, output = Json)]
pub async fn save_file_flags(id: i32, file: i32, flags: FileFlags) -> Result<(), AppError> {
    let staff = require(Permission::FilesEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::set_flags(&ctx, crate::events::actor::Actor::Staff(staff.id), id, file, &flags).await
}

#[server(endpoint = "delete_customer_file", input = Json, output = Json)]
pub async fn delete_customer_file(id: i32, file: i32) -> Result<(), AppError> {
    let staff = require(Permission::FilesEdit)?;
    let state = crate::web::state::app_state()?;
    super::service::delete(&state.ctx(&staff.name), staff.id, id, file).await?;
    state.cleanup_wakeup.notify_one();
    Ok(())
}

/// Send a file to the customer by mail; returns the mail's outbox id.
#[server(endpoint = "send_customer_file", input = Json, output = Json)]
pub async fn send_customer_file(id: i32, file: i32) -> Result<i32, AppError> {
    let staff = require(Permission::FilesEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::send_by_mail(&ctx, staff.id, id, file).await
}
