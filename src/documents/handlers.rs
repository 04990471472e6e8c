//! Downloads: plain links or forms, so they work without JavaScript. What is logged when it is
//! issued (the data report) is a POST, so neither a link nor another site can trigger it.
use crate::auth::{Permission, StaffIdentity};
use crate::records::progress::Progress;
use crate::web::client_ip::ClientIp;
use crate::web::state::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The report of a customer for a staff member allowed to issue it; issuing is logged (with
/// the format) and so appears in the Log and the timeline. Its steps go to the open profile as
/// progress ("report"); a typeset format adds one step, reported by `pdf`.
async fn issue(
    state: &AppState,
    (staff, client): (&StaffIdentity, ClientIp),
    customer_id: i32,
    format: &str,
) -> Result<(crate::records::model::Report, Progress), Response> {
    if !staff.can(Permission::DataReport) {
        return Err(StatusCode::FORBIDDEN.into_response());
    }
    let progress = Progress::live(state.live.clone(), customer_id, "report", &staff.name);
    let typesetting = usize::from(format != "json");
    let with_blocked = staff.can(Permission::RetainedView);
    let report = match crate::customers::report::report_with(
        &state.db,
        customer_id,
        with_blocked,
        &progress,
        typesetting,
    )
    .await
    {
        Ok(r) => r,
        Err(crate::error::AppError::NotFound) => return Err(StatusCode::NOT_FOUND.into_response()),
        Err(_) => return Err(crate::web::respond::internal()),
    };
    crate::customers::areas::log::service::append(
        &state.ctx(&staff.name),
        crate::events::service::NewEvent::new(
            customer_id,
            "data_report_issued",
            crate::events::service::Actor::Staff(staff.id),
            format,
        ),
    )
    .await
    .map_err(|_| crate::web::respond::internal())?;
    let who = crate::audit::service::Who::staff(staff.id, &staff.name, Some(client.to_string()));
    let act = crate::audit::service::Act::new("data_report", report.customer_number.clone())
        .customer(customer_id)
        .change("", format);
    crate::audit::service::record(&state.db, &who, act).await.map_err(|_| crate::web::respond::internal())?;
    Ok((report, progress))
}

fn download(content_type: &str, file: String, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// The PDF in the customer's language with the operator's Art. 15 texts.
async fn pdf(
    state: &AppState,
    report: &crate::records::model::Report,
    progress: &Progress,
) -> Result<Vec<u8>, Response> {
    let locale = crate::i18n::Locale::from_code(&report.language).unwrap_or_default();
    let texts = crate::records::report_texts::texts(&state.db, locale)
        .await
        .map_err(|_| crate::web::respond::internal())?;
    let report = report.clone();
    // Typesetting is CPU work: keep it off the async workers, and only a few at once (more wait
    // their turn), so report downloads cannot take every core.
    let Ok(_turn) = state.renders.acquire().await else { return Err(crate::web::respond::internal()) };
    let rendered =
        tokio::task::spawn_blocking(move || super::report_pdf::render(locale, &report, &texts)).await;
    let steps = crate::customers::areas::registry::all_records().len() + 1;
    progress.step(steps, steps);
    match rendered {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "data report PDF failed");
            Err(crate::web::respond::internal())
        }
        Err(_) => Err(crate::web::respond::internal()),
    }
}

/// GET /documents/customers/{id}/report.json: "Datenauskunft", everything stored about the
/// customer in every area (Art. 15 and 20 GDPR), machine-readable.
pub async fn report_json(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    client: ClientIp,
    Path(customer_id): Path<i32>,
) -> Response {
    let (report, _) = match issue(&state, (&staff, client), customer_id, "json").await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let Ok(body) = serde_json::to_vec_pretty(&report) else { return crate::web::respond::internal() };
    download("application/json", format!("Datenauskunft-{}.json", report.customer_number), body)
}

/// GET /documents/customers/{id}/report.pdf: the report with the Art. 15 information, typeset.
pub async fn report_pdf(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    client: ClientIp,
    Path(customer_id): Path<i32>,
) -> Response {
    let (report, progress) = match issue(&state, (&staff, client), customer_id, "pdf").await {
        Ok(r) => r,
        Err(response) => return response,
    };
    match pdf(&state, &report, &progress).await {
        Ok(body) => {
            download("application/pdf", format!("Datenauskunft-{}.pdf", report.customer_number), body)
        }
        Err(response) => response,
    }
}

/// GET /documents/customers/{id}/report.zip: the PDF and the JSON of one snapshot together.
pub async fn report_zip(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    client: ClientIp,
    Path(customer_id): Path<i32>,
) -> Response {
    let (report, progress) = match issue(&state, (&staff, client), customer_id, "zip").await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let pdf = match pdf(&state, &report, &progress).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let name = format!("Datenauskunft-{}", report.customer_number);
    let Ok(json) = serde_json::to_vec_pretty(&report) else { return crate::web::respond::internal() };
    match zip_of(&[(format!("{name}.pdf"), pdf), (format!("{name}.json"), json)]) {
        Ok(body) => download("application/zip", format!("{name}.zip"), body),
        Err(e) => {
            tracing::error!(error = %e, "data report ZIP failed");
            crate::web::respond::internal()
        }
    }
}

fn zip_of(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// GET /documents/customers/{id}/vcard: the customer and its active contacts as a .vcf file.
pub async fn vcard(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Extension(locale): Extension<crate::i18n::Locale>,
    Path(customer_id): Path<i32>,
) -> Response {
    if !staff.can(Permission::CustomersView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Ok(detail) = crate::customers::service::detail(&state.db, customer_id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(contacts) = crate::customers::areas::contacts::service::list(&state.db, customer_id).await else {
        return crate::web::respond::internal();
    };
    let active: Vec<_> = contacts.into_iter().filter(|c| c.active).map(|c| c.input).collect();
    let body = super::vcard::cards(&detail, &active, locale);
    let file = format!("attachment; filename=\"{}.vcf\"", detail.number);
    (
        [
            (header::CONTENT_TYPE, "text/vcard; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, file),
        ],
        body,
    )
        .into_response()
}

/// GET /documents/customers/{id}/invoices/{invoice}/pdf: a final invoice exactly as archived.
pub async fn invoice_pdf(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path((customer_id, invoice_id)): Path<(i32, i32)>,
) -> Response {
    staff_invoice_file(&state, &staff, customer_id, invoice_id, InvoiceFile::Pdf).await
}

/// GET /documents/customers/{id}/invoices/{invoice}/xml: its e-invoice exactly as archived.
pub async fn invoice_xml(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path((customer_id, invoice_id)): Path<(i32, i32)>,
) -> Response {
    staff_invoice_file(&state, &staff, customer_id, invoice_id, InvoiceFile::Xml).await
}

/// GET /documents/customers/{id}/quotes/{quote}/pdf: a sent quote exactly as archived.
pub async fn quote_pdf(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path((customer_id, quote_id)): Path<(i32, i32)>,
) -> Response {
    if !staff.can(Permission::BillingView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Ok(q) = crate::billing::quotes::find(&state.db, customer_id, quote_id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    crate::documents::quote_archive::download(&state.store, &q).await
}

/// GET /documents/customers/{id}/dunning/{notice}/pdf: a dunning notice exactly as archived.
pub async fn dunning_pdf(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path((customer_id, notice_id)): Path<(i32, i32)>,
) -> Response {
    if !staff.can(Permission::BillingView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    crate::documents::dunning_archive::download(&state.db, &state.store, customer_id, notice_id).await
}

async fn staff_invoice_file(
    state: &AppState,
    staff: &StaffIdentity,
    customer_id: i32,
    invoice_id: i32,
    file: InvoiceFile,
) -> Response {
    if !staff.can(Permission::BillingView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Ok(inv) = crate::billing::invoices::find(&state.db, customer_id, invoice_id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    file.send(&state.store, &inv).await
}

/// An archived file of a final invoice: its PDF, or its e-invoice XML.
#[derive(Clone, Copy)]
pub enum InvoiceFile {
    Pdf,
    Xml,
}

impl InvoiceFile {
    /// The archived bytes as a download named by the invoice number; 404 when the invoice is
    /// not final, not archived yet (a few seconds after finalising) or has no such file.
    pub async fn send(
        self,
        store: &crate::storage::Store,
        inv: &crate::db::entities::invoice::Model,
    ) -> Response {
        use super::invoice_archive::{archived, archived_xml};
        let (read, ext, content_type) = match self {
            InvoiceFile::Pdf => (archived(store, inv).await, "pdf", "application/pdf"),
            InvoiceFile::Xml => (archived_xml(store, inv).await, "xml", "application/xml"),
        };
        match read {
            Ok(bytes) => {
                let name = format!("{}.{ext}", inv.number.clone().unwrap_or_default());
                crate::web::download::bytes(bytes, &name, content_type)
            }
            Err(crate::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
            Err(_) => crate::web::respond::internal(),
        }
    }
}
