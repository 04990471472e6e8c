//! Server functions of the portal. The customer always comes from the session; no function here
//! takes a customer id.
use super::own_data::{OwnData, OwnForm};
use super::{PortalUser, SecurityStatus};
use crate::account::model::EnrolmentView;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{require_customer, require_right},
    crate::web::state::app_state,
};

#[server(endpoint = "portal_me", input = Json, output = Json)]
pub async fn portal_me() -> Result<PortalUser, AppError> {
    require_customer().map(|me| PortalUser::of(&me))
}

#[server(endpoint = "portal_profile", input = Json, output = Json)]
pub async fn portal_profile() -> Result<OwnData, AppError> {
    let me = require_right(crate::customers::areas::contacts::model::PortalRight::Data)?;
    super::service::own_data(&app_state()?.db, &me).await
}

#[server(endpoint = "portal_save", input = Json, output = Json)]
pub async fn portal_save(version: i64, form: OwnForm) -> Result<OwnData, AppError> {
    let me = require_right(crate::customers::areas::contacts::model::PortalRight::Data)?;
    let by = me.impersonated_by.clone().unwrap_or_else(|| me.name.clone());
    super::service::save_own(&app_state()?.ctx(&by), &me, version, &form).await
}

/// The portal session token of this request, so a password change keeps this session.
#[cfg(feature = "ssr")]
fn own_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let secure = app_state().ok()?.config.secure_cookies;
    crate::web::cookies::cookie_value(&parts.headers, super::handlers::portal_cookie(secure))
}

#[server(endpoint = "portal_security", input = Json, output = Json)]
pub async fn portal_security() -> Result<SecurityStatus, AppError> {
    let me = require_customer()?;
    super::security::status(&app_state()?.db, &me).await
}

#[server(endpoint = "portal_change_password", input = Json, output = Json)]
pub async fn portal_change_password(current: String, new: String) -> Result<(), AppError> {
    let me = require_customer()?;
    let keep = own_token();
    super::security::change_password(&app_state()?.db, &me, &current, &new, keep.as_deref()).await
}

#[server(endpoint = "portal_start_totp", input = Json, output = Json)]
pub async fn portal_start_totp(password: String) -> Result<EnrolmentView, AppError> {
    let me = require_customer()?;
    let e = super::security::start_totp(&app_state()?.db, &me, &password).await?;
    Ok(EnrolmentView { secret: e.secret, qr_svg: e.qr_svg })
}

#[server(endpoint = "portal_confirm_totp", input = Json, output = Json)]
pub async fn portal_confirm_totp(code: String) -> Result<Vec<String>, AppError> {
    let me = require_customer()?;
    super::security::confirm_totp(&app_state()?.db, &me, &code).await
}

#[server(endpoint = "portal_disable_totp", input = Json, output = Json)]
pub async fn portal_disable_totp(password: String) -> Result<(), AppError> {
    let me = require_customer()?;
    super::security::disable_totp(&app_state()?.db, &me, &password).await
}

/// The notes staff chose to show in the self-service area.
#[server(endpoint = "portal_notes", input = Json, output = Json)]
pub async fn portal_notes() -> Result<Vec<crate::customers::areas::notes::model::PortalNote>, AppError> {
    // Notes for the customer are about the account: a contact sees them with the data right.
    let me = require_right(crate::customers::areas::contacts::model::PortalRight::Data)?;
    crate::customers::areas::notes::service::for_portal(&app_state()?.db, me.customer_id).await
}

/// The logged-in customer's own password and two-factor login.
#[derive(Clone, Copy)]
pub struct CustomerSecurity;

impl crate::account::model::OwnSecurity for CustomerSecurity {
    async fn change_password(&self, current: String, new: String) -> Result<(), AppError> {
        portal_change_password(current, new).await
    }
    async fn start_totp(&self, password: String) -> Result<EnrolmentView, AppError> {
        portal_start_totp(password).await
    }
    async fn confirm_totp(&self, code: String) -> Result<Vec<String>, AppError> {
        portal_confirm_totp(code).await
    }
    async fn disable_totp(&self, password: String) -> Result<(), AppError> {
        portal_disable_totp(password).await
    }
}
