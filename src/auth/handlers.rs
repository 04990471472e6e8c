//! Plain HTML form endpoints for login, logout and the language switch: they work without
//! JavaScript and answer with a redirect (303) carrying the cookie.
use super::service::{
    PENDING_2FA, check_login, create_pending_2fa, create_session, end_session, pending_cookie,
    resolve_pending_2fa, session_cookie,
};
use super::throttle::{self, Claim};
use super::two_factor;
use crate::audit::service::{self as audit, Act, Who};
use crate::db::entities::staff;
use crate::web::client_ip::ClientIp;
use crate::web::cookies::{cookie_value, set_cookie};
use crate::web::respond::see_other;
use crate::web::state::AppState;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    pub(crate) email: String,
    pub(crate) password: String,
    #[serde(default)]
    pub(crate) next: String,
}

/// Only same-site paths are followed after login (no open redirects).
pub fn safe_next(next: &str) -> &str {
    safe_next_or(next, "/customers")
}

pub use crate::web::respond::safe_next_or;

pub async fn login(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.next).to_string();
    let ip = client.to_string();
    let now = chrono::Utc::now();
    let back_to_form = |error: &str| {
        let email = crate::ui::format::encode_component(form.email.trim());
        let next = crate::ui::format::encode_component(&next);
        see_other(&format!("/login?error={error}&email={email}&next={next}"), None)
    };
    let attempt = match throttle::claim(&state.db, "staff", &form.email, &ip, now).await {
        Ok(Claim::Go(attempt)) => attempt,
        Ok(Claim::Wait(seconds)) => {
            tracing::warn!(%ip, "staff login throttled");
            return back_to_form(&format!("throttled&wait={seconds}"));
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let checked = check_login(&state.db, &form.email, &form.password).await;
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from);
    match checked {
        Ok(Some(member)) => {
            let (staff_id, has_2fa) = (member.id, member.totp_secret.is_some());
            // With a second factor the login succeeds only at the second step: a success here
            // would reset the count and let codes be guessed without end.
            let settled =
                if has_2fa { attempt.withdraw(&state.db).await } else { attempt.succeeded(&state.db).await };
            if settled.is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            if has_2fa {
                return match create_pending_2fa(&state.db, staff_id, Some(ip), agent).await {
                    Ok(token) => {
                        let next = crate::ui::format::encode_component(&next);
                        let cookie = set_cookie(
                            pending_cookie(state.config.secure_cookies),
                            &token,
                            Some(PENDING_2FA.num_seconds()),
                            state.config.secure_cookies,
                        );
                        see_other(&format!("/login/2fa?next={next}"), Some(cookie))
                    }
                    Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                };
            }
            start_session(&state, &headers, &member, ip, agent, &next, None).await
        }
        Ok(None) => {
            tracing::info!("failed staff login");
            attempt.failed();
            let who = Who { staff: None, ip: Some(ip) };
            let typed = form.email.trim().to_lowercase();
            if audit::record(&state.db, &who, Act::new("staff_login_failed", typed)).await.is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            back_to_form("1")
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A new session id at every login; a session the browser still held ends.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    member: &staff::Model,
    ip: String,
    agent: Option<String>,
    next: &str,
    extra_cookie: Option<String>,
) -> Response {
    let cookie_name = session_cookie(state.config.secure_cookies);
    if let Some(old) = cookie_value(headers, cookie_name) {
        let _ = end_session(&state.db, &old).await;
    }
    let staff_id = member.id;
    let who = Who::staff(staff_id, &member.name, Some(ip.clone()));
    if audit::record(&state.db, &who, Act::new("staff_login", member.email.clone())).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match create_session(&state.db, staff_id, Some(ip), agent).await {
        Ok(token) => {
            tracing::info!(staff = staff_id, "staff login");
            let cookie = set_cookie(cookie_name, &token, Some(12 * 3600), state.config.secure_cookies);
            crate::web::respond::see_other_with(
                next,
                &std::iter::once(cookie).chain(extra_cookie).collect::<Vec<_>>(),
            )
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Deserialize)]
pub struct SecondFactorForm {
    pub(crate) code: String,
    #[serde(default)]
    pub(crate) next: String,
}

/// The second step of a login with two-factor authentication: a TOTP or recovery code.
pub async fn second_factor(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Form(form): Form<SecondFactorForm>,
) -> Response {
    let next = safe_next(&form.next).to_string();
    let ip = client.to_string();
    let now = chrono::Utc::now();
    let pending = match cookie_value(&headers, pending_cookie(state.config.secure_cookies)) {
        Some(token) => resolve_pending_2fa(&state.db, &token).await.map(|id| id.map(|id| (token, id))),
        None => Ok(None),
    };
    let (token, staff_id) = match pending {
        Ok(Some(found)) => found,
        Ok(None) => return see_other("/login?error=expired", None),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let member = match staff::Entity::find_by_id(staff_id).one(&state.db).await {
        Ok(Some(m)) => m,
        Ok(None) => return see_other("/login?error=expired", None),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let encoded_next = crate::ui::format::encode_component(&next);
    let attempt = match throttle::claim(&state.db, "staff", &member.email, &ip, now).await {
        Ok(Claim::Go(attempt)) => attempt,
        Ok(Claim::Wait(seconds)) => {
            return see_other(&format!("/login?error=throttled&wait={seconds}"), None);
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let ok = match two_factor::check(&state.db, staff_id, &form.code).await {
        Ok(ok) => ok,
        Err(crate::error::AppError::NotFound) => return see_other("/login?error=expired", None),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if ok {
        if attempt.succeeded(&state.db).await.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    } else {
        attempt.failed();
    }
    if !ok {
        tracing::info!(staff = staff_id, "wrong second factor");
        let who = Who { staff: None, ip: Some(ip) };
        let act = Act::new("staff_login_failed", member.email.clone()).change("", "second factor");
        if audit::record(&state.db, &who, act).await.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        return see_other(&format!("/login/2fa?error=1&next={encoded_next}"), None);
    }
    let _ = end_session(&state.db, &token).await;
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from);
    let clear =
        set_cookie(pending_cookie(state.config.secure_cookies), "", Some(0), state.config.secure_cookies);
    start_session(&state, &headers, &member, ip, agent, &next, Some(clear)).await
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cookie_name = session_cookie(state.config.secure_cookies);
    if let Some(token) = cookie_value(&headers, cookie_name)
        && end_session(&state.db, &token).await.is_err()
    {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    see_other("/login", Some(set_cookie(cookie_name, "", Some(0), state.config.secure_cookies)))
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
