//! The credit account of a customer: an append-only ledger of signed entries (positive is in
//! the customer's favour) and one row of figures kept in step with it in the same
//! transaction, so the sidebar, the tiles and the warnings never sum the ledger.
//!
//! Balance = Σ entries. An invoice charges its gross; its payments are allocations (from a
//! payment entry, or from the account's credit). Available credit = balance + what open
//! invoices still owe: an overpayment is credit without a second bookkeeping.
//! Every function here runs inside the caller's transaction, which holds the customer's lock.
use crate::db::bulk;
use crate::db::stmt;
use crate::error::AppResult;
use crate::events::actor::Actor;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};
use std::collections::HashMap;

/// The account's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub balance: i64,
    /// Payments received (less reversed ones).
    pub paid_in: i64,
    /// Invoices charged (less cancellations).
    pub spent: i64,
    /// Special credit granted (counts in the balance).
    pub special: i64,
    pub open_count: i32,
    /// What open invoices still owe.
    pub open_cents: i64,
}

impl Figures {
    /// Credit that can pay invoices.
    pub fn credit(&self) -> i64 {
        self.balance + self.open_cents
    }
}

/// A change of the figures.
pub type Delta = Figures;

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, d: Figures) {
        self.balance += d.balance;
        self.paid_in += d.paid_in;
        self.spent += d.spent;
        self.special += d.special;
        self.open_count += d.open_count;
        self.open_cents += d.open_cents;
    }
}

const COLUMNS: &str = "balance_cents, paid_in_cents, spent_cents, special_cents, open_count, open_cents";

fn read(row: &sea_orm::QueryResult) -> AppResult<Figures> {
    Ok(Figures {
        balance: row.try_get("", "balance_cents")?,
        paid_in: row.try_get("", "paid_in_cents")?,
        spent: row.try_get("", "spent_cents")?,
        special: row.try_get("", "special_cents")?,
        open_count: row.try_get("", "open_count")?,
        open_cents: row.try_get("", "open_cents")?,
    })
}

/// The figures of a customer (zero before the first entry).
pub async fn figures<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Figures> {
    let sql = format!("SELECT {COLUMNS} FROM customer_accounts WHERE customer_id = $1");
    match db.query_one_raw(stmt(db, &sql, vec![customer_id.into()])).await? {
        Some(row) => read(&row),
        None => Ok(Figures::default()),
    }
}

/// Add `d` to the figures; returns them as they are now.
pub async fn apply<C: ConnectionTrait>(txn: &C, customer_id: i32, d: Delta) -> AppResult<Figures> {
    apply_many(txn, &[(customer_id, d)]).await?.remove(&customer_id).ok_or(crate::error::AppError::Internal)
}

/// Add each customer's delta to their figures (each customer once); their figures now.
pub async fn apply_many<C: ConnectionTrait>(
    txn: &C,
    deltas: &[(i32, Delta)],
) -> AppResult<HashMap<i32, Figures>> {
    let rows = deltas
        .iter()
        .map(|(id, d)| {
            vec![
                (*id).into(),
                d.balance.into(),
                d.paid_in.into(),
                d.spent.into(),
                d.special.into(),
                d.open_count.into(),
                d.open_cents.into(),
            ]
        })
        .collect();
    let head = format!("INSERT INTO customer_accounts (customer_id, {COLUMNS})");
    let tail = format!(
        "ON CONFLICT (customer_id) DO UPDATE SET \
           balance_cents = customer_accounts.balance_cents + excluded.balance_cents, \
           paid_in_cents = customer_accounts.paid_in_cents + excluded.paid_in_cents, \
           spent_cents = customer_accounts.spent_cents + excluded.spent_cents, \
           special_cents = customer_accounts.special_cents + excluded.special_cents, \
           open_count = customer_accounts.open_count + excluded.open_count, \
           open_cents = customer_accounts.open_cents + excluded.open_cents \
         RETURNING customer_id, {COLUMNS}"
    );
    bulk::insert(txn, &head, &tail, rows)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "customer_id")?, read(r)?)))
        .collect()
}

crate::choice! {
    /// What a ledger entry records.
    pub enum EntryKind default Payment {
        Payment = "payment", Invoice = "invoice", Credit = "credit", Debit = "debit", Fee = "fee",
        Reversal = "reversal"
    }
}

/// A new ledger entry.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub kind: EntryKind,
    /// Signed cents: positive in the customer's favour.
    pub amount: i64,
    pub currency: String,
    pub booked_on: NaiveDate,
    pub description: String,
    pub reference: String,
    pub method: String,
    pub fee: i64,
    pub special: bool,
    pub invoice_id: Option<i32>,
    pub reverses: Option<(i32, EntryKind, bool)>,
    pub idempotency_key: Option<String>,
    pub actor: Actor,
}

impl NewEntry {
    pub fn new(
        kind: EntryKind,
        amount: i64,
        booked_on: NaiveDate,
        description: String,
        actor: Actor,
    ) -> NewEntry {
        NewEntry {
            kind,
            amount,
            currency: "EUR".into(),
            booked_on,
            description,
            reference: String::new(),
            method: String::new(),
            fee: 0,
            special: false,
            invoice_id: None,
            reverses: None,
            idempotency_key: None,
            actor,
        }
    }

    /// How the entry moves the figures besides the balance.
    fn delta(&self) -> Delta {
        let mut d = Delta { balance: self.amount, ..Delta::default() };
        let (kind, special) = match self.reverses {
            Some((_, kind, special)) => (kind, special),
            None => (self.kind, self.special),
        };
        match kind {
            EntryKind::Payment => d.paid_in = self.amount,
            EntryKind::Invoice => d.spent = -self.amount,
            EntryKind::Credit if special => d.special = self.amount,
            _ => {}
        }
        d
    }
}

const ENTRY_HEAD: &str = "INSERT INTO ledger_entries (customer_id, kind, amount_cents, currency, booked_on, \
     description, reference, method, fee_cents, special, invoice_id, reverses_id, idempotency_key, balance_after, \
     created_at, booked_by_kind, booked_by_id)";

fn entry_row(
    customer_id: i32,
    e: NewEntry,
    balance_after: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Value> {
    let (actor_kind, actor_id, _) = e.actor.columns();
    vec![
        customer_id.into(),
        e.kind.as_str().into(),
        e.amount.into(),
        e.currency.into(),
        e.booked_on.into(),
        e.description.into(),
        e.reference.into(),
        e.method.into(),
        e.fee.into(),
        e.special.into(),
        e.invoice_id.into(),
        e.reverses.map(|r| r.0).into(),
        e.idempotency_key.into(),
        balance_after.into(),
        now.into(),
        actor_kind.into(),
        actor_id.into(),
    ]
}

/// Append an entry and move the figures; returns the entry's id and the balance after it.
pub async fn append<C: ConnectionTrait>(txn: &C, customer_id: i32, e: NewEntry) -> AppResult<(i32, i64)> {
    let now = apply(txn, customer_id, e.delta()).await?;
    let row = entry_row(customer_id, e, now.balance, chrono::Utc::now());
    let rows = bulk::insert(txn, ENTRY_HEAD, "RETURNING id", vec![row]).await.map_err(|e| {
        // The same bank reference or form key again: booked already, nothing twice.
        if crate::db::is_unique_violation(&e) {
            crate::error::AppError::Validation(vec![crate::error::FieldError::new(
                "reference",
                "ledger.duplicate",
            )])
        } else {
            e.into()
        }
    })?;
    let row = rows.first().ok_or(crate::error::AppError::Internal)?;
    Ok((row.try_get("", "id")?, now.balance))
}

/// Append many entries (of many customers, in booking order per customer) with `extra` moves
/// of each entry's figures besides its own, e.g. an invoice charge that opens the invoice: a
/// few statements however many. Returns every customer's figures after.
pub async fn append_many<C: ConnectionTrait>(
    txn: &C,
    entries: Vec<(i32, NewEntry, Delta)>,
) -> AppResult<HashMap<i32, Figures>> {
    let mut deltas: Vec<(i32, Delta)> = Vec::new();
    let mut index: HashMap<i32, usize> = HashMap::new();
    for (customer, e, extra) in &entries {
        let i = *index.entry(*customer).or_insert_with(|| {
            deltas.push((*customer, Delta::default()));
            deltas.len() - 1
        });
        deltas[i].1 += e.delta();
        deltas[i].1 += *extra;
    }
    let after = apply_many(txn, &deltas).await?;
    // Each customer's balance before these entries, then running through them.
    let mut running: HashMap<i32, i64> =
        deltas.iter().map(|(id, d)| (*id, after.get(id).map_or(0, |f| f.balance) - d.balance)).collect();
    let now = chrono::Utc::now();
    let rows = entries
        .into_iter()
        .map(|(customer, e, _)| {
            let balance = running.entry(customer).or_default();
            *balance += e.amount;
            entry_row(customer, e, *balance, now)
        })
        .collect();
    bulk::insert(txn, ENTRY_HEAD, "", rows).await?;
    Ok(after)
}

/// Allocate `amount` of a payment entry (or, with `entry` None, of the account's credit) to an
/// invoice: its paid amount and state follow, and so do the open figures.
pub async fn allocate<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    invoice_id: i32,
    entry: Option<i32>,
    amount: i64,
) -> AppResult<()> {
    if amount == 0 {
        return Ok(());
    }
    if amount > 0 {
        // Never more than the invoice still owes: an allocation cannot overpay it.
        let owed = txn
            .query_one_raw(stmt(
                txn,
                "SELECT gross_cents - paid_cents AS owed FROM invoices WHERE id = $1",
                vec![invoice_id.into()],
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "owed"))
            .transpose()?
            .unwrap_or(0);
        if amount > owed {
            return Err(crate::error::AppError::Validation(vec![crate::error::FieldError::new(
                "invoices",
                "ledger.overpaid",
            )]));
        }
    }
    txn.execute_raw(stmt(
        txn,
        "INSERT INTO allocations (customer_id, invoice_id, entry_id, amount_cents, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        vec![customer_id.into(), invoice_id.into(), entry.into(), amount.into(), chrono::Utc::now().into()],
    ))
    .await?;
    let row = txn
        .query_one_raw(stmt(
            txn,
            "UPDATE invoices SET paid_cents = paid_cents + $2, \
               state = CASE WHEN paid_cents + $2 >= gross_cents THEN 'paid' ELSE 'open' END, \
               version = version + 1, updated_at = $3 \
             WHERE id = $1 AND state IN ('open', 'paid') \
             RETURNING state, paid_cents, gross_cents",
            vec![invoice_id.into(), amount.into(), chrono::Utc::now().into()],
        ))
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let state: String = row.try_get("", "state")?;
    let paid: i64 = row.try_get("", "paid_cents")?;
    let gross: i64 = row.try_get("", "gross_cents")?;
    let before_open = (gross - (paid - amount)).max(0);
    let after_open = if state == "paid" { 0 } else { gross - paid };
    let was_open = gross - (paid - amount) > 0;
    let is_open = state == "open";
    apply(
        txn,
        customer_id,
        Delta {
            open_cents: after_open - before_open,
            open_count: i32::from(is_open) - i32::from(was_open),
            ..Delta::default()
        },
    )
    .await?;
    Ok(())
}
