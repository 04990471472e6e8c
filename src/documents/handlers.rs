//! Downloads: plain links, so they work without JavaScript.
use crate::auth::{Permission, StaffIdentity};
use crate::server::state::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// GET /documents/customers/{id}/report.json: "Datenauskunft", everything stored about the
/// customer in every area (Art. 15 and 20 GDPR), machine-readable. Issuing it is logged.
pub async fn report_json(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path(customer_id): Path<i32>,
) -> Response {
    if !staff.can(Permission::DataReport) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let report = match crate::records::registry::report(&state.db, customer_id).await {
        Ok(r) => r,
        Err(crate::error::AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return crate::server::respond::internal(),
    };
    let issued = crate::events::service::record(
        &state.db,
        crate::events::service::NewEvent {
            customer_id,
            kind: "data_report_issued",
            actor: crate::events::service::ActorRef::Staff(staff.id),
            impersonator_staff_id: None,
            ip: None,
            user_agent: None,
            payload: "json".into(),
        },
    )
    .await;
    let (Ok(body), Ok(())) = (serde_json::to_string_pretty(&report), issued) else {
        return crate::server::respond::internal();
    };
    state.live.publish(crate::live::LiveEvent::new(customer_id, "log", &staff.name)).await;
    let file = format!("attachment; filename=\"Datenauskunft-{}.json\"", report.customer_number);
    ([(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, file)], body)
        .into_response()
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
