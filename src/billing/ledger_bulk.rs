//! Many payments booked at once (a bank statement's batch, its customers locked by the caller):
//! the same bookings as `ledger::book_in`, one after the other per customer, in a few statements
//! however many payments — the open invoices read once, the entries and the figures written in
//! bulk, the allocations and the invoices' paid amounts too.
use super::account::{self, Delta, NewEntry};
use super::ledger::Booked;
use crate::db::{bulk, stmt};
use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, Value};
use std::collections::HashMap;

/// A payment to book: its entry (with its one-time key) and the invoices it names (paid as far
/// as they are still open; none named: the customer's oldest open ones).
pub struct Incoming {
    pub customer_id: i32,
    pub entry: NewEntry,
    pub invoices: Vec<i32>,
}

/// Values per `IN (…)` list.
const CHUNK: usize = 1_000;

/// Each customer's open invoices with what they owe, oldest first.
async fn open_invoices<C: ConnectionTrait>(
    txn: &C,
    customers: &[i32],
) -> AppResult<HashMap<i32, Vec<(i32, i64)>>> {
    let mut out: HashMap<i32, Vec<(i32, i64)>> = HashMap::new();
    for chunk in customers.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, customer_id, gross_cents - paid_cents AS owed FROM invoices \
             WHERE state = 'open' AND customer_id IN ({}) ORDER BY due_date, id",
            bulk::list(1, chunk.len())
        );
        let rows = txn.query_all_raw(stmt(txn, &sql, chunk.iter().map(|c| (*c).into()).collect())).await?;
        for r in rows {
            out.entry(r.try_get("", "customer_id")?)
                .or_default()
                .push((r.try_get("", "id")?, r.try_get("", "owed")?));
        }
    }
    Ok(out)
}

/// Book `payments` in order; returns what each did.
pub async fn book_many<C: ConnectionTrait>(txn: &C, payments: Vec<Incoming>) -> AppResult<Vec<Booked>> {
    if payments.is_empty() {
        return Ok(Vec::new());
    }
    let mut customers: Vec<i32> = payments.iter().map(|p| p.customer_id).collect();
    customers.sort_unstable();
    customers.dedup();
    let mut open = open_invoices(txn, &customers).await?;
    // Allocate in memory, payment by payment, as `book_in` would one after the other.
    let mut plans: Vec<(Vec<(i32, i64)>, i64)> = Vec::with_capacity(payments.len());
    let mut entries = Vec::with_capacity(payments.len());
    let mut keys = Vec::with_capacity(payments.len());
    for p in payments {
        let list = open.entry(p.customer_id).or_default();
        let order: Vec<usize> = if p.invoices.is_empty() {
            (0..list.len()).collect()
        } else {
            let mut named = Vec::new();
            for id in &p.invoices {
                if let Some(i) = list.iter().position(|(o, _)| o == id)
                    && !named.contains(&i)
                {
                    named.push(i);
                }
            }
            named
        };
        let mut left = p.entry.amount;
        let mut allocated = Vec::new();
        // The open figures move as the invoices are paid.
        let mut extra = Delta::default();
        for i in order {
            let (invoice, owed) = &mut list[i];
            if left == 0 {
                break;
            }
            if *owed <= 0 {
                continue;
            }
            let amount = (*owed).min(left);
            *owed -= amount;
            left -= amount;
            extra.open_cents -= amount;
            if *owed == 0 {
                extra.open_count -= 1;
            }
            allocated.push((*invoice, amount));
        }
        keys.push(p.entry.idempotency_key.clone().ok_or(AppError::Internal)?);
        entries.push((p.customer_id, p.entry, extra));
        plans.push((allocated, left));
    }
    let customers_of: Vec<i32> = entries.iter().map(|(c, _, _)| *c).collect();
    account::append_many(txn, entries).await?;
    // The entries' ids, by their one-time keys.
    let mut ids: HashMap<String, i32> = HashMap::new();
    for chunk in keys.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, idempotency_key FROM ledger_entries WHERE idempotency_key IN ({})",
            bulk::list(1, chunk.len())
        );
        let rows =
            txn.query_all_raw(stmt(txn, &sql, chunk.iter().map(|k| k.clone().into()).collect())).await?;
        for r in rows {
            ids.insert(r.try_get("", "idempotency_key")?, r.try_get("", "id")?);
        }
    }
    let now = chrono::Utc::now();
    let mut allocations: Vec<Vec<Value>> = Vec::new();
    let mut paid: HashMap<i32, i64> = HashMap::new();
    let mut booked = Vec::with_capacity(plans.len());
    for ((customer, key), (allocated, credit)) in customers_of.iter().zip(&keys).zip(plans) {
        let entry_id = *ids.get(key).ok_or(AppError::Internal)?;
        for (invoice, amount) in &allocated {
            allocations.push(vec![
                (*customer).into(),
                (*invoice).into(),
                entry_id.into(),
                (*amount).into(),
                now.into(),
            ]);
            *paid.entry(*invoice).or_default() += amount;
        }
        booked.push(Booked { entry_id, allocated, credit });
    }
    bulk::insert(
        txn,
        "INSERT INTO allocations (customer_id, invoice_id, entry_id, amount_cents, created_at)",
        "",
        allocations,
    )
    .await?;
    let rows: Vec<Vec<Value>> =
        paid.into_iter().map(|(invoice, amount)| vec![invoice.into(), amount.into()]).collect();
    if !rows.is_empty() {
        let expected = rows.len() as u64;
        let updated = bulk::update(
            txn,
            "invoices",
            &["invoice", "amount"],
            "paid_cents = invoices.paid_cents + v.amount, \
             state = CASE WHEN invoices.paid_cents + v.amount >= invoices.gross_cents THEN 'paid' ELSE 'open' END, \
             version = invoices.version + 1, updated_at = $1",
            "invoices.state = 'open'",
            vec![now.into()],
            rows,
        )
        .await?;
        // Every invoice was read open under the customers' locks: a row skipped would leave the
        // figures and the allocations apart.
        if updated != expected {
            return Err(AppError::Internal);
        }
    }
    Ok(booked)
}
