//! Booking an import: each line leaves the preview once. A matched credit is booked as a payment
//! of its customer (the invoices it named, as far as they are still open; the rest is credit), an
//! unmatched one goes to "Offene Zahlungen", a return debit reverses the payment it returns and
//! charges the bank's fee, other debits are not the customers' and are set aside. An entry that
//! left the preview before, from whichever file, is a duplicate and books nothing. Batches of
//! lines under their customers' locks: an import cut short books the rest when started again.
use super::super::account::{EntryKind, NewEntry};
use super::super::invoices::{AREA, LEDGER_AREA};
use super::super::ledger;
use super::super::ledger_bulk::{Incoming, book_many};
use crate::db::{bulk, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};
use std::collections::BTreeSet;

/// Lines per transaction.
const BATCH: usize = 200;

/// What booking an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub booked: u64,
    pub open: u64,
    pub returned: u64,
    pub ignored: u64,
    pub duplicates: u64,
}

/// A line in preview as booking reads it.
struct Line {
    id: i32,
    account: String,
    statement: String,
    entry: String,
    booked_on: Option<NaiveDate>,
    amount: i64,
    currency: String,
    counterparty: String,
    remittance: String,
    is_return: bool,
    return_reason: String,
    charges: i64,
    customer_id: Option<i32>,
    invoices: Vec<i32>,
    returns_line: Option<i32>,
}

/// A line's handling: (id, state, customer, ledger entry, invoices).
type Done = (i32, &'static str, Option<i32>, Option<i32>, String);

fn ids(text: &str) -> Vec<i32> {
    text.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn read(r: &sea_orm::QueryResult) -> Result<Line, sea_orm::DbErr> {
    Ok(Line {
        id: r.try_get("", "id")?,
        account: r.try_get("", "account")?,
        statement: r.try_get("", "statement")?,
        entry: r.try_get("", "entry")?,
        booked_on: r.try_get("", "booked_on")?,
        amount: r.try_get("", "amount_cents")?,
        currency: r.try_get("", "currency")?,
        counterparty: r.try_get("", "counterparty")?,
        remittance: r.try_get("", "remittance")?,
        is_return: r.try_get("", "is_return")?,
        return_reason: r.try_get("", "return_reason")?,
        charges: r.try_get("", "charges_cents")?,
        customer_id: r.try_get("", "customer_id")?,
        invoices: ids(&r.try_get::<String>("", "invoice_ids")?),
        returns_line: r.try_get("", "returns_line_id")?,
    })
}

/// The payment's text in the ledger: who paid and what for, short.
fn description(line: &Line) -> String {
    let text = [line.counterparty.trim(), line.remittance.trim()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let text: String = text.chars().take(180).collect();
    if text.is_empty() { "Überweisung".into() } else { format!("Überweisung {text}") }
}

/// The payment entry of a credit: the bank's entry is its reference and its one-time key.
#[allow(clippy::too_many_arguments)]
pub(super) fn payment_entry(
    account: &str,
    statement: &str,
    entry: &str,
    amount: i64,
    currency: &str,
    booked_on: NaiveDate,
    description: String,
    actor: Actor,
) -> NewEntry {
    let reference: String = format!("{statement}/{entry}").chars().take(200).collect();
    NewEntry {
        reference,
        method: "transfer".into(),
        currency: if currency.is_empty() { "EUR".into() } else { currency.into() },
        idempotency_key: Some(once_key(account, statement, entry)),
        ..NewEntry::new(EntryKind::Payment, amount, booked_on, description, actor)
    }
}

/// The entry's one-time key in the ledger; a key longer than the column is hashed.
fn once_key(account: &str, statement: &str, entry: &str) -> String {
    use sha2::{Digest, Sha256};
    let key = format!("bank:{account}:{statement}:{entry}");
    if key.chars().count() <= 200 {
        key
    } else {
        format!("bank:{}", hex::encode(Sha256::digest(key.as_bytes())))
    }
}

/// Book every line of import `import_id` still in preview.
pub async fn book(ctx: &Ctx, actor: Actor, import_id: i32) -> AppResult<Outcome> {
    let state = ctx
        .db
        .query_one_raw(stmt(&ctx.db, "SELECT state FROM bank_imports WHERE id = $1", vec![import_id.into()]))
        .await?
        .ok_or(AppError::NotFound)?
        .try_get::<String>("", "state")?;
    if state != "preview" {
        return Err(AppError::Validation(vec![FieldError::new("import", "bank.import_not_preview")]));
    }
    // A return whose payment was booked from another file since the preview.
    super::lookup::rematch_returns(&ctx.db, import_id).await?;
    let rows = ctx
        .db
        .query_all_raw(stmt(
            &ctx.db,
            "SELECT id, customer_id FROM bank_lines WHERE import_id = $1 AND state = 'preview' ORDER BY position",
            vec![import_id.into()],
        ))
        .await?;
    let waiting: Vec<(i32, Option<i32>)> = rows
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "customer_id")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let mut outcome = Outcome::default();
    for batch in waiting.chunks(BATCH) {
        book_batch(ctx, actor, batch, &mut outcome).await?;
    }
    ctx.db
        .execute_raw(stmt(
            &ctx.db,
            "UPDATE bank_imports SET state = 'booked', done_by = $2, done_at = $3 WHERE id = $1 AND state = 'preview' \
             AND NOT EXISTS (SELECT 1 FROM bank_lines WHERE import_id = $1 AND state = 'preview')",
            vec![import_id.into(), ctx.by().chars().take(100).collect::<String>().into(), chrono::Utc::now().into()],
        ))
        .await?;
    Ok(outcome)
}

async fn book_batch(
    ctx: &Ctx,
    actor: Actor,
    batch: &[(i32, Option<i32>)],
    outcome: &mut Outcome,
) -> AppResult<()> {
    let customers: BTreeSet<i32> = batch.iter().filter_map(|(_, c)| *c).collect();
    let customers: Vec<i32> = customers.into_iter().collect();
    let (mut change, live) = ctx.begin_many(&customers).await?;
    let txn = &change.txn;
    let list = bulk::list(1, batch.len());
    let line_ids: Vec<Value> = batch.iter().map(|(id, _)| (*id).into()).collect();
    // Known from an earlier import (or another file with the same entries): nothing twice.
    let duplicates = txn
        .execute_raw(stmt(
            txn,
            &format!(
                "UPDATE bank_lines SET state = 'duplicate', version = version + 1 WHERE id IN ({list}) \
                 AND state = 'preview' AND EXISTS (SELECT 1 FROM bank_lines o WHERE o.account = bank_lines.account \
                 AND o.statement = bank_lines.statement AND o.entry = bank_lines.entry \
                 AND o.state NOT IN ('preview', 'duplicate'))"
            ),
            line_ids.clone(),
        ))
        .await?;
    outcome.duplicates += duplicates.rows_affected();
    // Read under the locks: a line another booking took meanwhile is not in preview any more.
    let rows = txn
        .query_all_raw(stmt(
            txn,
            &format!(
                "SELECT id, account, statement, entry, booked_on, amount_cents, currency, counterparty, remittance, \
                 is_return, return_reason, charges_cents, customer_id, invoice_ids, returns_line_id \
                 FROM bank_lines WHERE id IN ({list}) AND state = 'preview' ORDER BY position"
            ),
            line_ids,
        ))
        .await?;
    let lines = rows.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    let today = crate::clock::business_day();
    let mut done: Vec<Done> = Vec::with_capacity(lines.len());
    let mut touched = BTreeSet::new();
    // The credits to book, booked together (up to the next return, in the statement's order).
    let mut payments: Vec<(i32, i32, Incoming)> = Vec::new();
    for line in lines {
        let customer = line.customer_id.filter(|c| live.contains(c));
        let handled = match customer {
            Some(customer) if line.is_return => {
                // The credits before it first: the statement's order is the booking order.
                flush(txn, &mut payments, &mut done, &mut touched, outcome).await?;
                // Its payment booked just now, in this batch, is not written back to its line yet.
                let known = line
                    .returns_line
                    .and_then(|paid| done.iter().find(|d| d.0 == paid && d.2 == Some(customer)))
                    .and_then(|d| d.3);
                returned(txn, actor, customer, &line, known, today).await?.map(|entry| {
                    outcome.returned += 1;
                    (line.id, "returned", Some(customer), Some(entry), String::new())
                })
            }
            // Only euros are booked: the account counts cents of one currency.
            Some(customer) if line.amount > 0 && line.currency == "EUR" => {
                let entry = payment_entry(
                    &line.account,
                    &line.statement,
                    &line.entry,
                    line.amount,
                    &line.currency,
                    line.booked_on.unwrap_or(today),
                    description(&line),
                    actor,
                );
                // Named invoices as far as still open; none named: the oldest open ones.
                let invoices = line.invoices.clone();
                payments.push((line.id, customer, Incoming { customer_id: customer, entry, invoices }));
                continue;
            }
            _ => None,
        };
        let handled = handled.unwrap_or_else(|| {
            // Money in that nobody was found for waits for staff, and so does a return whose
            // payment is not known; other money out is not a customer's.
            if line.amount > 0 || line.is_return {
                outcome.open += 1;
                (line.id, "open", None, None, String::new())
            } else {
                outcome.ignored += 1;
                (line.id, "ignored", None, None, String::new())
            }
        });
        if let Some(c) = handled.2 {
            touched.insert(c);
        }
        done.push(handled);
    }
    flush(txn, &mut payments, &mut done, &mut touched, outcome).await?;
    let now = chrono::Utc::now();
    let rows: Vec<Vec<Value>> = done
        .into_iter()
        .map(|(id, state, customer, entry, invoices)| {
            vec![id.into(), state.into(), customer.into(), entry.into(), invoices.into()]
        })
        .collect();
    if !rows.is_empty() {
        bulk::update(
            txn,
            "bank_lines",
            &["line", "new_state", "customer", "entry", "paid"],
            "state = v.new_state, customer_id = v.customer, ledger_entry_id = v.entry, \
             invoice_ids = CASE WHEN v.new_state = 'booked' THEN v.paid ELSE bank_lines.invoice_ids END, \
             done_by = $1, done_at = $2, version = bank_lines.version + 1",
            "bank_lines.state = 'preview'",
            vec![ctx.by().chars().take(100).collect::<String>().into(), now.into()],
            rows,
        )
        .await?;
    }
    for c in touched {
        change.touched_other(c, AREA);
        change.touched_other(c, LEDGER_AREA);
    }
    change.commit().await?;
    Ok(())
}

/// Book the credits gathered so far, together: (line, customer, payment).
async fn flush<C: ConnectionTrait>(
    txn: &C,
    payments: &mut Vec<(i32, i32, Incoming)>,
    done: &mut Vec<Done>,
    touched: &mut BTreeSet<i32>,
    outcome: &mut Outcome,
) -> AppResult<()> {
    let (lines, incoming): (Vec<(i32, i32)>, Vec<Incoming>) =
        payments.drain(..).map(|(line, customer, p)| ((line, customer), p)).unzip();
    let booked = book_many(txn, incoming).await?;
    for ((line, customer), b) in lines.into_iter().zip(booked) {
        outcome.booked += 1;
        touched.insert(customer);
        let paid = b.allocated.iter().map(|(i, _)| i.to_string()).collect::<Vec<_>>().join(",");
        done.push((line, "booked", Some(customer), Some(b.entry_id), paid));
    }
    Ok(())
}

/// A return debit of a payment booked from an earlier line: the payment is reversed (its
/// invoices are open again) and the bank's charge is the customer's fee. None: the payment is
/// not this customer's any more or was reversed already; staff look at it.
async fn returned<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer: i32,
    line: &Line,
    known: Option<i32>,
    today: NaiveDate,
) -> AppResult<Option<i32>> {
    let Some(paid_line) = line.returns_line else { return Ok(None) };
    let payment = match known {
        Some(entry) => Some(entry),
        None => txn
            .query_one_raw(stmt(
                txn,
                "SELECT ledger_entry_id FROM bank_lines WHERE id = $1 AND customer_id = $2",
                vec![paid_line.into(), customer.into()],
            ))
            .await?
            .and_then(|r| r.try_get::<Option<i32>>("", "ledger_entry_id").ok().flatten()),
    };
    let Some(payment) = payment else { return Ok(None) };
    let reason = match line.return_reason.trim() {
        "" => "Rücklastschrift".to_string(),
        code => format!("Rücklastschrift {code}"),
    };
    let reversal = match ledger::reverse_in(txn, actor, customer, payment, &reason).await {
        Ok(id) => id,
        // Reversed by hand already: nothing to take back twice.
        Err(AppError::Validation(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    if line.charges > 0 {
        let fee = NewEntry {
            reference: format!("{}/{}", line.statement, line.entry).chars().take(200).collect(),
            ..NewEntry::new(
                EntryKind::Fee,
                -line.charges,
                line.booked_on.unwrap_or(today),
                format!("Bankgebühr {reason}"),
                actor,
            )
        };
        super::super::account::append(txn, customer, fee).await?;
    }
    Ok(Some(reversal))
}
