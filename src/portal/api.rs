//! Server functions of the portal. The customer always comes from the session; no function here
//! takes a customer id.
use super::CustomerIdentity;
use crate::customers::model::{CustomerForm, CustomerProfile};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {super::require_customer, crate::server::state::app_state};

#[server(endpoint = "portal_me", input = Json)]
pub async fn portal_me() -> Result<CustomerIdentity, AppError> {
    require_customer()
}

#[server(endpoint = "portal_profile", input = Json)]
pub async fn portal_profile() -> Result<CustomerProfile, AppError> {
    let me = require_customer()?;
    super::service::own_profile(&app_state()?.db, &me).await
}

#[server(endpoint = "portal_save", input = Json)]
pub async fn portal_save(version: i64, form: CustomerForm) -> Result<CustomerProfile, AppError> {
    let me = require_customer()?;
    super::service::save_own(&app_state()?.db, &me, version, &form).await
}
