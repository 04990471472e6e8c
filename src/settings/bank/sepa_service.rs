//! The collections made, newest first; and `GET /bank/sepa/{id}`: a collection's pain.008 file
//! as a download.
use crate::billing::sepa::model::{CollectionPage, CollectionRow};
use crate::db::{Db, stmt};
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

const PER_PAGE: u64 = 20;

pub async fn collections(db: &Db, page: u32, today: chrono::NaiveDate) -> AppResult<CollectionPage> {
    let page = page.max(1);
    let total: i64 = db
        .query_one_raw(stmt(db, "SELECT COUNT(*) AS n FROM sepa_collections", vec![]))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT id, message_id, collection_date, count, total_cents, created_by, created_at FROM sepa_collections \
             ORDER BY id DESC LIMIT $1 OFFSET $2",
            vec![(PER_PAGE as i64).into(), (i64::from(page - 1) * PER_PAGE as i64).into()],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(CollectionRow {
                id: r.try_get("", "id")?,
                message_id: r.try_get("", "message_id")?,
                collection_date: r.try_get::<chrono::NaiveDate>("", "collection_date")?.to_string(),
                count: r.try_get("", "count")?,
                total_cents: r.try_get("", "total_cents")?,
                created_by: r.try_get("", "created_by")?,
                created_at: r.try_get::<chrono::DateTime<chrono::Utc>>("", "created_at")?.to_rfc3339(),
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let seller = crate::billing::seller::SellerSettings::load(db).await?;
    Ok(CollectionPage {
        rows,
        total: total as u64,
        page,
        pages: (total.max(0) as u64).div_ceil(PER_PAGE).max(1) as u32,
        earliest: (today + chrono::Days::new(1)).to_string(),
        creditor_ready: crate::billing::sepa::collect::creditor(&seller).is_some(),
    })
}

/// `GET /bank/sepa/{id}`: the pain.008 file of a collection, for staff who book payments.
pub async fn download(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    axum::extract::Extension(staff): axum::extract::Extension<crate::auth::StaffIdentity>,
    axum::extract::Path(id): axum::extract::Path<i32>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    if !staff.can(crate::auth::Permission::PaymentsBook) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match crate::billing::sepa::collect::file(&state.db, id).await {
        Ok((message_id, xml)) => crate::web::download::bytes(
            xml.into_bytes(),
            &format!("{message_id}.xml"),
            "application/xml; charset=utf-8",
        ),
        Err(crate::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => crate::web::respond::internal(),
    }
}
