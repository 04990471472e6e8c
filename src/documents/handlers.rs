//! Downloads: plain links, so they work without JavaScript.
use crate::auth::{Permission, StaffIdentity};
use crate::server::state::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

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
        return crate::server::respond::internal();
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
