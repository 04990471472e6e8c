//! The notices to be sent by letter that wait to be printed, in the order they were issued, and
//! marking one printed. Only its letter state changes (the notice itself is frozen by trigger).
use super::model::*;
use crate::db::{Db, stmt};
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// One page of the letters to print, oldest first.
pub async fn letters(db: &Db, page: u32) -> AppResult<LetterPage> {
    let page = page.max(1);
    let total: i64 = db
        .query_one_raw(stmt(
            db,
            "SELECT COUNT(*) AS n FROM dunning_notices WHERE letter_state = 'to_print'",
            vec![],
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT n.id, n.customer_id, n.level, n.issued_on, n.pdf_sha256, n.fee_invoice_id, c.number AS customer_number, \
             c.first_name, c.last_name, c.company, i.number AS invoice_number \
             FROM dunning_notices n \
             JOIN customers c ON c.id = n.customer_id \
             JOIN invoices i ON i.id = n.invoice_id \
             WHERE n.letter_state = 'to_print' ORDER BY n.id LIMIT $1 OFFSET $2",
            vec![(LETTERS_PER_PAGE as i64).into(), (i64::from(page - 1) * LETTERS_PER_PAGE as i64).into()],
        ))
        .await?
        .into_iter()
        .map(|r| {
            let name = |col: &str| r.try_get::<String>("", col);
            let issued: chrono::NaiveDate = r.try_get("", "issued_on")?;
            Ok(LetterRow {
                id: r.try_get("", "id")?,
                customer_id: r.try_get("", "customer_id")?,
                customer_number: r.try_get("", "customer_number")?,
                customer_name: crate::ui::format::display_name(
                    &name("first_name")?,
                    &name("last_name")?,
                    &name("company")?,
                ),
                invoice_number: r.try_get::<Option<String>>("", "invoice_number")?.unwrap_or_default(),
                level: r.try_get("", "level")?,
                issued_on: issued.to_string(),
                archived: r.try_get::<Option<String>>("", "pdf_sha256")?.is_some(),
                fee_invoice_id: r.try_get("", "fee_invoice_id")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let pages = (total as u64).div_ceil(LETTERS_PER_PAGE).max(1) as u32;
    Ok(LetterPage { rows, total: total as u64, page, pages })
}

/// Mark a notice's letter printed; false when it was not waiting (printed already, by someone
/// else meanwhile, or sent by mail only).
pub async fn mark_printed(db: &Db, notice_id: i32) -> AppResult<bool> {
    let done = db
        .execute_raw(stmt(
            db,
            "UPDATE dunning_notices SET letter_state = 'printed' WHERE id = $1 AND letter_state = 'to_print'",
            vec![notice_id.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}
