//! A release's download: staff attach one file to a release (`POST /settings/releases/{id}/file`,
//! streamed into the store like every upload), and a customer may fetch it while one of their
//! active licences of the product covers it: the version they bought, or a release dated within
//! their update service; and only while their Daten say "products downloadable".
use crate::auth::{Permission, StaffIdentity};
use crate::db::entities::product_release;
use crate::db::{Db, stmt};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, translate_with};
use crate::storage::cleanup;
use crate::storage::upload::{self, Upload};
use crate::web::client_ip::ClientIp;
use crate::web::state::AppState;
use axum::extract::{Extension, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use std::collections::HashMap;

/// Licence `l` of customer `c` covers release `r` for download.
const COVERS: &str = "c.products_downloadable = TRUE AND r.file_key IS NOT NULL AND l.status = 'active' \
     AND (l.version_bought = r.version OR (l.update_service = TRUE AND l.updates_until >= r.released_on))";

/// The newest downloadable release per licence (of those given), for the self-service list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    pub release_id: i32,
    pub version: String,
    pub file_name: String,
}

pub async fn newest_per_licence<C: sea_orm::ConnectionTrait>(
    db: &C,
    licence_ids: &[i32],
) -> AppResult<HashMap<i32, Download>> {
    if licence_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<String> = licence_ids.iter().map(i32::to_string).collect();
    let sql = format!(
        "SELECT l.id AS licence_id, r.id AS release_id, r.version, r.file_name FROM licences l \
         JOIN product_releases r ON r.product_id = l.product_id JOIN customers c ON c.id = l.customer_id \
         WHERE l.id IN ({}) AND {COVERS} ORDER BY r.released_on DESC, r.id DESC",
        ids.join(", ")
    );
    let mut newest = HashMap::new();
    for row in db.query_all_raw(stmt(db, &sql, vec![])).await? {
        let licence: i32 = row.try_get("", "licence_id")?;
        if let std::collections::hash_map::Entry::Vacant(slot) = newest.entry(licence) {
            slot.insert(Download {
                release_id: row.try_get("", "release_id")?,
                version: row.try_get("", "version")?,
                file_name: row.try_get("", "file_name")?,
            });
        }
    }
    Ok(newest)
}

/// The release, if one of the customer's licences covers it for download; else "not found".
pub async fn downloadable<C: sea_orm::ConnectionTrait>(
    db: &C,
    customer_id: i32,
    release_id: i32,
) -> AppResult<product_release::Model> {
    let sql = format!(
        "SELECT r.id FROM product_releases r JOIN licences l ON l.product_id = r.product_id \
         JOIN customers c ON c.id = l.customer_id WHERE r.id = $1 AND l.customer_id = $2 AND {COVERS} LIMIT 1"
    );
    db.query_one_raw(stmt(db, &sql, vec![release_id.into(), customer_id.into()]))
        .await?
        .ok_or(AppError::NotFound)?;
    product_release::Entity::find_by_id(release_id).one(db).await?.ok_or(AppError::NotFound)
}

/// Give a release its file; a file it had before goes to the clean-up.
pub async fn attach(db: &Db, release_id: i32, u: &Upload) -> AppResult<product_release::Model> {
    let txn = crate::db::begin_write(db).await?;
    let release =
        product_release::Entity::find_by_id(release_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if let Some(old) = &release.file_key {
        cleanup::schedule(&txn, old, chrono::Utc::now(), "deleted").await?;
    }
    let mut am = release.into_active_model();
    am.file_key = Set(Some(u.key.clone()));
    am.file_name = Set(u.name.clone());
    am.file_size = Set(Some(u.size));
    am.file_type = Set(u.content_type.clone());
    am.file_sha256 = Set(u.sha256.clone());
    let saved = am.update(&txn).await?;
    cleanup::keep(&txn, &u.key).await?;
    txn.commit().await?;
    Ok(saved)
}

fn refused(
    locale: Locale,
    release_id: i32,
    status: StatusCode,
    key: &str,
    args: &[(&str, &str)],
) -> Response {
    let message = translate_with(locale, key, args);
    let back = format!("/settings/products/releases/{release_id}");
    crate::web::respond::refusal_page(
        locale,
        (status, "upload.refused"),
        &message,
        &back,
        "catalogue.back_to_release",
    )
}

/// `POST /settings/releases/{id}/file`: one file (`file`) for the release. 303 back to the
/// release; a refusal says why and stores nothing.
pub async fn upload_file(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    client: ClientIp,
    Path(release_id): Path<i32>,
    request: axum::extract::Request,
) -> Response {
    if !staff.can(Permission::SettingsProducts) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut multipart =
        match <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state).await {
            Ok(m) => m,
            Err(rejection) => return rejection.into_response(),
        };
    let Ok(_turn) = state.uploads.acquire().await else { return crate::web::respond::internal() };
    let max_mb = state.config.upload_max_mb.to_string();
    let mut stored: Option<Upload> = None;
    let outcome = loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break Ok(()),
            Err(e) => break Err(upload::Refused::Broken(e.status())),
        };
        if field.name() != Some("file") || stored.is_some() {
            continue;
        }
        match upload::receive(&state.store, &state.db, field, state.config.upload_max_bytes()).await {
            Ok(u) => stored = u,
            Err(r) => break Err(r),
        }
    };
    let refusal = match (outcome, stored) {
        (Ok(()), Some(u)) => match attach(&state.db, release_id, &u).await {
            Ok(release) => {
                let who = crate::audit::service::Who::staff(staff.id, &staff.name, Some(client.to_string()));
                let act = crate::audit::service::Act::new(
                    "release_file_saved",
                    format!("{} {}", release.version, u.name),
                );
                if crate::audit::service::record(&state.db, &who, act).await.is_err() {
                    return crate::web::respond::internal();
                }
                let back = format!("/settings/products/releases/{release_id}?file=1");
                return crate::web::respond::see_other(&back, None);
            }
            Err(e) => {
                upload::forget(&state.store, std::slice::from_ref(&u)).await;
                match e {
                    AppError::NotFound => (StatusCode::NOT_FOUND, "error.not_found", None),
                    _ => (StatusCode::INTERNAL_SERVER_ERROR, "error.internal", None),
                }
            }
        },
        (Ok(()), None) => (StatusCode::BAD_REQUEST, "files.none_chosen", None),
        (Err(r), u) => {
            upload::forget(&state.store, u.as_slice()).await;
            upload::drain(&mut multipart).await;
            r.answer()
        }
    };
    let (status, key, name) = refusal;
    let name = name.unwrap_or_default();
    refused(locale, release_id, status, key, &[("name", &name), ("max", &max_mb)])
}
