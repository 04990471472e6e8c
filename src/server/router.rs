//! The axum router: form endpoints, health check, Leptos pages and server functions, assets.
use super::middleware::{identify, origin_check, security_headers, server_fn_status};
use crate::app::{App, shell};
use crate::auth::handlers;
use crate::web::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
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
    Router::new()
        .route("/healthz", get(healthz))
        .route("/auth/login", post(handlers::login))
        .route("/auth/2fa", post(handlers::second_factor))
        .route("/api/live/{customer}", get(super::sse::customer_stream))
        .route("/documents/customers/{id}/vcard", get(crate::documents::handlers::vcard))
        .route("/documents/customers/{id}/report.json", get(crate::documents::handlers::report_json))
        .route("/documents/customers/{id}/report.pdf", get(crate::documents::handlers::report_pdf))
        .route("/documents/customers/{id}/report.zip", get(crate::documents::handlers::report_zip))
        .route("/auth/logout", post(handlers::logout))
        .route("/lang", post(handlers::set_language))
        .route("/portal/auth/login", post(crate::portal::handlers::login))
        .route("/portal/auth/logout", post(crate::portal::handlers::logout))
        .route("/portal/auth/forgot", post(crate::portal::handlers::forgot))
        .route("/portal/auth/reset", post(crate::portal::handlers::reset))
        .route("/portal/auth/2fa", post(crate::portal::handlers::second_factor))
        .route("/portal/auth/impersonate", post(crate::portal::handlers::impersonate))
        .route("/portal/auth/stop-impersonation", post(crate::portal::handlers::stop_impersonation))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), identify))
        .layer(axum::middleware::from_fn_with_state(state.clone(), origin_check))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(tower::util::option_layer(hsts))
        .with_state(state)
}
