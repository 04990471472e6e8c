//! The axum router: form endpoints, health check, Leptos pages and server functions, assets.
use super::middleware::{identify, origin_check, refuse_control_chars, security_headers, server_fn_status};
use crate::app::{App, shell};
use crate::auth::handlers;
use crate::web::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodRouter, get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

/// The largest request body: forms and server-function arguments are far smaller (a mail body
/// of 100,000 characters fits); larger bodies answer 413 before anything reads them.
pub const BODY_LIMIT: usize = 256 * 1024;

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// Every route that is neither a Leptos page nor a server function: method and path. The
/// authorization matrix has a row for each (tests/it/authorization.rs), so a route added here
/// without a decision on who may call it fails the tests; a handler not listed here is never
/// served.
pub const PLAIN_ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("POST", "/auth/login"),
    ("POST", "/auth/2fa"),
    ("POST", "/auth/logout"),
    ("POST", "/lang"),
    ("GET", "/api/live/{customer}"),
    ("GET", "/api/licences/verify"),
    ("GET", "/documents/customers/{id}/vcard"),
    ("POST", "/documents/customers/{id}/report.json"),
    ("POST", "/documents/customers/{id}/report.pdf"),
    ("POST", "/documents/customers/{id}/report.zip"),
    ("POST", "/portal/auth/login"),
    ("POST", "/portal/auth/logout"),
    ("POST", "/portal/auth/forgot"),
    ("POST", "/portal/auth/reset"),
    ("POST", "/portal/auth/2fa"),
    ("POST", "/portal/auth/impersonate"),
    ("POST", "/portal/auth/stop-impersonation"),
];

fn plain_route(path: &str) -> MethodRouter<AppState> {
    use crate::documents::handlers as documents;
    use crate::portal::handlers as portal;
    match path {
        "/healthz" => get(healthz),
        "/auth/login" => post(handlers::login),
        "/auth/2fa" => post(handlers::second_factor),
        "/auth/logout" => post(handlers::logout),
        "/lang" => post(handlers::set_language),
        "/api/live/{customer}" => get(super::sse::customer_stream),
        "/api/licences/verify" => get(crate::customers::areas::products::verify::handler),
        "/documents/customers/{id}/vcard" => get(documents::vcard),
        "/documents/customers/{id}/report.json" => post(documents::report_json),
        "/documents/customers/{id}/report.pdf" => post(documents::report_pdf),
        "/documents/customers/{id}/report.zip" => post(documents::report_zip),
        "/portal/auth/login" => post(portal::login),
        "/portal/auth/logout" => post(portal::logout),
        "/portal/auth/forgot" => post(portal::forgot),
        "/portal/auth/reset" => post(portal::reset),
        "/portal/auth/2fa" => post(portal::second_factor),
        "/portal/auth/impersonate" => post(portal::impersonate),
        "/portal/auth/stop-impersonation" => post(portal::stop_impersonation),
        other => unreachable!("no handler for the listed route {other}"),
    }
}

pub fn app_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    // Over HTTPS browsers are told to use nothing else for a year.
    let hsts = state.config.secure_cookies.then(|| {
        tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000"),
        )
    });
    PLAIN_ROUTES
        .iter()
        .fold(Router::new(), |router, (_, path)| router.route(path, plain_route(path)))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(refuse_control_chars))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), identify))
        .layer(axum::middleware::from_fn_with_state(state.clone(), origin_check))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(tower::util::option_layer(hsts))
        .with_state(state)
}
