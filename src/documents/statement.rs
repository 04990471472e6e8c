//! `GET …/statement.pdf|csv?from=…&to=…`: the account statement of a period, for staff
//! (`/documents/customers/{id}/…`, `billing.view`) and for the customer in the self-service
//! area (`/portal/statement.…`). Plain links and a GET form: they work without JavaScript. In
//! the customer's language; a wrong period is a page saying why (400).
use crate::auth::{Permission, StaffIdentity};
use crate::billing::parties::{SellerSettings, buyer_of};
use crate::billing::statement::{csv, period, statement};
use crate::db::entities::customer;
use crate::i18n::Locale;
use crate::web::state::AppState;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The statement of `customer_id` as `format` (pdf or csv); `back` is where the refusal page
/// leads.
pub async fn respond(
    state: &AppState,
    customer_id: i32,
    format: &str,
    q: &PeriodQuery,
    (locale, back): (Locale, &str),
) -> Response {
    let (from, to) = match period(&q.from, &q.to) {
        Ok(p) => p,
        Err(e) => {
            return crate::web::respond::form_refusal(locale, &e, "error.conflict", (back, "statement.back"));
        }
    };
    let c = match customer::Entity::find_by_id(customer_id).one(&state.db).await {
        Ok(Some(c)) => c,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return crate::web::respond::internal(),
    };
    let Ok(s) = statement(&state.db, customer_id, from, to).await else {
        return crate::web::respond::internal();
    };
    let language = Locale::from_code(&c.language).unwrap_or_default();
    let name =
        format!("{}-{}-{from}-{to}.{format}", crate::i18n::translate(language, "statement.file"), c.number);
    if format == "csv" {
        return crate::web::download::bytes(csv(&s, language), &name, "text/csv; charset=utf-8");
    }
    let Ok(seller) = SellerSettings::load(&state.db).await else { return crate::web::respond::internal() };
    let today = crate::clock::business_day();
    let rendered = tokio::task::spawn_blocking(move || {
        super::statement_pdf::render(language, &s, &seller, &buyer_of(&c), today)
    })
    .await;
    match rendered {
        Ok(Ok(pdf)) => crate::web::download::bytes(pdf, &name, "application/pdf"),
        Ok(Err(why)) => {
            tracing::error!(error = %why, "typesetting a statement");
            crate::web::respond::internal()
        }
        Err(_) => crate::web::respond::internal(),
    }
}

/// `GET /documents/customers/{id}/statement.pdf` and `.csv`.
async fn staff(
    state: AppState,
    staff: StaffIdentity,
    locale: Locale,
    customer_id: i32,
    format: &str,
    q: PeriodQuery,
) -> Response {
    if !staff.can(Permission::BillingView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let back = format!("/customers/{customer_id}/transactions");
    respond(&state, customer_id, format, &q, (locale, &back)).await
}

pub async fn staff_pdf(
    State(state): State<AppState>,
    Extension(me): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    Path(customer_id): Path<i32>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    staff(state, me, locale, customer_id, "pdf", q).await
}

pub async fn staff_csv(
    State(state): State<AppState>,
    Extension(me): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    Path(customer_id): Path<i32>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    staff(state, me, locale, customer_id, "csv", q).await
}
