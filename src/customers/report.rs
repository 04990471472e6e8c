//! The Datenauskunft (Art. 15): everything stored about a customer, read area by area through
//! the records registry in one transaction.
use crate::customers::areas::registry::all_records;
use crate::db::stmt;
use crate::error::AppResult;
use crate::records::model::ReportSection;
use sea_orm::{ConnectionTrait, DatabaseTransaction};

/// Everything stored about a customer, in one transaction (one consistent snapshot).
pub async fn report(db: &crate::db::Db, customer_id: i32) -> AppResult<crate::records::model::Report> {
    report_with(db, customer_id, true, &crate::records::progress::Progress::none(), 0).await
}

/// `report`, reporting a step per area; `after` more steps follow (typesetting) that the caller
/// reports itself. Rows blocked after an erasure are included only `with_blocked` (for staff
/// who may see them).
pub async fn report_with(
    db: &crate::db::Db,
    customer_id: i32,
    with_blocked: bool,
    progress: &crate::records::progress::Progress,
    after: usize,
) -> AppResult<crate::records::model::Report> {
    use sea_orm::{EntityTrait, TransactionTrait};
    let txn = db.begin().await?;
    let c = crate::db::entities::customer::Entity::find_by_id(customer_id)
        .one(&txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let mut sections = Vec::new();
    let areas = all_records();
    let total = areas.len() + after;
    for (done, area) in areas.iter().enumerate() {
        progress.step(done, total);
        sections.extend(area.export(&txn, customer_id).await?);
    }
    progress.step(areas.len(), total);
    if !with_blocked {
        leave_out_blocked(&txn, customer_id, &mut sections).await?;
    }
    txn.commit().await?;
    Ok(crate::records::model::Report {
        customer_number: c.number,
        language: c.language,
        generated_at: chrono::Utc::now().to_rfc3339(),
        sections,
    })
}

/// Drop the rows listed in `retention` from their sections.
async fn leave_out_blocked(
    txn: &DatabaseTransaction,
    customer_id: i32,
    sections: &mut [ReportSection],
) -> AppResult<()> {
    let sql = "SELECT table_name, row_id FROM retention WHERE customer_id = $1";
    let blocked: std::collections::HashSet<(String, i64)> = txn
        .query_all_raw(stmt(txn, sql, vec![customer_id.into()]))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get::<String>("", "table_name")?, i64::from(r.try_get::<i32>("", "row_id")?))))
        .collect::<AppResult<_>>()?;
    for s in sections.iter_mut() {
        let table = s.table.clone();
        s.rows.retain(|row| {
            let id = row.get("id").and_then(|v| v.as_i64());
            !id.is_some_and(|id| blocked.contains(&(table.clone(), id)))
        });
    }
    Ok(())
}
