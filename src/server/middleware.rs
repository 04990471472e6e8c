//! Request middleware: who is asking (session, language), the login gate, the Origin check
//! and security headers.
use super::cookies::cookie_value;
use super::state::AppState;
use crate::auth::service::{SESSION_COOKIE, resolve_session};
use crate::error::AppError;
use crate::i18n::Locale;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths that answer without a session: the login, health check and static assets.
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/auth/login" | "/lang" | "/healthz") || is_static(path)
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
    let token = cookie_value(headers, SESSION_COOKIE);
    req.extensions_mut().insert(locale);
    let staff = match token {
        Some(token) => match resolve_session(&state.db, &token).await {
            Ok(staff) => staff,
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        },
        None => None,
    };
    let path = req.uri().path().to_string();
    match staff {
        Some(staff) => {
            req.extensions_mut().insert(staff);
        }
        None if is_public(&path) => {}
        None if path.starts_with("/api/") => {
            let body = serde_json::to_string(&AppError::Unauthenticated).unwrap_or_default();
            return (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "application/json")], body)
                .into_response();
        }
        None => {
            let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let location = format!("/login?next={}", crate::customers::model::encode_component(target));
            return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
        }
    }
    next.run(req).await
}

/// Reject state-changing requests from other sites: their Origin (or Referer) must be our host.
pub async fn origin_check(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let source_host =
        source.split("://").nth(1).map(|rest| rest.split('/').next().unwrap_or("")).unwrap_or("");
    if host.is_empty() || source_host != host {
        tracing::warn!(%host, %source, "rejected cross-origin request");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(req).await
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("frame-ancestors 'none'"));
    response
}
