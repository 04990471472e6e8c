//! Request middleware: who is asking (session, language), the login gate, the Origin check
//! and security headers.
use crate::auth::service::{resolve_session_with, session_cookie};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::web::cookies::cookie_value;
use crate::web::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths that answer without a session: the login, health check and static assets.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/login/2fa" | "/auth/login" | "/auth/2fa" | "/lang" | "/healthz" | "/api/licences/verify"
    ) || is_static(path)
}

/// What a member who must still set up two-factor login may reach: the account page and what
/// it calls, the language switch and logout.
fn allowed_before_enrolment(path: &str) -> bool {
    matches!(
        path,
        "/account"
            | "/auth/logout"
            | "/lang"
            | "/api/current_staff"
            | "/api/my_account"
            | "/api/start_totp"
            | "/api/confirm_totp"
            | "/api/change_password"
            | "/api/change_email"
    )
}

/// The self-service area and its server functions: identified by the portal cookie only.
fn is_portal(path: &str) -> bool {
    path == "/portal" || path.starts_with("/portal/") || path.starts_with("/api/portal_")
}

fn is_public_portal(path: &str) -> bool {
    matches!(
        path,
        "/portal/login"
            | "/portal/forgot"
            | "/portal/reset"
            | "/portal/auth/login"
            | "/portal/auth/logout"
            | "/portal/auth/forgot"
            | "/portal/auth/reset"
            | "/portal/login/2fa"
            | "/portal/auth/2fa"
            | "/portal/auth/impersonate"
            | "/portal/auth/stop-impersonation"
    )
}

fn unauthenticated_json() -> Response {
    let body = serde_json::to_string(&AppError::Unauthenticated).unwrap_or_default();
    (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn to_login(login: &str, req: &Request) -> Response {
    let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let location = format!("{login}?next={}", crate::ui::format::encode_component(target));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A portal request: the customer of the portal session, never a staff identity.
async fn identify_customer(state: AppState, mut req: Request, next: Next, path: &str) -> Response {
    let cookie = crate::portal::handlers::portal_cookie(state.config.secure_cookies);
    let customer = match cookie_value(req.headers(), cookie) {
        Some(token) => {
            match crate::portal::service::resolve_session(&state.db, &token, state.config.session_idle).await
            {
                Ok(found) => found,
                Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
        None => None,
    };
    match customer {
        Some(customer) => {
            req.extensions_mut().insert(customer);
        }
        None if is_public_portal(path) => {}
        None if path.starts_with("/api/") => return unauthenticated_json(),
        None => return to_login("/portal/login", &req),
    }
    next.run(req).await
}

/// Files served as they are: no identity needed, so no session lookup for them.
fn is_static(path: &str) -> bool {
    matches!(path, "/favicon.ico" | "/favicon.svg")
        || path.starts_with("/pkg/")
        || path.starts_with("/assets/")
}

pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if is_static(req.uri().path()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let locale = cookie_value(headers, "cd_lang")
        .and_then(|c| Locale::from_code(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Locale::from_accept_language)
        })
        .unwrap_or_default();
    req.extensions_mut().insert(locale);
    let path = req.uri().path().to_string();
    if is_portal(&path) {
        return identify_customer(state, req, next, &path).await;
    }
    let token = cookie_value(req.headers(), session_cookie(state.config.secure_cookies));
    let staff = match token {
        Some(token) => match resolve_session_with(&state.db, &token, state.config.session_idle).await {
            Ok(staff) => staff,
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        },
        None => None,
    };
    match staff {
        Some(staff) if staff.must_enrol_2fa && !allowed_before_enrolment(&path) => {
            if path.starts_with("/api/") {
                let body = serde_json::to_string(&AppError::Forbidden).unwrap_or_default();
                return (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "application/json")], body)
                    .into_response();
            }
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/account")]).into_response();
        }
        Some(staff) => {
            let is_get = req.method() == Method::GET;
            if let Some(moved) = merged_redirect(&state, is_get, &path).await {
                return moved;
            }
            req.extensions_mut().insert(staff);
        }
        None if is_public(&path) => {}
        None if path.starts_with("/api/") => return unauthenticated_json(),
        None => return to_login("/login", &req),
    }
    next.run(req).await
}

/// A profile URL of a customer merged into another leads to that one (same area).
async fn merged_redirect(state: &AppState, is_get: bool, path: &str) -> Option<Response> {
    if !is_get {
        return None;
    }
    let rest = path.strip_prefix("/customers/")?;
    let (id, area) = rest.split_once('/').unwrap_or((rest, ""));
    let old_id = id.parse::<i32>().ok()?;
    let new_id = crate::customers::areas::merge::service::alias_of(&state.db, old_id).await.ok()??;
    let location =
        if area.is_empty() { format!("/customers/{new_id}") } else { format!("/customers/{new_id}/{area}") };
    Some((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response())
}

/// Requests must name our own site, and state-changing ones must come from it. The site is the
/// configured base URL, never what a request claims: a Host header other than the base URL's
/// (a DNS rebinding page, a mistyped name) gets a redirect to the real address for a GET and
/// 421 otherwise; a POST needs an Origin (or Referer) of exactly the base URL's scheme, host and
/// port.
pub async fn origin_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let site = &state.site;
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(String::from)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let reading = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if req.uri().path() != "/healthz" && !site.is_host(&host) {
        tracing::warn!(%host, "refused a request for another host");
        if reading {
            let target =
                format!("{}{}", site.origin, req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/"));
            return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, target)]).into_response();
        }
        return (StatusCode::MISDIRECTED_REQUEST, "unknown host").into_response();
    }
    if reading {
        return next.run(req).await;
    }
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !site.is_origin_of(source) {
        tracing::warn!(%host, %source, "rejected cross-origin request");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(req).await
}

/// A server function answers every error with 500 and the error as JSON: give it the status
/// that says what happened (`AppError::status`: 422, 409, 404, 403, 401; 5xx only for faults).
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    // Only the error answer itself: a form posted without JavaScript is sent back with a
    // redirect that carries the error, and stays a redirect.
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A safety net under every form's own rules: no server function accepts a string with a
/// control character other than line breaks and tabs, or a bidirectional override (NUL, escape
/// sequences, U+202E…), wherever it sits in the arguments. Answers 422 with a clear message.
pub async fn refuse_control_chars(req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, super::router::BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && has_forbidden_text(&value)
    {
        let error = AppError::Validation(vec![crate::error::FieldError::new("", "validation.control_chars")]);
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (StatusCode::UNPROCESSABLE_ENTITY, [(header::CONTENT_TYPE, "application/json")], body)
            .into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn has_forbidden_text(value: &serde_json::Value) -> bool {
    use crate::text::{Lines, is_forbidden};
    match value {
        serde_json::Value::String(s) => s.chars().any(|c| is_forbidden(c, Lines::Many)),
        serde_json::Value::Array(items) => items.iter().any(has_forbidden_text),
        serde_json::Value::Object(map) => {
            map.iter().any(|(k, v)| k.chars().any(|c| is_forbidden(c, Lines::Many)) || has_forbidden_text(v))
        }
        _ => false,
    }
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_static = is_static(req.uri().path());
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    // Pages, server functions and documents carry personal data: no cache (a shared one or the
    // browser's disk) keeps a copy. Only the app's own files may be cached.
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages set their own policy with a script nonce (app.rs). Now and then a page arrives
    // without it (its response options were read before the shell set it): take the nonce from
    // the page itself, or its scripts would be blocked and it would never hydrate.
    let is_html =
        h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let policy = crate::web::respond::page_nonce(&bytes)
            .map(crate::web::respond::page_policy)
            .unwrap_or_else(|| "default-src 'none'; frame-ancestors 'none'".into());
        if let Ok(value) = HeaderValue::from_str(&policy) {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    response
}
