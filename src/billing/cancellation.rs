//! The cancellation invoice (Stornorechnung): the one way a final invoice is undone. It has its
//! own number from the same series, the original's lines and tax groups negated, the note
//! "Storno zu RE-… vom …" and a link to the original, which becomes cancelled; what was paid on
//! the original stays on the account as credit.
use super::account::{self, Delta, EntryKind, NewEntry};
use super::invoices::{AREA, LEDGER_AREA, find, next_number};
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use sea_orm::ConnectionTrait;

/// Cancel a final invoice by a cancellation invoice: its own number, the lines and groups
/// negated, "Storno zu RE-… vom …", linked to the original, which becomes cancelled. What was
/// paid on the original stays on the account as credit. Returns the cancellation's id.
pub async fn cancel(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32, reason: &str) -> AppResult<i32> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::Validation(vec![FieldError::new("reason", "invoices.cancel_reason")]));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let today = crate::clock::business_day();
    let original = find(txn, customer_id, id).await?;
    let (Some(number), Some(issued)) = (original.number.clone(), original.issue_date) else {
        return Err(AppError::Validation(vec![FieldError::new("invoice", "invoices.not_cancellable")]));
    };
    if original.kind == "cancellation" || !matches!(original.state.as_str(), "open" | "paid") {
        return Err(AppError::Validation(vec![FieldError::new("invoice", "invoices.not_cancellable")]));
    }
    let (kind, by, _) = actor.columns();
    let now = chrono::Utc::now();
    let note = format!("Storno zu {number} vom {}. {reason}", issued.format("%d.%m.%Y"));
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO invoices (customer_id, kind, state, currency, tax_mode, buyer, seller, net_cents, tax_cents, \
             gross_cents, paid_cents, corrects_id, note, mail_state, source, created_by_kind, created_by_id, version, \
             created_at, updated_at, einvoice) VALUES ($1, 'cancellation', 'draft', $2, $3, $4, $5, $6, $7, $8, 0, \
             $9, $10, 'none', 'manual', $11, $12, 1, $13, $13, $14) RETURNING id",
            vec![
                customer_id.into(),
                original.currency.clone().into(),
                original.tax_mode.clone().into(),
                original.buyer.clone().into(),
                original.seller.clone().into(),
                (-original.net_cents).into(),
                (-original.tax_cents).into(),
                (-original.gross_cents).into(),
                id.into(),
                note.into(),
                kind.into(),
                by.into(),
                now.into(),
                // The cancellation reaches the customer the way the original did.
                original.einvoice.clone().into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let storno: i32 = row.try_get("", "id")?;
    for sql in [
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price_e4, net_cents, \
         tax_class, category, rate_bp, service_from, service_to) SELECT $2, position, description, -quantity_milli, \
         unit_price_e4, -net_cents, tax_class, category, rate_bp, service_from, service_to FROM invoice_lines \
         WHERE invoice_id = $1",
        "INSERT INTO invoice_tax_groups (invoice_id, category, rate_bp, net_cents, tax_cents) \
         SELECT $2, category, rate_bp, -net_cents, -tax_cents FROM invoice_tax_groups WHERE invoice_id = $1",
    ] {
        txn.execute_raw(stmt(txn, sql, vec![id.into(), storno.into()])).await?;
    }
    let (series_id, counter, storno_number) = next_number(txn, today).await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET series_id = $2, counter = $3, number = $4, issue_date = $5, due_date = $5, \
         service_from = $6, service_to = $7, state = 'paid', mail_state = 'pending', finalised_at = $8, \
         finalised_by_kind = $9, finalised_by_id = $10, version = version + 1, updated_at = $8 WHERE id = $1",
        vec![
            storno.into(),
            series_id.into(),
            counter.into(),
            storno_number.clone().into(),
            today.into(),
            original.service_from.into(),
            original.service_to.into(),
            now.into(),
            kind.into(),
            by.into(),
        ],
    ))
    .await?;
    // The cancellation's e-invoice is proven before anything is committed, as an invoice's is.
    super::einvoice::prove(txn, &find(txn, customer_id, storno).await?).await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET state = 'cancelled', version = version + 1, updated_at = $2 WHERE id = $1",
        vec![id.into(), now.into()],
    ))
    .await?;
    if original.state == "open" {
        let open = original.gross_cents - original.paid_cents;
        account::apply(txn, customer_id, Delta { open_count: -1, open_cents: -open, ..Delta::default() })
            .await?;
    }
    let entry = NewEntry {
        invoice_id: Some(storno),
        currency: original.currency.clone(),
        ..NewEntry::new(
            EntryKind::Invoice,
            original.gross_cents,
            today,
            format!("{storno_number} (Storno zu {number})"),
            actor,
        )
    };
    account::append(txn, customer_id, entry).await?;
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(storno)
}
