//! Plain HTML form endpoints for login, logout and the language switch: they work without
//! JavaScript and answer with a redirect (303) carrying the cookie.
use super::service::{SESSION_COOKIE, check_login, create_session, end_session};
use crate::server::cookies::{cookie_value, set_cookie};
use crate::server::state::AppState;
use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only same-site paths are followed after login (no open redirects).
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next } else { "/customers" }
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response();
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.next).to_string();
    match check_login(&state.db, &form.email, &form.password).await {
        Ok(Some(staff)) => {
            let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from);
            match create_session(&state.db, staff.id, Some(addr.ip().to_string()), agent).await {
                Ok(token) => {
                    tracing::info!(staff = staff.id, "staff login");
                    see_other(
                        &next,
                        Some(set_cookie(
                            SESSION_COOKIE,
                            &token,
                            Some(12 * 3600),
                            state.config.secure_cookies,
                        )),
                    )
                }
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
        Ok(None) => {
            tracing::info!("failed staff login");
            let email = crate::customers::model::encode_component(form.email.trim());
            let next = crate::customers::model::encode_component(&next);
            see_other(&format!("/login?error=1&email={email}&next={next}"), None)
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie_value(&headers, SESSION_COOKIE)
        && end_session(&state.db, &token).await.is_err()
    {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    see_other("/login", Some(set_cookie(SESSION_COOKIE, "", Some(0), state.config.secure_cookies)))
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn set_language(State(state): State<AppState>, Form(form): Form<LangForm>) -> Response {
    let locale = crate::i18n::Locale::from_code(&form.lang).unwrap_or_default();
    let cookie = set_cookie("cd_lang", locale.code(), Some(365 * 24 * 3600), state.config.secure_cookies);
    see_other(safe_next(&form.back), Some(cookie))
}
