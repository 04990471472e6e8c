//! The routes that move file bytes: uploads streamed into the store part by part (never whole in
//! memory), typed by their first bytes and size-limited on the way; downloads streamed out as
//! attachments. Plain forms and links, so they work without JavaScript.
use super::service;
use crate::auth::{Permission, StaffIdentity};
use crate::db::entities::customer_file;
use crate::i18n::{Locale, translate_with};
use crate::storage::Store;
use crate::storage::upload::{self, Upload};
use crate::web::state::AppState;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why an upload was refused: its status and the message (key and arguments) the user reads.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Refusal {
    fn new(status: StatusCode, key: &'static str) -> Refusal {
        Refusal { status, key, args: Vec::new() }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Refusal {
        self.args.push((name, value.into()));
        self
    }

    fn internal() -> Refusal {
        Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    }

    fn of_multipart(e: MultipartError) -> Refusal {
        Refusal::of_upload(upload::Refused::from(e), 0)
    }

    fn of_upload(r: upload::Refused, max_mb: u64) -> Refusal {
        let (status, key, name) = r.answer();
        let refusal = Refusal::new(status, key).with("max", max_mb.to_string());
        match name {
            Some(name) => refusal.with("name", name),
            None => refusal,
        }
    }
}

/// The refusal as a page, with the way back to the files.
fn refused(locale: Locale, customer_id: i32, r: Refusal) -> Response {
    let args: Vec<(&str, &str)> = r.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let message = translate_with(locale, r.key, &args);
    let back = format!("/customers/{customer_id}/files");
    crate::web::respond::refusal_page(locale, (r.status, "upload.refused"), &message, &back, "files.back")
}

/// The form's fields, read before the files (the form puts them first).
#[derive(Default)]
struct Form {
    may_download: bool,
    expires_on: Option<chrono::NaiveDate>,
    expiry_checked: bool,
    expiry_text: String,
}

/// `POST /files/customers/{id}`: the files of a multipart form (`file`, several), with
/// `may_download` and `expires_on` for all of them. 303 back to the panel; a refusal names the
/// reason (413 too large, 415 not a kept kind) and stores nothing.
pub async fn upload(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    Path(customer_id): Path<i32>,
    request: axum::extract::Request,
) -> Response {
    // Who may upload is decided before the body is looked at.
    if !staff.can(Permission::FilesEdit) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut multipart =
        match <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state).await {
            Ok(m) => m,
            Err(rejection) => return axum::response::IntoResponse::into_response(rejection),
        };
    match crate::records::erasure::ensure_not_erased(&state.db, customer_id).await {
        Ok(()) => {}
        Err(crate::error::AppError::NotFound) => {
            upload::drain(&mut multipart).await;
            return StatusCode::NOT_FOUND.into_response();
        }
        Err(_) => {
            upload::drain(&mut multipart).await;
            return refused(locale, customer_id, Refusal::new(StatusCode::CONFLICT, "erase.customer_erased"));
        }
    }
    let Ok(turn) = state.uploads.acquire().await else { return crate::web::respond::internal() };
    let mut stored = Vec::new();
    match receive(&state, &mut multipart, &mut stored).await {
        Ok(form) => {
            let ctx = state.ctx(&staff.name);
            match service::register(&ctx, staff.id, customer_id, &stored, form.may_download, form.expires_on)
                .await
            {
                Ok(ids) => crate::web::respond::see_other(
                    &format!("/customers/{customer_id}/files?uploaded={}", ids.len()),
                    None,
                ),
                Err(e) => {
                    upload::forget(&state.store, &stored).await;
                    tracing::warn!(error = %e, "registering uploaded files");
                    let r = match e {
                        crate::error::AppError::NotFound => {
                            Refusal::new(StatusCode::NOT_FOUND, "error.not_found")
                        }
                        _ => Refusal::internal(),
                    };
                    refused(locale, customer_id, r)
                }
            }
        }
        Err(r) => {
            upload::forget(&state.store, &stored).await;
            // Draining stores nothing: it need not hold one of the upload turns.
            drop(turn);
            upload::drain(&mut multipart).await;
            refused(locale, customer_id, r)
        }
    }
}

async fn receive(
    state: &AppState,
    multipart: &mut Multipart,
    stored: &mut Vec<Upload>,
) -> Result<Form, Refusal> {
    let mut form = Form::default();
    let config = &state.config;
    while let Some(field) = multipart.next_field().await.map_err(Refusal::of_multipart)? {
        match field.name().unwrap_or_default() {
            "may_download" => {
                let value = upload::short_text(field)
                    .await
                    .map_err(|r| Refusal::of_upload(r, config.upload_max_mb))?;
                form.may_download = matches!(value.as_str(), "on" | "true" | "1");
            }
            "expires_on" => {
                form.expiry_text = upload::short_text(field)
                    .await
                    .map_err(|r| Refusal::of_upload(r, config.upload_max_mb))?
            }
            "file" => {
                if !form.expiry_checked {
                    form.expires_on = service::parse_expiry(&form.expiry_text, service::today())
                        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, expiry_key(&e.key)))?;
                    form.expiry_checked = true;
                }
                let received =
                    upload::receive(&state.store, &state.db, field, config.upload_max_bytes()).await;
                match received.map_err(|r| Refusal::of_upload(r, config.upload_max_mb))? {
                    Some(upload) if stored.len() == config.upload_max_files => {
                        stored.push(upload);
                        return Err(Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, "files.too_many")
                            .with("max", config.upload_max_files.to_string()));
                    }
                    Some(upload) => stored.push(upload),
                    None => {}
                }
            }
            _ => {}
        }
    }
    if stored.is_empty() {
        return Err(Refusal::new(StatusCode::BAD_REQUEST, "files.none_chosen"));
    }
    Ok(form)
}

/// The message keys an expiry can fail with, as the `'static` keys a refusal holds.
fn expiry_key(key: &str) -> &'static str {
    match key {
        "files.expiry_past" => "files.expiry_past",
        _ => "validation.date",
    }
}

/// The file's bytes as a download.
pub async fn send(store: &Store, file: &customer_file::Model) -> Response {
    crate::web::download::stored(store, &file.storage_key, &file.name, &file.content_type, file.size).await
}

/// `GET /files/customers/{id}/{file}`: a file for staff who may see the customer's files.
pub async fn download(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path((customer_id, file_id)): Path<(i32, i32)>,
) -> Response {
    if !staff.can(Permission::FilesView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match service::find(&state.db, customer_id, file_id).await {
        Ok(file) => send(&state.store, &file).await,
        Err(crate::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => crate::web::respond::internal(),
    }
}

/// A file row's forms as a browser without JavaScript posts them.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    /// `flags`, `send` or `delete`.
    #[serde(rename = "do")]
    action: String,
    /// A checkbox: present ("on") when ticked.
    may_download: Option<String>,
    expires_on: String,
    version: i64,
    /// The panel page to return to.
    page: Option<u32>,
}

/// `POST /files/customers/{id}/{file}/change`: the row's forms without JavaScript — save the
/// release flag and expiry, send by mail, delete. 303 back to the panel with a notice; a
/// refusal (bad date, changed meanwhile) is a page with the reason, and nothing changed.
pub async fn change(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    Path((customer_id, file_id)): Path<(i32, i32)>,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Response {
    use crate::customers::areas::files::model::FileFlags;
    if !staff.can(Permission::FilesEdit) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let ctx = state.ctx(&staff.name);
    let done = match form.action.as_str() {
        "flags" => {
            let flags = FileFlags {
                customer_may_download: form.may_download.is_some(),
                expires_on: form.expires_on.clone(),
                version: form.version,
            };
            service::set_flags(
                &ctx,
                crate::events::actor::Actor::Staff(staff.id),
                customer_id,
                file_id,
                &flags,
            )
            .await
            .map(|()| "saved")
        }
        "send" => service::send_by_mail(&ctx, staff.id, customer_id, file_id).await.map(|_| "sent"),
        "delete" => {
            let deleted = service::delete(&ctx, staff.id, customer_id, file_id).await;
            state.cleanup_wakeup.notify_one();
            deleted.map(|()| "deleted")
        }
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match done {
        Ok(done) => {
            let page = form.page.filter(|p| *p > 1).map(|p| format!("&page={p}")).unwrap_or_default();
            crate::web::respond::see_other(&format!("/customers/{customer_id}/files?done={done}{page}"), None)
        }
        Err(e) => {
            let back = format!("/customers/{customer_id}/files");
            crate::web::respond::form_refusal(locale, &e, "files.conflict", (&back, "files.back"))
        }
    }
}
