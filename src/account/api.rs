//! Server functions of the own account; any logged-in staff member, for themselves only.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {crate::auth::require_staff, crate::web::state::app_state};

/// The session token of this request, so a password change can keep this session alive.
#[cfg(feature = "ssr")]
fn own_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let secure = app_state().ok()?.config.secure_cookies;
    crate::web::cookies::cookie_value(&parts.headers, crate::auth::service::session_cookie(secure))
}

#[server(endpoint = "my_account", input = Json, output = Json)]
pub async fn my_account() -> Result<AccountInfo, AppError> {
    let me = require_staff()?;
    super::service::info(&app_state()?.db, me.id, me.role_name).await
}

#[server(endpoint = "change_password", input = Json, output = Json)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let me = require_staff()?;
    let keep = own_token();
    super::service::change_password(&app_state()?.db, me.id, &current, &new, keep.as_deref()).await
}

/// Step one of enrolment: the password again, then a QR code to scan.
#[server(endpoint = "start_totp", input = Json, output = Json)]
pub async fn start_totp(password: String) -> Result<EnrolmentView, AppError> {
    let me = require_staff()?;
    let e = crate::auth::two_factor::start(&app_state()?.db, me.id, &password).await?;
    Ok(EnrolmentView { secret: e.secret, qr_svg: e.qr_svg })
}

/// Step two: a first code confirms; returns the recovery codes, shown this once.
#[server(endpoint = "confirm_totp", input = Json, output = Json)]
pub async fn confirm_totp(code: String) -> Result<Vec<String>, AppError> {
    let me = require_staff()?;
    crate::auth::two_factor::confirm(&app_state()?.db, me.id, &code).await
}

#[server(endpoint = "disable_totp", input = Json, output = Json)]
pub async fn disable_totp(password: String) -> Result<(), AppError> {
    let me = require_staff()?;
    super::service::disable_totp(&app_state()?.db, me.id, &password).await
}

#[server(endpoint = "change_email", input = Json, output = Json)]
pub async fn change_email(password: String, email: String) -> Result<(), AppError> {
    let me = require_staff()?;
    super::service::change_email(&app_state()?.db, me.id, &password, &email).await
}

/// The staff member's own password and two-factor login.
#[derive(Clone, Copy)]
pub struct StaffSecurity;

impl super::model::OwnSecurity for StaffSecurity {
    async fn change_password(&self, current: String, new: String) -> Result<(), AppError> {
        change_password(current, new).await
    }
    async fn start_totp(&self, password: String) -> Result<EnrolmentView, AppError> {
        start_totp(password).await
    }
    async fn confirm_totp(&self, code: String) -> Result<Vec<String>, AppError> {
        confirm_totp(code).await
    }
    async fn disable_totp(&self, password: String) -> Result<(), AppError> {
        disable_totp(password).await
    }
}
