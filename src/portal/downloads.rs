//! Downloads in the self-service area: `GET /portal/files/{file}` (a file staff released) and
//! `GET /portal/downloads/{release}` (a release's file for a customer whose licence covers it,
//! `catalogue::downloads`); anything else is 404. Each download is in the Log with the address.
use crate::customers::areas::contacts::model::PortalRight;
use crate::customers::areas::files::{handlers as files, service as file_service};
use crate::documents::handlers::InvoiceFile;
use crate::portal::CustomerIdentity;
use crate::web::client_ip::ClientIp;
use crate::web::state::AppState;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn release(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    client: ClientIp,
    Path(release_id): Path<i32>,
) -> Response {
    if !me.may(PortalRight::Products) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let release = match crate::catalogue::downloads::downloadable(&state.db, me.customer_id, release_id).await
    {
        Ok(r) => r,
        Err(crate::error::AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return crate::web::respond::internal(),
    };
    let Some(key) = release.file_key.as_deref() else { return StatusCode::NOT_FOUND.into_response() };
    let what = format!("{} ({})", release.file_name, release.version);
    let ctx = state.ctx(&me.name);
    let logged =
        file_service::record_download(&ctx, me.customer_id, me.actor(), &what, &client.to_string()).await;
    if logged.is_err() {
        return crate::web::respond::internal();
    }
    let size = release.file_size.unwrap_or_default();
    crate::web::download::stored(&state.store, key, &release.file_name, &release.file_type, size).await
}

/// `GET /portal/files/{file}`: a released, unexpired file of the logged-in customer; any other
/// is 404. The download is in the customer's Log with the address.
pub async fn file(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    client: ClientIp,
    Path(file_id): Path<i32>,
) -> Response {
    if !me.may(PortalRight::Files) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let file =
        match file_service::portal_file(&state.db, me.customer_id, file_id, file_service::today()).await {
            Ok(f) => f,
            Err(crate::error::AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
            Err(_) => return crate::web::respond::internal(),
        };
    let ctx = state.ctx(&me.name);
    let ip = client.to_string();
    if file_service::record_download(&ctx, me.customer_id, me.actor(), &file.name, &ip).await.is_err() {
        return crate::web::respond::internal();
    }
    files::send(&state.store, &file).await
}

/// `GET /portal/invoices/{invoice}/pdf`: a final invoice of the logged-in customer exactly as
/// archived; drafts, other customers' invoices and ones not archived yet are 404.
pub async fn invoice(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    Path(invoice_id): Path<i32>,
) -> Response {
    invoice_file(&state, &me, invoice_id, InvoiceFile::Pdf).await
}

/// `GET /portal/invoices/{invoice}/xml`: its e-invoice, on the same terms.
pub async fn invoice_xml(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    Path(invoice_id): Path<i32>,
) -> Response {
    invoice_file(&state, &me, invoice_id, InvoiceFile::Xml).await
}

async fn invoice_file(
    state: &AppState,
    me: &CustomerIdentity,
    invoice_id: i32,
    file: InvoiceFile,
) -> Response {
    if !me.may(PortalRight::Invoices) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match crate::billing::invoices::find(&state.db, me.customer_id, invoice_id).await {
        Ok(inv) if inv.number.is_some() => file.send(&state.store, &inv).await,
        Ok(_) | Err(crate::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => crate::web::respond::internal(),
    }
}

/// `GET /portal/dunning/{notice}/pdf`: a dunning notice of the logged-in customer exactly as
/// archived (with the invoices right, as the invoices it is about); other customers' notices
/// and ones not archived yet are 404.
pub async fn dunning_notice(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    Path(notice_id): Path<i32>,
) -> Response {
    if !me.may(PortalRight::Invoices) {
        return StatusCode::FORBIDDEN.into_response();
    }
    crate::documents::dunning_archive::download(&state.db, &state.store, me.customer_id, notice_id).await
}

/// `GET /portal/statement.pdf` and `.csv?from=…&to=…`: the customer's account statement.
async fn statement(
    state: AppState,
    me: CustomerIdentity,
    locale: crate::i18n::Locale,
    format: &str,
    q: crate::documents::statement::PeriodQuery,
) -> Response {
    if !me.may(PortalRight::Invoices) {
        return StatusCode::FORBIDDEN.into_response();
    }
    crate::documents::statement::respond(&state, me.customer_id, format, &q, (locale, "/portal/invoices"))
        .await
}

pub async fn statement_pdf(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    Extension(locale): Extension<crate::i18n::Locale>,
    Query(q): Query<crate::documents::statement::PeriodQuery>,
) -> Response {
    statement(state, me, locale, "pdf", q).await
}

pub async fn statement_csv(
    State(state): State<AppState>,
    Extension(me): Extension<CustomerIdentity>,
    Extension(locale): Extension<crate::i18n::Locale>,
    Query(q): Query<crate::documents::statement::PeriodQuery>,
) -> Response {
    statement(state, me, locale, "csv", q).await
}
