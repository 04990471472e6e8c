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
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::limit::RequestBodyLimitLayer;

/// The largest request body: forms and server-function arguments are far smaller (a mail body
/// of 100,000 characters fits); larger bodies answer 413 before anything reads them.
pub const BODY_LIMIT: usize = 256 * 1024;

/// The routes that take file uploads: their bodies may be as large as the configured upload.
pub const UPLOAD_ROUTES: &[&str] =
    &["/files/customers/{id}", "/settings/releases/{id}/file", "/bank/imports"];

/// Whether a request goes to an upload route (`UPLOAD_ROUTES`, with a number for `{id}`).
pub fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    method == axum::http::Method::POST
        && (path == "/bank/imports"
            || path.strip_prefix("/files/customers/").is_some_and(number)
            || path
                .strip_prefix("/settings/releases/")
                .and_then(|rest| rest.strip_suffix("/file"))
                .is_some_and(number))
}

/// A body declared larger than its route takes is refused first, before the session lookup
/// and before a byte of it is read; the routes' own limits stop bodies that declare nothing.
async fn declared_size(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let limit = if is_upload(req.method(), req.uri().path()) {
        state.config.upload_request_max()
    } else {
        BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        // The unread body makes the connection unusable: say so, or a client would send its
        // next request on it and see it closed.
        let close = [(axum::http::header::CONNECTION, "close")];
        return (StatusCode::PAYLOAD_TOO_LARGE, close).into_response();
    }
    next.run(req).await
}

/// Downloads go out as they are stored: compressing a large file costs CPU for little gain,
/// and most kept kinds (PDF, images, archives) are compressed already.
fn not_attachment(
    _: StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    !headers.contains_key(axum::http::header::CONTENT_DISPOSITION)
}

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
    ("GET", "/documents/customers/{id}/invoices/{invoice}/pdf"),
    ("GET", "/documents/customers/{id}/invoices/{invoice}/xml"),
    ("GET", "/documents/customers/{id}/quotes/{quote}/pdf"),
    ("GET", "/documents/customers/{id}/dunning/{notice}/pdf"),
    ("GET", "/documents/customers/{id}/statement.pdf"),
    ("GET", "/documents/customers/{id}/statement.csv"),
    ("POST", "/documents/customers/{id}/report.json"),
    ("POST", "/documents/customers/{id}/report.pdf"),
    ("POST", "/documents/customers/{id}/report.zip"),
    ("POST", "/files/customers/{id}"),
    ("POST", "/settings/releases/{id}/file"),
    ("POST", "/bank/imports"),
    ("GET", "/bank/sepa/{id}"),
    ("GET", "/portal/downloads/{release}"),
    ("GET", "/files/customers/{id}/{file}"),
    ("POST", "/files/customers/{id}/{file}/change"),
    ("POST", "/hostings/customers/{id}/{hosting}/request"),
    ("GET", "/portal/files/{file}"),
    ("GET", "/portal/invoices/{invoice}/pdf"),
    ("GET", "/portal/invoices/{invoice}/xml"),
    ("GET", "/portal/quotes/{quote}/pdf"),
    ("GET", "/portal/dunning/{notice}/pdf"),
    ("POST", "/portal/quotes/{quote}/accept"),
    ("POST", "/portal/quotes/{quote}/decline"),
    ("GET", "/portal/statement.pdf"),
    ("GET", "/portal/statement.csv"),
    ("POST", "/portal/domains/{domain}/authcode"),
    ("POST", "/portal/domains/{domain}/change"),
    ("POST", "/portal/auth/login"),
    ("POST", "/portal/auth/logout"),
    ("POST", "/portal/auth/forgot"),
    ("POST", "/portal/auth/reset"),
    ("POST", "/portal/auth/2fa"),
    ("POST", "/portal/auth/impersonate"),
    ("POST", "/portal/auth/stop-impersonation"),
];

fn plain_route(path: &str) -> MethodRouter<AppState> {
    use crate::customers::areas::files::handlers as files;
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
        "/documents/customers/{id}/invoices/{invoice}/pdf" => get(documents::invoice_pdf),
        "/documents/customers/{id}/invoices/{invoice}/xml" => get(documents::invoice_xml),
        "/documents/customers/{id}/quotes/{quote}/pdf" => get(documents::quote_pdf),
        "/documents/customers/{id}/dunning/{notice}/pdf" => get(documents::dunning_pdf),
        "/documents/customers/{id}/statement.pdf" => get(crate::documents::statement::staff_pdf),
        "/documents/customers/{id}/statement.csv" => get(crate::documents::statement::staff_csv),
        "/documents/customers/{id}/report.json" => post(documents::report_json),
        "/documents/customers/{id}/report.pdf" => post(documents::report_pdf),
        "/documents/customers/{id}/report.zip" => post(documents::report_zip),
        "/files/customers/{id}" => post(files::upload),
        "/settings/releases/{id}/file" => post(crate::catalogue::downloads::upload_file),
        "/bank/imports" => post(crate::settings::bank::upload::upload),
        "/bank/sepa/{id}" => get(crate::settings::bank::sepa_service::download),
        "/portal/downloads/{release}" => get(crate::portal::downloads::release),
        "/files/customers/{id}/{file}" => get(files::download),
        "/files/customers/{id}/{file}/change" => post(files::change),
        "/hostings/customers/{id}/{hosting}/request" => {
            post(crate::customers::areas::products::hosting_form::request)
        }
        "/portal/files/{file}" => get(crate::portal::downloads::file),
        "/portal/invoices/{invoice}/pdf" => get(crate::portal::downloads::invoice),
        "/portal/invoices/{invoice}/xml" => get(crate::portal::downloads::invoice_xml),
        "/portal/quotes/{quote}/pdf" => get(crate::portal::quotes::pdf),
        "/portal/dunning/{notice}/pdf" => get(crate::portal::downloads::dunning_notice),
        "/portal/quotes/{quote}/accept" => post(crate::portal::quotes::accept_form),
        "/portal/quotes/{quote}/decline" => post(crate::portal::quotes::decline_form),
        "/portal/statement.pdf" => get(crate::portal::downloads::statement_pdf),
        "/portal/statement.csv" => get(crate::portal::downloads::statement_csv),
        "/portal/domains/{domain}/authcode" => post(crate::portal::domains::authcode_form),
        "/portal/domains/{domain}/change" => post(crate::portal::domains::change_form),
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
    // Uploads stream large bodies under their own limit; every other request keeps BODY_LIMIT.
    let (uploads, plain): (Vec<_>, Vec<_>) =
        PLAIN_ROUTES.iter().partition(|(_, path)| UPLOAD_ROUTES.contains(path));
    let upload_limit = state.config.upload_request_max();
    let uploads = uploads
        .iter()
        .fold(Router::new(), |router, (_, path)| router.route(path, plain_route(path)))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(upload_limit));
    plain
        .iter()
        .fold(Router::new(), |router, (_, path)| router.route(path, plain_route(path)))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(uploads)
        .layer(axum::middleware::from_fn(refuse_control_chars))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), identify))
        .layer(axum::middleware::from_fn_with_state(state.clone(), origin_check))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), declared_size))
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(not_attachment)))
        .layer(tower::util::option_layer(hsts))
        .with_state(state)
}
