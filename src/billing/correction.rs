//! The correction invoice (Rechnungskorrektur, type 384): a new invoice that names the one it
//! corrects and states its content in full, as corrected (§ 31 (5) UStDV). "Rechnung
//! korrigieren" makes a draft with the original's lines (no longer tied to recurring items: the
//! original billed their periods); once finalised, the original is `corrected`, its charge is
//! credited back and what was paid on it pays the correction. The original stays as it was.
use super::account::{self, Delta, EntryKind, NewEntry};
use super::invoices::{AREA, customer_of, find, lines_of};
use crate::db::entities::invoice;
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

fn not_correctable() -> AppError {
    AppError::Validation(vec![FieldError::new("invoice", "invoices.not_correctable")])
}

/// Whether `inv` may be corrected: a final invoice or correction, open or paid.
fn correctable(inv: &invoice::Model) -> bool {
    inv.number.is_some()
        && matches!(inv.kind.as_str(), "invoice" | "correction")
        && matches!(inv.state.as_str(), "open" | "paid")
}

/// Start correcting final invoice `id`: a correction draft with its lines, or the draft already
/// begun for it. Returns the draft's id.
pub async fn start(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<i32> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let original = find(txn, customer_id, id).await?;
    if !correctable(&original) {
        return Err(not_correctable());
    }
    let begun = txn
        .query_one_raw(stmt(
            txn,
            "SELECT id FROM invoices WHERE corrects_id = $1 AND kind = 'correction' AND number IS NULL \
             ORDER BY id LIMIT 1",
            vec![id.into()],
        ))
        .await?;
    if let Some(row) = begun {
        return Ok(row.try_get("", "id")?);
    }
    let c = customer_of(txn, customer_id).await?;
    let draft = super::drafts::insert_draft(txn, &c, actor, &original.note, "manual").await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET kind = 'correction', corrects_id = $2, currency = $3 WHERE id = $1 AND number IS NULL",
        vec![draft.into(), id.into(), original.currency.clone().into()],
    ))
    .await?;
    let lines: Vec<_> = lines_of(txn, id)
        .await?
        .into_iter()
        .map(|l| super::invoices::Line { billing_item_id: None, planned_item_id: None, ..l })
        .collect();
    super::drafts::save_lines(txn, &c, draft, &lines).await?;
    change.touched(AREA);
    change.commit().await?;
    Ok(draft)
}

/// Finalising correction `draft` (in the caller's transaction, under the customer's lock,
/// before it is issued): the original becomes `corrected`, leaves the open figures, and its
/// charge is credited back, so what was paid on it is credit that pays the correction.
pub async fn supersede<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    draft: &invoice::Model,
    today: NaiveDate,
) -> AppResult<()> {
    let id = draft.corrects_id.ok_or_else(not_correctable)?;
    let original = find(txn, draft.customer_id, id).await?;
    if !correctable(&original) {
        // Cancelled or corrected meanwhile: this draft corrects nothing any more.
        return Err(not_correctable());
    }
    let number = original.number.clone().unwrap_or_default();
    let updated = txn
        .execute_raw(stmt(
            txn,
            "UPDATE invoices SET state = 'corrected', version = version + 1, updated_at = $2 \
             WHERE id = $1 AND state IN ('open', 'paid')",
            vec![id.into(), chrono::Utc::now().into()],
        ))
        .await?;
    if updated.rows_affected() != 1 {
        return Err(not_correctable());
    }
    if original.state == "open" {
        let open = original.gross_cents - original.paid_cents;
        account::apply(
            txn,
            draft.customer_id,
            Delta { open_count: -1, open_cents: -open, ..Delta::default() },
        )
        .await?;
    }
    let entry = NewEntry {
        invoice_id: Some(id),
        currency: original.currency.clone(),
        ..NewEntry::new(
            EntryKind::Invoice,
            original.gross_cents,
            today,
            format!("{number} (korrigiert)"),
            actor,
        )
    };
    account::append(txn, draft.customer_id, entry).await?;
    Ok(())
}
