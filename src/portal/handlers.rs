//! Plain form endpoints of the portal: login, logout, "forgot password" and the reset itself.
//! They work without JavaScript and answer with redirects.
use super::service;
use crate::auth::handlers::{LoginForm, SecondFactorForm};
use crate::auth::throttle::{self, Claim};
use crate::customers::areas::log::service::append;
use crate::events::service::{Actor, NewEvent, mark_login, record, seen_ip};
use crate::web::client_ip::ClientIp;
use crate::web::cookies::{cookie_value, set_cookie};
use crate::web::respond::{internal, safe_next_or, see_other, user_agent};
use crate::web::state::AppState;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use sea_orm::EntityTrait;
use serde::Deserialize;

/// The portal session cookie: separate from staff's, so staff can act as a customer in one tab
/// and stay themselves in another.
pub fn portal_cookie(secure: bool) -> &'static str {
    if secure { "__Host-cd_portal" } else { "cd_portal" }
}

pub async fn login(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next_or(&form.next, "/portal").to_string();
    let ip = client.to_string();
    let agent = user_agent(&headers);
    let now = chrono::Utc::now();
    let back = |error: &str| {
        let email = crate::ui::format::encode_component(form.email.trim());
        see_other(&format!("/portal/login?error={error}&email={email}"), None)
    };
    let attempt = match throttle::claim(&state.db, "customer", &form.email, &ip, now).await {
        Ok(Claim::Go(attempt)) => attempt,
        Ok(Claim::Wait(seconds)) => return back(&format!("throttled&wait={seconds}")),
        Err(_) => return internal(),
    };
    let Ok(checked) = service::check_login(&state.db, &form.email, &form.password).await else {
        return internal();
    };
    // With a second factor the login succeeds only at the second step (see the staff login).
    let second_factor = checked.as_ref().is_some_and(|(login, _)| login.totp_secret.is_some());
    let settled = match (&checked, second_factor) {
        (None, _) => {
            attempt.failed();
            Ok(())
        }
        (Some(_), true) => attempt.withdraw(&state.db).await,
        (Some(_), false) => attempt.succeeded(&state.db).await,
    };
    if settled.is_err() {
        return internal();
    }
    let Some((login, customer)) = checked else {
        if let Ok(Some(customer_id)) = service::customer_of_email(&state.db, &form.email).await {
            let _ = append(
                &state.ctx(""),
                NewEvent {
                    customer_id,
                    kind: "login_failed",
                    actor: Actor::System,
                    ip: Some(&ip),
                    user_agent: agent.as_deref(),
                    payload: String::new(),
                },
            )
            .await;
        }
        return back("1");
    };
    if second_factor {
        let Ok(token) =
            crate::auth::service::create_pending(&state.db, "customer_2fa", login.id, Some(ip), agent).await
        else {
            return internal();
        };
        let next = crate::ui::format::encode_component(&next);
        let cookie = set_cookie(
            pending_cookie(state.config.secure_cookies),
            &token,
            Some(300),
            state.config.secure_cookies,
        );
        return see_other(&format!("/portal/login/2fa?next={next}"), Some(cookie));
    }
    start_session(&state, &headers, login.id, customer.id, ip, agent, &next, None).await
}

/// The portal cookie of a login between password and second factor (`__Host-` over HTTPS).
pub fn pending_cookie(secure: bool) -> &'static str {
    if secure { "__Host-cd_portal_2fa" } else { "cd_portal_2fa" }
}

/// A new portal session after a complete login; logged with address and device.
#[allow(clippy::too_many_arguments)]
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    login_id: i32,
    customer_id: i32,
    ip: String,
    agent: Option<String>,
    next: &str,
    extra_cookie: Option<String>,
) -> Response {
    let cookie_name = portal_cookie(state.config.secure_cookies);
    if let Some(old) = cookie_value(headers, cookie_name) {
        let _ = crate::auth::service::end_session(&state.db, &old).await;
    }
    let Ok(token) = service::create_session(&state.db, login_id, Some(ip.clone()), agent.clone()).await
    else {
        return internal();
    };
    let ctx = state.ctx("");
    let logged = async {
        let mut change = ctx.begin_append(customer_id).await?;
        record(
            &change.txn,
            NewEvent {
                customer_id,
                kind: "login",
                actor: Actor::Customer { login_id, by_staff: None },
                ip: Some(&ip),
                user_agent: agent.as_deref(),
                payload: String::new(),
            },
        )
        .await?;
        seen_ip(&change.txn, customer_id, &ip, "login").await?;
        mark_login(&change.txn, customer_id, Some(&ip)).await?;
        change.touched(crate::customers::areas::log::AREA.slug);
        change.touched(crate::customers::areas::ips::AREA.slug);
        change.commit().await
    };
    if logged.await.is_err() {
        return internal();
    }
    let cookie = set_cookie(cookie_name, &token, Some(12 * 3600), state.config.secure_cookies);
    crate::web::respond::see_other_with(
        next,
        &std::iter::once(cookie).chain(extra_cookie).collect::<Vec<_>>(),
    )
}

/// The second step of a portal login with two-factor authentication.
pub async fn second_factor(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Form(form): Form<SecondFactorForm>,
) -> Response {
    let next = safe_next_or(&form.next, "/portal").to_string();
    let ip = client.to_string();
    let agent = user_agent(&headers);
    let now = chrono::Utc::now();
    let pending = match cookie_value(&headers, pending_cookie(state.config.secure_cookies)) {
        Some(token) => crate::auth::service::resolve_pending(&state.db, &token, "customer_2fa")
            .await
            .map(|id| id.map(|id| (token, id))),
        None => Ok(None),
    };
    let (token, login_id) = match pending {
        Ok(Some(found)) => found,
        Ok(None) => return see_other("/portal/login?error=expired", None),
        Err(_) => return internal(),
    };
    let login = match crate::db::entities::portal_login::Entity::find_by_id(login_id).one(&state.db).await {
        Ok(Some(login)) => login,
        Ok(None) => return see_other("/portal/login?error=expired", None),
        Err(_) => return internal(),
    };
    let attempt = match throttle::claim(&state.db, "customer", &login.email, &ip, now).await {
        Ok(Claim::Go(attempt)) => attempt,
        Ok(Claim::Wait(seconds)) => {
            return see_other(&format!("/portal/login?error=throttled&wait={seconds}"), None);
        }
        Err(_) => return internal(),
    };
    let Ok(ok) = super::security::check_second_factor(&state.db, login_id, &form.code).await else {
        return internal();
    };
    let settled = if ok {
        attempt.succeeded(&state.db).await
    } else {
        attempt.failed();
        Ok(())
    };
    if settled.is_err() {
        return internal();
    }
    if !ok {
        let _ = append(
            &state.ctx(""),
            NewEvent {
                customer_id: login.customer_id,
                kind: "two_factor_failed",
                actor: Actor::Customer { login_id, by_staff: None },
                ip: Some(&ip),
                user_agent: agent.as_deref(),
                payload: String::new(),
            },
        )
        .await;
        let next = crate::ui::format::encode_component(&next);
        return see_other(&format!("/portal/login/2fa?error=1&next={next}"), None);
    }
    let _ = crate::auth::service::end_session(&state.db, &token).await;
    let clear =
        set_cookie(pending_cookie(state.config.secure_cookies), "", Some(0), state.config.secure_cookies);
    start_session(&state, &headers, login_id, login.customer_id, ip, agent, &next, Some(clear)).await
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cookie_name = portal_cookie(state.config.secure_cookies);
    if let Some(token) = cookie_value(&headers, cookie_name)
        && crate::auth::service::end_session(&state.db, &token).await.is_err()
    {
        return internal();
    }
    see_other("/portal/login", Some(set_cookie(cookie_name, "", Some(0), state.config.secure_cookies)))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    client: ClientIp,
    Form(form): Form<ForgotForm>,
) -> Response {
    let ip = client.to_string();
    match service::request_reset(&state.db, &form.email, &state.config.base_url, Some(&ip)).await {
        Ok(()) => {
            state.mail_wakeup.notify_one();
            see_other("/portal/login?sent=1", None)
        }
        Err(_) => internal(),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
    repeat: String,
}

pub async fn reset(State(state): State<AppState>, client: ClientIp, Form(form): Form<ResetForm>) -> Response {
    let token = crate::ui::format::encode_component(&form.token);
    if form.password != form.repeat {
        return see_other(&format!("/portal/reset?token={token}&error=account.mismatch"), None);
    }
    let ip = client.to_string();
    match service::reset_password(&state.db, &form.token, &form.password, Some(&ip)).await {
        Ok(()) => see_other("/portal/login?reset=1", None),
        Err(crate::error::AppError::Validation(errors)) => {
            let key = errors.first().map(|e| e.key.clone()).unwrap_or_default();
            see_other(&format!("/portal/reset?token={token}&error={key}"), None)
        }
        Err(_) => internal(),
    }
}

#[derive(Deserialize)]
pub struct ImpersonateForm {
    customer_id: i32,
    reason: String,
}

/// "Als Kunde einloggen" (a staff request: the staff session decides who acts).
pub async fn impersonate(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Form(form): Form<ImpersonateForm>,
) -> Response {
    let staff_cookie = crate::auth::service::session_cookie(state.config.secure_cookies);
    let Some(staff_token) = cookie_value(&headers, staff_cookie) else { return see_other("/login", None) };
    let staff =
        crate::auth::service::resolve_session_with(&state.db, &staff_token, state.config.session_idle).await;
    let staff = match staff {
        Ok(Some(staff)) => staff,
        Ok(None) => return see_other("/login", None),
        Err(_) => return internal(),
    };
    let back = format!("/customers/{}/data", form.customer_id);
    match super::impersonation::start(
        &state.ctx(&staff.name),
        (&staff, &staff_token, Some(client.to_string())),
        form.customer_id,
        &form.reason,
    )
    .await
    {
        Ok(token) => {
            tracing::info!(staff = staff.id, customer = form.customer_id, "impersonation started");
            let cookie = set_cookie(
                portal_cookie(state.config.secure_cookies),
                &token,
                Some(super::impersonation::LIMIT.num_seconds()),
                state.config.secure_cookies,
            );
            see_other("/portal", Some(cookie))
        }
        Err(crate::error::AppError::Validation(errors)) => {
            let key = errors.first().map(|e| e.key.clone()).unwrap_or_default();
            see_other(&format!("{back}?notice={key}"), None)
        }
        Err(crate::error::AppError::Forbidden) => see_other(&format!("{back}?notice=error.forbidden"), None),
        Err(crate::error::AppError::NotFound) => see_other("/customers", None),
        Err(_) => internal(),
    }
}

/// "Zurück zu clientdesk": end acting as the customer, back to their profile.
pub async fn stop_impersonation(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cookie_name = portal_cookie(state.config.secure_cookies);
    let customer = match cookie_value(&headers, cookie_name) {
        Some(token) => super::impersonation::stop(&state.ctx(""), &token).await,
        None => Ok(None),
    };
    let clear = set_cookie(cookie_name, "", Some(0), state.config.secure_cookies);
    match customer {
        Ok(Some(id)) => see_other(&format!("/customers/{id}/data"), Some(clear)),
        Ok(None) => see_other("/customers", Some(clear)),
        Err(_) => internal(),
    }
}
