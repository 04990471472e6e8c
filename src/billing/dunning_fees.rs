//! The document a dunning notice charges on: fees, the flat 40 € and default interest, final at
//! once in its own series (`fee`), not taxable (damages are not a supply), charged to the ledger
//! and open like an invoice; the dunned invoice is never touched.
use super::account::{self, Delta, EntryKind, NewEntry};
use super::dunning;
use super::dunning_run::Due;
use super::issue::{insert_drafts, series_of};
use super::parties::{SellerSettings, buyer_of};
use crate::db::{bulk, reserve_counter};
use crate::error::{AppError, AppResult};
use crate::events::actor::Actor;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// The note every fee document carries (why it has no VAT).
pub const FEE_NOTE: &str =
    "Mahngebühren, Verzugspauschale und Verzugszinsen sind Schadensersatz und nicht umsatzsteuerbar.";

/// The lines of a fee document: (description, cents).
fn fee_lines(d: &Due<'_>) -> Vec<(String, i64)> {
    let what = if d.level.level == 0 {
        "Zahlungserinnerung".to_string()
    } else {
        format!("{}. Mahnung", d.level.level)
    };
    let c = &d.charge;
    let mut lines = Vec::new();
    if c.flat_cents > 0 {
        lines.push((format!("Verzugspauschale nach § 288 Abs. 5 BGB zu {}", d.invoice.number), c.flat_cents));
    }
    if c.fee_cents > 0 {
        lines.push((format!("Mahngebühr {what} zu {}", d.invoice.number), c.fee_cents));
    }
    if let (true, Some(from), Some(to)) = (c.interest_cents > 0, c.interest_from, c.interest_to) {
        let points = if d.business { dunning::BUSINESS_POINTS_BP } else { dunning::CONSUMER_POINTS_BP } / 100;
        lines.push((
            format!(
                "Verzugszinsen zu {} vom {} bis {} ({points} Prozentpunkte über dem Basiszinssatz auf {})",
                d.invoice.number,
                from.format("%d.%m.%Y"),
                to.format("%d.%m.%Y"),
                crate::money::euros_de(d.invoice.open_cents)
            ),
            c.interest_cents,
        ));
    }
    lines
}

/// The fee documents of the notices that charge something (None for the others), final at once:
/// numbered in the `fee` series, parties frozen, not taxable, charged to the ledger.
pub(super) async fn fee_documents<C: ConnectionTrait>(
    txn: &C,
    seller: &SellerSettings,
    due: &[Due<'_>],
    today: NaiveDate,
) -> AppResult<Vec<Option<i32>>> {
    let charging: Vec<&Due<'_>> = due.iter().filter(|d| d.charge.total() > 0).collect();
    if charging.is_empty() {
        return Ok(vec![None; due.len()]);
    }
    let actor = Actor::System;
    let drafts: Vec<(i32, String, String)> =
        charging.iter().map(|d| (d.customer.id, d.invoice.currency.clone(), FEE_NOTE.to_string())).collect();
    let ids = insert_drafts(txn, &drafts, actor, "dunning").await?;
    let mut line_rows = Vec::new();
    let mut group_rows = Vec::new();
    for (id, d) in ids.iter().zip(&charging) {
        for (i, (description, cents)) in fee_lines(d).into_iter().enumerate() {
            line_rows.push(vec![
                (*id).into(),
                ((i + 1) as i32).into(),
                description.into(),
                1_000i64.into(),
                (cents * 100).into(),
                cents.into(),
                "exempt".into(),
                "O".into(),
                0i32.into(),
            ]);
        }
        group_rows.push(vec![(*id).into(), "O".into(), 0i32.into(), d.charge.total().into(), 0i64.into()]);
    }
    bulk::insert(
        txn,
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price_e4, net_cents, \
         tax_class, category, rate_bp)",
        "",
        line_rows,
    )
    .await?;
    bulk::insert(
        txn,
        "INSERT INTO invoice_tax_groups (invoice_id, category, rate_bp, net_cents, tax_cents)",
        "",
        group_rows,
    )
    .await?;
    let (series_id, pattern) = series_of(txn, "fee").await?;
    let first =
        reserve_counter(txn, &pattern.counter_name(series_id, today), 1, charging.len() as i64).await?;
    let seller_json = serde_json::to_string(&seller.party).map_err(|_| AppError::Internal)?;
    let mut rows = Vec::new();
    let mut charges = Vec::new();
    for (i, (id, d)) in ids.iter().zip(&charging).enumerate() {
        let counter = first + i as i64;
        let number = pattern.format(today, counter);
        let buyer = serde_json::to_string(&buyer_of(d.customer)).map_err(|_| AppError::Internal)?;
        let gross = d.charge.total();
        rows.push(vec![
            (*id).into(),
            counter.into(),
            number.clone().into(),
            dunning::pay_by(d.level, today).into(),
            buyer.into(),
            gross.into(),
        ]);
        let entry = NewEntry {
            invoice_id: Some(*id),
            currency: d.invoice.currency.clone(),
            ..NewEntry::new(EntryKind::Invoice, -gross, today, number, actor)
        };
        charges.push((d.customer.id, entry, Delta { open_count: 1, open_cents: gross, ..Delta::default() }));
    }
    let (by_kind, by_id, _) = actor.columns();
    let now = chrono::Utc::now();
    let updated = bulk::update(
        txn,
        "invoices",
        &["id", "counter", "number", "due_date", "buyer", "gross_cents"],
        "kind = 'fee', series_id = $1, counter = v.counter, number = v.number, issue_date = $2, \
         due_date = v.due_date, buyer = v.buyer, seller = $3, state = 'open', tax_mode = 'not_taxable', \
         net_cents = v.gross_cents, tax_cents = 0, gross_cents = v.gross_cents, einvoice = 'none', \
         mail_state = 'none', finalised_at = $4, finalised_by_kind = $5, finalised_by_id = $6, \
         version = invoices.version + 1, updated_at = $4",
        "invoices.number IS NULL",
        vec![series_id.into(), today.into(), seller_json.into(), now.into(), by_kind.into(), by_id.into()],
        rows,
    )
    .await?;
    if updated != ids.len() as u64 {
        return Err(AppError::Internal);
    }
    account::append_many(txn, charges).await?;
    let mut next = ids.into_iter();
    Ok(due.iter().map(|d| if d.charge.total() > 0 { next.next() } else { None }).collect())
}
