//! "Offene Zahlungen": a credit the import found nobody for is assigned by staff to a customer
//! (and the invoices it pays, else the oldest open ones) and booked then; a line that is not a
//! customer's payment (or a return nobody's payment is known for) is set aside with a reason.
//! Both over the line's version: what a colleague did meanwhile is a conflict, nothing twice.
use super::super::invoices::{AREA, LEDGER_AREA};
use super::super::ledger::{self, Allocation};
use super::booking::payment_entry;
use crate::db::{Db, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use sea_orm::ConnectionTrait;

fn refused(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// The customer with this number (not erased).
async fn customer_by_number<C: ConnectionTrait>(db: &C, number: &str) -> AppResult<i32> {
    let number = number.trim();
    if number.is_empty() {
        return Err(refused("customer", "bank.customer_required"));
    }
    db.query_one_raw(stmt(
        db,
        "SELECT id FROM customers WHERE UPPER(number) = UPPER($1) AND erased_at IS NULL",
        vec![number.into()],
    ))
    .await?
    .map(|r| r.try_get::<i32>("", "id"))
    .transpose()?
    .ok_or_else(|| {
        AppError::Validation(vec![
            FieldError::new("customer", "bank.customer_unknown").with("number", number),
        ])
    })
}

/// The customer's open invoices with these numbers (comma- or space-separated), in this order.
async fn invoices_by_number<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    numbers: &str,
) -> AppResult<Vec<i32>> {
    let mut out = Vec::new();
    for number in numbers.split([',', ' ', ';']).map(str::trim).filter(|n| !n.is_empty()) {
        let id = db
            .query_one_raw(stmt(
                db,
                "SELECT id FROM invoices WHERE UPPER(number) = UPPER($1) AND customer_id = $2 AND state = 'open'",
                vec![number.into(), customer_id.into()],
            ))
            .await?
            .map(|r| r.try_get::<i32>("", "id"))
            .transpose()?
            .ok_or_else(|| {
                AppError::Validation(vec![
                    FieldError::new("invoices", "bank.invoice_not_open").with("number", number),
                ])
            })?;
        if out.contains(&id) {
            return Err(refused("invoices", "ledger.invoice_twice"));
        }
        out.push(id);
    }
    Ok(out)
}

/// An open line as assigning reads it.
struct OpenLine {
    account: String,
    statement: String,
    entry: String,
    booked_on: Option<chrono::NaiveDate>,
    amount: i64,
    currency: String,
    counterparty: String,
    remittance: String,
    is_return: bool,
}

async fn open_line<C: ConnectionTrait>(db: &C, line_id: i32, version: i64) -> AppResult<OpenLine> {
    let r = db
        .query_one_raw(stmt(
            db,
            "SELECT account, statement, entry, booked_on, amount_cents, currency, counterparty, remittance, is_return, \
             state, version FROM bank_lines WHERE id = $1",
            vec![line_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let current: i64 = r.try_get("", "version")?;
    if r.try_get::<String>("", "state")? != "open" || current != version {
        return Err(AppError::Conflict { current_version: current });
    }
    Ok(OpenLine {
        account: r.try_get("", "account")?,
        statement: r.try_get("", "statement")?,
        entry: r.try_get("", "entry")?,
        booked_on: r.try_get("", "booked_on")?,
        amount: r.try_get("", "amount_cents")?,
        currency: r.try_get("", "currency")?,
        counterparty: r.try_get("", "counterparty")?,
        remittance: r.try_get("", "remittance")?,
        is_return: r.try_get("", "is_return")?,
    })
}

/// Book open line `line_id` (at `version`) as a payment of the customer numbered
/// `customer_number` for the invoices numbered in `invoice_numbers` (empty: the oldest open).
/// Returns the customer's id.
pub async fn assign(
    ctx: &Ctx,
    actor: Actor,
    line_id: i32,
    version: i64,
    customer_number: &str,
    invoice_numbers: &str,
) -> AppResult<i32> {
    let customer_id = customer_by_number(&ctx.db, customer_number).await?;
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let line = open_line(txn, line_id, version).await?;
    if line.is_return || line.amount <= 0 {
        return Err(refused("line", "bank.not_a_credit"));
    }
    if line.currency != "EUR" {
        return Err(refused("line", "bank.not_euro"));
    }
    let invoices = invoices_by_number(txn, customer_id, invoice_numbers).await?;
    let allocation = if invoices.is_empty() { Allocation::Oldest } else { Allocation::Named(&invoices) };
    let who = [line.counterparty.trim(), line.remittance.trim()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let entry = payment_entry(
        &line.account,
        &line.statement,
        &line.entry,
        line.amount,
        &line.currency,
        line.booked_on.unwrap_or_else(crate::clock::business_day),
        format!("Überweisung {}", who.chars().take(180).collect::<String>()).trim().to_string(),
        actor,
    );
    let booked = ledger::book_in(txn, customer_id, entry, allocation).await?;
    let paid = booked.allocated.iter().map(|(i, _)| i.to_string()).collect::<Vec<_>>().join(",");
    let done = txn
        .execute_raw(stmt(
            txn,
            "UPDATE bank_lines SET state = 'assigned', customer_id = $2, invoice_ids = $3, matched_by = 'staff', \
             ledger_entry_id = $4, done_by = $5, done_at = $6, version = version + 1 \
             WHERE id = $1 AND state = 'open' AND version = $7",
            vec![
                line_id.into(),
                customer_id.into(),
                paid.into(),
                booked.entry_id.into(),
                ctx.by().chars().take(100).collect::<String>().into(),
                chrono::Utc::now().into(),
                version.into(),
            ],
        ))
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict { current_version: version });
    }
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(customer_id)
}

/// Set open line `line_id` (at `version`) aside: not a customer's payment, with the reason.
pub async fn set_aside(db: &Db, by: &str, line_id: i32, version: i64, note: &str) -> AppResult<()> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 500 {
        return Err(refused("note", "bank.note_required"));
    }
    let done = db
        .execute_raw(stmt(
            db,
            "UPDATE bank_lines SET state = 'ignored', note = $2, done_by = $3, done_at = $4, version = version + 1 \
             WHERE id = $1 AND state = 'open' AND version = $5",
            vec![
                line_id.into(),
                note.into(),
                by.chars().take(100).collect::<String>().into(),
                chrono::Utc::now().into(),
                version.into(),
            ],
        ))
        .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let current = db
        .query_one_raw(stmt(db, "SELECT version FROM bank_lines WHERE id = $1", vec![line_id.into()]))
        .await?
        .ok_or(AppError::NotFound)?
        .try_get::<i64>("", "version")?;
    Err(AppError::Conflict { current_version: current })
}
