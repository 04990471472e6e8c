//! Bookings on the credit account: payments (allocated to open invoices, oldest first or as
//! chosen; what is left is credit), manual credits and debits with a reason, reversals (a
//! counter-entry that names the entry, once), paying an invoice from credit down to the
//! postpaid limit.
use super::account::{self, EntryKind, NewEntry};
use super::invoices::{AREA, LEDGER_AREA};
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::model::METHODS;

fn refused(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// A payment as booked: amount and fee in cents, the bank's or gateway's reference.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub amount_cents: i64,
    pub fee_cents: i64,
    pub method: String,
    pub booked_on: String,
    pub reference: String,
    /// The invoices to pay, in this order; empty: the oldest open ones.
    #[serde(default)]
    pub invoices: Vec<i32>,
    /// A one-time key of the form that sent it: a second send books nothing.
    #[serde(default)]
    pub idempotency_key: String,
}

fn day(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| refused("booked_on", "ledger.date_invalid"))
}

/// What booking a payment did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booked {
    pub entry_id: i32,
    /// (invoice id, amount) in the order allocated.
    pub allocated: Vec<(i32, i64)>,
    /// What became credit.
    pub credit: i64,
}

/// The open invoices of a customer with what each still owes, oldest first.
async fn open_invoices<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<(i32, i64)>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT id, gross_cents - paid_cents AS owed FROM invoices \
             WHERE customer_id = $1 AND state = 'open' ORDER BY due_date, id",
            vec![customer_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "id")?, r.try_get("", "owed")?))).collect()
}

/// Book a payment received. The same bank reference (per method) or the same form key books
/// nothing a second time: the second attempt is refused, naming the first.
pub async fn book_payment(ctx: &Ctx, actor: Actor, customer_id: i32, p: &Payment) -> AppResult<Booked> {
    let booked_on = day(&p.booked_on)?;
    if p.amount_cents <= 0 {
        return Err(refused("amount", "ledger.amount_positive"));
    }
    if p.fee_cents < 0 || p.fee_cents > p.amount_cents {
        return Err(refused("fee", "ledger.fee_invalid"));
    }
    if !METHODS.contains(&p.method.as_str()) {
        return Err(refused("method", "ledger.method_unknown"));
    }
    let reference = p.reference.trim();
    if reference.chars().count() > 200 {
        return Err(refused("reference", "ledger.reference_too_long"));
    }
    let key = if !reference.is_empty() {
        format!("payment:{}:{reference}", p.method)
    } else if !p.idempotency_key.trim().is_empty() {
        format!("form:{}", p.idempotency_key.trim())
    } else {
        return Err(refused("reference", "ledger.reference_missing"));
    };
    let mut change = ctx.begin(customer_id).await?;
    let allocation = if p.invoices.is_empty() { Allocation::Oldest } else { Allocation::Named(&p.invoices) };
    let entry = NewEntry {
        reference: reference.to_string(),
        method: p.method.clone(),
        fee: p.fee_cents,
        idempotency_key: Some(key),
        ..NewEntry::new(EntryKind::Payment, p.amount_cents, booked_on, description(reference), actor)
    };
    let booked = book_in(&change.txn, customer_id, entry, allocation).await?;
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(booked)
}

/// Which open invoices a payment pays.
#[derive(Clone, Copy, Debug)]
pub enum Allocation<'a> {
    /// The oldest open ones first.
    Oldest,
    /// These, in this order; each must be open.
    Named(&'a [i32]),
}

/// Book a payment entry inside the caller's change of the customer (locked) and allocate it;
/// what is left is credit.
pub async fn book_in<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    entry: NewEntry,
    allocation: Allocation<'_>,
) -> AppResult<Booked> {
    let amount = entry.amount;
    let mut open = open_invoices(txn, customer_id).await?;
    match allocation {
        Allocation::Oldest => {}
        Allocation::Named(ids) => {
            let mut seen = std::collections::HashSet::new();
            if !ids.iter().all(|id| seen.insert(*id)) {
                return Err(refused("invoices", "ledger.invoice_twice"));
            }
            let chosen: Vec<(i32, i64)> =
                ids.iter().filter_map(|id| open.iter().find(|(o, _)| o == id).copied()).collect();
            if chosen.len() != ids.len() {
                return Err(refused("invoices", "ledger.invoice_not_open"));
            }
            open = chosen;
        }
    }
    let (entry_id, _) = account::append(txn, customer_id, entry).await?;
    let mut left = amount;
    let mut allocated = Vec::new();
    for (invoice, owed) in open {
        if left == 0 {
            break;
        }
        let amount = owed.min(left);
        account::allocate(txn, customer_id, invoice, Some(entry_id), amount).await?;
        allocated.push((invoice, amount));
        left -= amount;
    }
    Ok(Booked { entry_id, allocated, credit: left })
}

fn description(reference: &str) -> String {
    if reference.is_empty() { "Zahlung".into() } else { format!("Zahlung {reference}") }
}

/// A manual credit (positive) or debit (negative) with its reason; a special credit counts in
/// the balance and apart in its tile.
pub async fn manual(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    amount_cents: i64,
    special: bool,
    reason: &str,
    booked_on: &str,
) -> AppResult<i32> {
    let booked_on = day(booked_on)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refused("reason", "ledger.reason_required"));
    }
    if amount_cents == 0 {
        return Err(refused("amount", "ledger.amount_zero"));
    }
    if special && amount_cents < 0 {
        return Err(refused("special", "ledger.special_credit_only"));
    }
    let kind = if amount_cents > 0 { EntryKind::Credit } else { EntryKind::Debit };
    let mut change = ctx.begin(customer_id).await?;
    let entry =
        NewEntry { special, ..NewEntry::new(kind, amount_cents, booked_on, reason.to_string(), actor) };
    let (id, _) = account::append(&change.txn, customer_id, entry).await?;
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(id)
}

/// Reverse entry `entry_id` with a reason: a counter-entry naming it. A payment's allocations
/// are taken back (its invoices are open again). An invoice's charge is not reversed (cancel
/// the invoice), nor is a reversal, nor an entry twice.
pub async fn reverse(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    entry_id: i32,
    reason: &str,
) -> AppResult<i32> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refused("reason", "ledger.reason_required"));
    }
    let mut change = ctx.begin(customer_id).await?;
    let id = reverse_in(&change.txn, actor, customer_id, entry_id, reason).await?;
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(id)
}

/// Reverse an entry inside the caller's change of the customer (locked); the reason is checked
/// by the caller.
pub async fn reverse_in<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer_id: i32,
    entry_id: i32,
    reason: &str,
) -> AppResult<i32> {
    let row = txn
        .query_one_raw(stmt(
            txn,
            "SELECT kind, amount_cents, special, currency, description, \
             (SELECT COUNT(*) FROM ledger_entries r WHERE r.reverses_id = e.id) AS reversed \
             FROM ledger_entries e WHERE id = $1 AND customer_id = $2",
            vec![entry_id.into(), customer_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = EntryKind::parse(&row.try_get::<String>("", "kind")?).unwrap_or_default();
    let amount: i64 = row.try_get("", "amount_cents")?;
    match kind {
        EntryKind::Reversal => return Err(refused("entry", "ledger.reversal_of_reversal")),
        EntryKind::Invoice => return Err(refused("entry", "ledger.reverse_invoice")),
        _ => {}
    }
    if row.try_get::<i64>("", "reversed")? > 0 {
        return Err(refused("entry", "ledger.already_reversed"));
    }
    let today = crate::clock::business_day();
    let what: String = row.try_get("", "description")?;
    let entry = NewEntry {
        reverses: Some((entry_id, kind, row.try_get("", "special")?)),
        currency: row.try_get("", "currency")?,
        ..NewEntry::new(EntryKind::Reversal, -amount, today, format!("Storno: {what} ({reason})"), actor)
    };
    let (id, _) = account::append(txn, customer_id, entry).await?;
    if kind == EntryKind::Payment {
        let allocations = txn
            .query_all_raw(stmt(
                txn,
                "SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS amount FROM allocations WHERE entry_id = $1 \
                 GROUP BY invoice_id",
                vec![entry_id.into()],
            ))
            .await?;
        for a in allocations {
            let amount: i64 = a.try_get("", "amount")?;
            let invoice: i32 = a.try_get("", "invoice_id")?;
            if amount != 0 {
                take_back(txn, customer_id, invoice, entry_id, amount).await?;
            }
        }
    }
    Ok(id)
}

/// Take an allocation back from an invoice (its payment was reversed). A cancelled invoice
/// keeps its state: what it was paid is credit on the account already; a corrected one passes
/// it on to its correction.
async fn take_back<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    invoice: i32,
    entry: i32,
    amount: i64,
) -> AppResult<()> {
    let state = txn
        .query_one_raw(stmt(txn, "SELECT state FROM invoices WHERE id = $1", vec![invoice.into()]))
        .await?
        .map(|r| r.try_get::<String>("", "state"))
        .transpose()?
        .unwrap_or_default();
    match state.as_str() {
        "cancelled" => Ok(()),
        "corrected" => take_back_from_correction(txn, customer_id, invoice, entry, amount).await,
        _ => account::allocate(txn, customer_id, invoice, Some(entry), -amount).await,
    }
}

/// A corrected invoice's payment was credit that paid its correction: taking it back reopens
/// the correction in force (the last of a chain of corrections), as far as it was paid.
async fn take_back_from_correction<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    corrected: i32,
    entry: i32,
    amount: i64,
) -> AppResult<()> {
    let mut id = corrected;
    // A chain of corrections ends; the bound only guards against a cycle the schema forbids.
    for _ in 0..1_000 {
        let Some(row) = txn
            .query_one_raw(stmt(
                txn,
                "SELECT id, state, paid_cents FROM invoices WHERE corrects_id = $1 AND kind = 'correction' \
                 AND number IS NOT NULL",
                vec![id.into()],
            ))
            .await?
        else {
            return Ok(());
        };
        id = row.try_get("", "id")?;
        let state: String = row.try_get("", "state")?;
        match state.as_str() {
            "corrected" => continue,
            "open" | "paid" => {
                let paid: i64 = row.try_get("", "paid_cents")?;
                let back = amount.min(paid);
                if back > 0 {
                    account::allocate(txn, customer_id, id, Some(entry), -back).await?;
                }
                return Ok(());
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}

/// Pay an open invoice from the account's credit, down to minus the postpaid limit.
pub async fn pay_from_credit(ctx: &Ctx, customer_id: i32, invoice_id: i32) -> AppResult<i64> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let row = txn
        .query_one_raw(stmt(
            txn,
            "SELECT i.gross_cents - i.paid_cents AS owed, c.postpaid_limit_cents AS limit_cents \
             FROM invoices i JOIN customers c ON c.id = i.customer_id \
             WHERE i.id = $1 AND i.customer_id = $2 AND i.state = 'open'",
            vec![invoice_id.into(), customer_id.into()],
        ))
        .await?
        .ok_or_else(|| refused("invoice", "ledger.invoice_not_open"))?;
    let owed: i64 = row.try_get("", "owed")?;
    let limit: i64 = row.try_get("", "limit_cents")?;
    let figures = account::figures(txn, customer_id).await?;
    // After paying, the credit left is credit − owed; it may not fall below −limit.
    if figures.credit() - owed < -limit {
        return Err(AppError::Validation(vec![
            FieldError::new("invoice", "ledger.credit_insufficient")
                .with("credit", figures.credit().to_string())
                .with("limit", limit.to_string()),
        ]));
    }
    account::allocate(txn, customer_id, invoice_id, None, owed).await?;
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(owed)
}
