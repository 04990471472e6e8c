//! `POST /bank/imports`: a statement file (`file`) from a plain multipart form, read into an
//! import in preview; 303 to its page. A refusal (empty, too large, unreadable) is a page with
//! the reason and stores nothing. Works without JavaScript.
use crate::auth::{Permission, StaffIdentity};
use crate::billing::bank::import::{self, MAX_FILE_MB};
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::web::state::AppState;
use axum::extract::multipart::Multipart;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

const BACK: (&str, &str) = ("/settings/bank", "settings.bank.back");

fn too_large() -> AppError {
    AppError::Validation(vec![
        FieldError::new("file", "bank.file_too_large").with("max", MAX_FILE_MB.to_string()),
    ])
}

/// The file field's name and bytes, at most `MAX_FILE_MB`.
async fn receive(multipart: &mut Multipart) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let max = MAX_FILE_MB * 1024 * 1024;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| too_large())? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| too_large())? {
            if bytes.len() + chunk.len() > max {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if name.is_empty() && bytes.is_empty() {
            return Ok(None);
        }
        return Ok(Some((name, bytes)));
    }
    Ok(None)
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    request: axum::extract::Request,
) -> Response {
    if !staff.can(Permission::PaymentsBook) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut multipart =
        match <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state).await {
            Ok(m) => m,
            Err(rejection) => return rejection.into_response(),
        };
    let outcome = match receive(&mut multipart).await {
        Ok(Some((name, bytes))) => {
            import::preview(&state.db, &staff.name, &name, &bytes).await.map(|p| (name, p))
        }
        Ok(None) => Err(AppError::Validation(vec![FieldError::new("file", "files.none_chosen")])),
        Err(e) => {
            crate::storage::upload::drain(&mut multipart).await;
            Err(e)
        }
    };
    match outcome {
        Ok((name, p)) => {
            if !p.again {
                let act = crate::audit::service::Act::new(
                    "bank_import_uploaded",
                    format!("#{} {name}", p.import_id),
                )
                .change("", format!("{} lines", p.lines));
                let who = crate::audit::service::Who::staff(staff.id, &staff.name, None);
                if crate::audit::service::record(&state.db, &who, act).await.is_err() {
                    return crate::web::respond::internal();
                }
            }
            crate::web::respond::see_other(&format!("/settings/bank/{}", p.import_id), None)
        }
        Err(e) => crate::web::respond::form_refusal(locale, &e, "error.conflict", BACK),
    }
}
