//! Drafts: an invoice before it has a number. Lines and note change freely (version-checked),
//! totals are a preview priced as of today, and a line that bills a recurring item's period must
//! carry that item's next unbilled period. Deleting a draft leaves no gap in the numbers.
use super::invoices::{AREA, Line, customer_of, final_error, find, lines_of, parse_lines, taxation};
use super::issue;
use super::model::{DraftInput, LineInput};
use super::parties::{SellerSettings, buyer_of};
use super::tax::{self, Rates, TaxMode};
use crate::db::entities::customer;
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// Replace the stored totals of a draft (a preview: finalising computes them again).
async fn store_totals<C: ConnectionTrait>(
    txn: &C,
    invoice_id: i32,
    mode: &TaxMode,
    rates: Rates,
    lines: &[Line],
) -> AppResult<tax::Totals> {
    let totals = tax::totals(lines.iter().map(|l| {
        let (category, rate) = tax::line_tax(mode, l.tax_class, rates);
        (category, rate, l.net_cents)
    }));
    txn.execute_raw(stmt(
        txn,
        "DELETE FROM invoice_tax_groups WHERE invoice_id = $1",
        vec![invoice_id.into()],
    ))
    .await?;
    issue::insert_groups(txn, &[(invoice_id, &totals)]).await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET tax_mode = $2, net_cents = $3, tax_cents = $4, gross_cents = $5 WHERE id = $1",
        vec![
            invoice_id.into(),
            mode.key().into(),
            totals.net_cents.into(),
            totals.tax_cents.into(),
            totals.gross_cents.into(),
        ],
    ))
    .await?;
    Ok(totals)
}

/// A new empty draft; returns its id.
pub async fn insert_draft<C: ConnectionTrait>(
    txn: &C,
    c: &customer::Model,
    actor: Actor,
    note: &str,
    source: &str,
) -> AppResult<i32> {
    let ids =
        issue::insert_drafts(txn, &[(c.id, c.currency.clone(), note.to_string())], actor, source).await?;
    ids.first().copied().ok_or(AppError::Internal)
}

/// Create a draft or save its lines and note (version-checked; a final invoice is refused).
pub async fn save_draft(ctx: &Ctx, actor: Actor, customer_id: i32, input: &DraftInput) -> AppResult<i32> {
    let lines = parse_lines(&input.lines).map_err(AppError::Validation)?;
    let note = input.note.trim();
    if note.chars().count() > 2_000 {
        return Err(AppError::Validation(vec![FieldError::new("note", "invoices.note_too_long")]));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    check_item_lines(txn, customer_id, &lines).await?;
    let c = customer_of(txn, customer_id).await?;
    let id = match input.id {
        None => insert_draft(txn, &c, actor, note, "manual").await?,
        Some(id) => {
            let updated = txn
                .execute_raw(stmt(
                    txn,
                    "UPDATE invoices SET note = $4, version = version + 1, updated_at = $5 \
                     WHERE id = $1 AND customer_id = $2 AND number IS NULL AND version = $3",
                    vec![
                        id.into(),
                        customer_id.into(),
                        input.version.into(),
                        note.into(),
                        chrono::Utc::now().into(),
                    ],
                ))
                .await?;
            if updated.rows_affected() == 0 {
                let inv = find(txn, customer_id, id).await?;
                if inv.number.is_some() {
                    return Err(final_error());
                }
                return Err(AppError::Conflict { current_version: inv.version });
            }
            txn.execute_raw(stmt(txn, "DELETE FROM invoice_lines WHERE invoice_id = $1", vec![id.into()]))
                .await?;
            id
        }
    };
    save_lines(txn, &c, id, &lines).await?;
    change.touched(AREA);
    change.commit().await?;
    Ok(id)
}

/// A line that bills a recurring item's period must carry that item's next unbilled period,
/// once: the item may have been billed, ended or moved on since the draft was made.
async fn check_item_lines<C: ConnectionTrait>(txn: &C, customer_id: i32, lines: &[Line]) -> AppResult<()> {
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(id) = l.billing_item_id else { continue };
        let next = super::item_periods::billable_item(txn, customer_id, id)
            .await?
            .and_then(|item| item.line(item.periods_billed))
            .map(|(line, _)| (line.service_from, line.service_to));
        if next != Some((l.service_from, l.service_to)) || seen.contains(&id) {
            errors.push(FieldError::new(format!("lines.{i}.service_from"), "invoices.item_period"));
        }
        seen.push(id);
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// A draft as its form edits it: lines as typed text, with their item links.
pub async fn draft_input<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<DraftInput> {
    let inv = find(db, customer_id, id).await?;
    if inv.number.is_some() {
        return Err(final_error());
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let lines = lines_of(db, id)
        .await?
        .into_iter()
        .map(|l| LineInput {
            description: l.description,
            quantity: super::amount::scaled_text(l.quantity_milli, 3, 0, ','),
            unit_price: super::amount::scaled_text(l.unit_price_e4, 4, 2, ','),
            tax_class: l.tax_class,
            service_from: day(l.service_from),
            service_to: day(l.service_to),
            item: l.billing_item_id,
        })
        .collect();
    Ok(DraftInput { id: Some(id), version: inv.version, lines, note: inv.note })
}

/// Give a draft without lines its lines, taxed as an invoice of today would be (a preview:
/// finalising prices them again).
pub async fn save_lines<C: ConnectionTrait>(
    txn: &C,
    c: &customer::Model,
    id: i32,
    lines: &[Line],
) -> AppResult<()> {
    let seller = SellerSettings::load(txn).await?;
    let buyer = buyer_of(c);
    let (mode, rates) = taxation(txn, &seller, c, &buyer, crate::clock::business_day()).await?;
    issue::insert_lines(txn, &[(id, lines, &mode, rates)]).await?;
    store_totals(txn, id, &mode, rates, lines).await?;
    Ok(())
}

/// Delete a draft (a final invoice is refused: by us, and by the database).
pub async fn delete_draft(ctx: &Ctx, customer_id: i32, id: i32) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let inv = find(&change.txn, customer_id, id).await?;
    if inv.number.is_some() {
        return Err(final_error());
    }
    for sql in [
        "UPDATE planned_items SET invoice_id = NULL WHERE invoice_id = $1",
        "DELETE FROM invoices WHERE id = $1 AND number IS NULL",
    ] {
        change.txn.execute_raw(stmt(&change.txn, sql, vec![id.into()])).await?;
    }
    change.touched(AREA);
    change.commit().await
}
