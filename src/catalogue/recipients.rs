//! Who gets a release: the customers whose active licence of the product has update service
//! running on the release date, in pages by name, and how many had it run out before.
use super::model::*;
use crate::db::entities::{product, product_release};
use crate::db::stmt;
use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, EntityTrait, Value};

/// The licences that get the release (`$1` product, `$2` release date): active, with update
/// service, covered on the release date. The `(product_id, updates_until)` index serves it.
const ENTITLED: &str =
    "l.product_id = $1 AND l.status = 'active' AND l.update_service = TRUE AND l.updates_until >= $2";
/// Active with update service that ended before the release date.
const EXPIRED: &str =
    "l.product_id = $1 AND l.status = 'active' AND l.update_service = TRUE AND l.updates_until < $2";

async fn count<C: ConnectionTrait>(db: &C, condition: &str, values: Vec<Value>) -> AppResult<u64> {
    let sql = format!("SELECT COUNT(*) AS n FROM licences l WHERE {condition}");
    let row = db.query_one_raw(stmt(db, &sql, values)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}

/// Page `page` (from 1) of a release's recipients.
pub async fn recipients<C: ConnectionTrait>(db: &C, release_id: i32, page: u32) -> AppResult<RecipientPage> {
    let release = product_release::Entity::find_by_id(release_id).one(db).await?.ok_or(AppError::NotFound)?;
    let product = product::Entity::find_by_id(release.product_id).one(db).await?.ok_or(AppError::NotFound)?;
    let params = || vec![Value::from(product.id), Value::from(release.released_on)];
    let total = count(db, ENTITLED, params()).await?;
    let expired = count(db, EXPIRED, params()).await?;
    let pages = total.div_ceil(RECIPIENTS_PAGE).max(1) as u32;
    let page = page.clamp(1, pages);
    let sql = format!(
        "SELECT c.id, c.number, c.first_name, c.last_name, c.company, l.key_norm, l.current_version, l.updates_until \
         FROM licences l JOIN customers c ON c.id = l.customer_id WHERE {ENTITLED} \
         ORDER BY c.sort_name, c.id, l.id LIMIT {RECIPIENTS_PAGE} OFFSET {}",
        u64::from(page - 1) * RECIPIENTS_PAGE
    );
    let mut rows = Vec::new();
    for r in db.query_all_raw(stmt(db, &sql, params())).await? {
        let name = crate::ui::format::display_name(
            &r.try_get::<String>("", "first_name")?,
            &r.try_get::<String>("", "last_name")?,
            &r.try_get::<String>("", "company")?,
        );
        rows.push(Recipient {
            customer_id: r.try_get("", "id")?,
            number: r.try_get("", "number")?,
            name,
            key: crate::licensing::key::display(&r.try_get::<String>("", "key_norm")?),
            current_version: r.try_get("", "current_version")?,
            updates_until: r.try_get::<chrono::NaiveDate>("", "updates_until")?.to_string(),
        });
    }
    Ok(RecipientPage {
        product_name: product.name,
        version: release.version,
        released_on: release.released_on.to_string(),
        file_name: release.file_name,
        file_size: release.file_size.unwrap_or_default(),
        rows,
        total,
        expired,
        page,
        pages,
    })
}
