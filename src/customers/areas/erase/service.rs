//! Kunde löschen: the walk over every area's records (preview and erasure run the same code),
//! the erasure in one transaction, and the outright delete of an account without business data.
use crate::customers::areas::registry::all_records as all;
use crate::db::{Db, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::records::erasure::Eraser;
use crate::records::model::{ErasureItem, ErasureOutcome, ErasurePreview, ErasureRequest, Fate};
use crate::records::progress::Progress;
use crate::write::Ctx;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};

/// Every area's lines, in the order that respects references between areas (sessions before
/// the logins they belong to, logins before the contacts they belong to).
async fn walk(eraser: &mut Eraser<'_>, progress: &Progress) -> AppResult<()> {
    let areas = all();
    for (done, area) in areas.iter().rev().enumerate() {
        progress.step(done, areas.len());
        area.erase(eraser).await?;
    }
    progress.step(areas.len(), areas.len());
    Ok(())
}

fn hard_delete_possible(items: &[ErasureItem]) -> bool {
    !items.iter().any(|i| matches!(i.fate, Fate::Blocked { .. }))
}

/// What erasing the customer would do.
pub async fn preview(db: &Db, customer_id: i32) -> AppResult<ErasurePreview> {
    let c = crate::customers::service::detail(db, customer_id).await?;
    let txn = db.begin().await?;
    let mut eraser = Eraser { txn: &txn, customer_id, execute: false, items: Vec::new() };
    walk(&mut eraser, &Progress::none()).await?;
    let items = eraser.items;
    txn.rollback().await?;
    Ok(ErasurePreview {
        customer_number: c.number,
        version: c.version,
        hard_delete_possible: hard_delete_possible(&items),
        items,
        erased_at: c.erased_at,
    })
}

/// Erase as requested, in one transaction. `hard_delete` is refused when any data has a
/// retention duty (the account had business data).
pub async fn erase(
    ctx: &Ctx,
    staff_id: i32,
    request: &ErasureRequest,
    progress: &Progress,
) -> AppResult<ErasureOutcome> {
    let reference = request.request_ref.trim();
    if reference.chars().count() < 2 || reference.chars().count() > 100 {
        return Err(AppError::Validation(vec![FieldError::new("request_ref", "erase.ref_required")]));
    }
    use crate::text::{Lines, problem};
    if let Some(error) = problem("request_ref", reference, 100, Lines::One) {
        return Err(AppError::Validation(vec![error]));
    }
    let number = crate::customers::service::detail(&ctx.db, request.customer_id).await?.number;
    // Begin refuses an erased customer; the claim checks the version the preview showed.
    let mut change = ctx.begin(request.customer_id).await?;
    change.claim_version(request.version).await?;
    change.allow_history_rewrite("erasure").await?;
    let txn = &change.txn;
    let mail_ids: Vec<i32> = crate::db::entities::mail_outbox::Entity::find()
        .filter(crate::db::entities::mail_outbox::Column::CustomerId.eq(request.customer_id))
        .select_only()
        .column(crate::db::entities::mail_outbox::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let mut eraser = Eraser { txn, customer_id: request.customer_id, execute: true, items: Vec::new() };
    walk(&mut eraser, progress).await?;
    let mut items = eraser.items;
    let mut unlinked = Vec::new();
    let outcome = if request.hard_delete {
        if !hard_delete_possible(&items) {
            return Err(AppError::Validation(vec![FieldError::new(
                "hard_delete",
                "erase.hard_not_possible",
            )]));
        }
        unlinked = hard_delete(txn, staff_id, request.customer_id, &number, &mut items).await?;
        "hard_deleted"
    } else {
        crate::events::service::record(
            txn,
            crate::events::service::NewEvent::new(
                request.customer_id,
                "customer_erased",
                crate::events::service::Actor::Staff(staff_id),
                "",
            ),
        )
        .await?;
        "anonymised"
    };
    let summary = serde_json::to_string(&items).map_err(|_| AppError::Internal)?;
    txn.execute_raw(stmt(
        txn,
        "INSERT INTO erasures (customer_id, customer_number, at, staff_id, request_ref, outcome, summary) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            request.customer_id.into(),
            number.into(),
            chrono::Utc::now().into(),
            staff_id.into(),
            reference.into(),
            outcome.into(),
            summary.into(),
        ],
    ))
    .await?;
    // Every area changed: every panel refetches; so do the profiles that lost their reseller.
    change.touched_everything();
    for other in unlinked {
        change.touched_other(other, crate::customers::areas::data::AREA.slug);
        change.touched_other(other, crate::customers::areas::history::AREA.slug);
    }
    change.commit().await?;
    // The delivered copies in the mail folder (the recipient's mailbox when no SMTP server is
    // configured) go too, also those of mails whose records are retained.
    ctx.remove_mail_files(&mail_ids);
    Ok(ErasureOutcome { outcome: outcome.into(), items })
}

/// The account goes entirely: its old numbers and the record; customers that named it as their
/// reseller lose the link (a new version and a Verlauf entry each); returns them. The lines say so.
async fn hard_delete(
    txn: &DatabaseTransaction,
    staff_id: i32,
    id: i32,
    number: &str,
    items: &mut Vec<ErasureItem>,
) -> AppResult<Vec<i32>> {
    use crate::customers::areas::history::service::{FieldChange, record_changes};
    let resold = txn
        .query_all_raw(stmt(txn, "SELECT id FROM customers WHERE reseller_id = $1", vec![id.into()]))
        .await?;
    let mut unlinked = Vec::new();
    for row in resold {
        let other: i32 = row.try_get("", "id")?;
        unlinked.push(other);
        let sql = "UPDATE customers SET reseller_id = NULL, version = version + 1 WHERE id = $1";
        txn.execute_raw(stmt(txn, sql, vec![other.into()])).await?;
        let change = FieldChange { field: "reseller_number".into(), old: number.into(), new: String::new() };
        let actor = crate::customers::service::Actor::Staff(staff_id);
        record_changes(txn, other, "customer", other, actor, &[change], None).await?;
    }
    let aliases = txn
        .execute_raw(stmt(txn, "DELETE FROM customer_aliases WHERE customer_id = $1", vec![id.into()]))
        .await?
        .rows_affected();
    txn.execute_raw(stmt(txn, "DELETE FROM customers WHERE id = $1", vec![id.into()])).await?;
    items.retain(|i| i.table != "customers");
    for (table, rows) in [("customer_aliases", aliases), ("customers", 1)] {
        if rows > 0 {
            items.push(ErasureItem { area: "data".into(), table: table.into(), rows, fate: Fate::Deleted });
        }
    }
    Ok(unlinked)
}
