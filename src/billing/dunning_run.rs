//! The dunning run: every open invoice past its due date gets the level it is due for, once (the
//! unique (invoice, level) index stands behind that, whoever runs), never for a customer with
//! dunning off, never for an invoice paid or cancelled before the run. A batch of customers per
//! transaction under their locks, where everything is read again, so a payment booked a moment
//! before is seen. What a notice charges (fees, the flat 40 €, interest) goes on a document of
//! its own (`dunning_fees`), charged to the
//! ledger; the dunned invoice is never touched. The archive worker typesets and mails the
//! notices afterwards.
use super::dunning::{self, Charge, Level, Sent};
use super::invoices::{AREA, LEDGER_AREA};
use super::issue::check_seller;
use super::parties::SellerSettings;
use crate::db::entities::customer;
use crate::db::{bulk, stmt};
use crate::error::{AppError, AppResult};
use crate::write::Ctx;
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Value};
use std::collections::HashMap;

/// Customers per transaction.
pub const BATCH: usize = 200;

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub customers: u64,
    pub notices: u64,
    pub fee_documents: u64,
    /// Overdue invoices not dunned because their customer has dunning off.
    pub skipped_off: u64,
}

/// The levels as the operator configured them, in level order.
pub async fn levels<C: ConnectionTrait>(db: &C) -> AppResult<Vec<Level>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT level, active, days, fee_business_cents, fee_consumer_cents, pay_days, by_mail, by_letter, text \
             FROM dunning_levels ORDER BY level",
            vec![],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Level {
                level: r.try_get("", "level")?,
                active: r.try_get("", "active")?,
                days: r.try_get("", "days")?,
                fee_business_cents: r.try_get("", "fee_business_cents")?,
                fee_consumer_cents: r.try_get("", "fee_consumer_cents")?,
                pay_days: r.try_get("", "pay_days")?,
                by_mail: r.try_get("", "by_mail")?,
                by_letter: r.try_get("", "by_letter")?,
                text: r.try_get("", "text")?,
            })
        })
        .collect()
}

/// The base rates of § 247 BGB, oldest first.
pub async fn base_rates<C: ConnectionTrait>(db: &C) -> AppResult<Vec<(NaiveDate, i32)>> {
    let rows = db
        .query_all_raw(stmt(db, "SELECT valid_from, rate_bp FROM base_rates ORDER BY valid_from", vec![]))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "valid_from")?, r.try_get("", "rate_bp")?))).collect()
}

/// The invoices that are dunned: invoices and corrections (a fee document is not: no fees on
/// fees), not while a direct debit collects them.
const DUNNED: &str = concat!(
    "i.kind IN ('invoice', 'correction') AND NOT EXISTS (",
    crate::billing::sepa::collect::pending_collection!(),
    ")"
);

/// The next customers (from `after` on, in id order) with an open invoice due on or before
/// `cutoff` and dunning on.
async fn due_customers<C: ConnectionTrait>(db: &C, cutoff: NaiveDate, after: i32) -> AppResult<Vec<i32>> {
    let sql = format!(
        "SELECT c.id FROM customers c WHERE c.id > $2 AND c.erased_at IS NULL AND NOT c.dunning_off AND EXISTS ( \
           SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.state = 'open' AND {DUNNED} \
           AND i.due_date <= $1) ORDER BY c.id LIMIT $3"
    );
    let rows =
        db.query_all_raw(stmt(db, &sql, vec![cutoff.into(), after.into(), (BATCH as i64).into()])).await?;
    rows.iter().map(|r| Ok(r.try_get("", "id")?)).collect()
}

/// Overdue invoices of customers with dunning off (what the run leaves, shown in its outcome).
async fn skipped_off<C: ConnectionTrait>(db: &C, cutoff: NaiveDate) -> AppResult<u64> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM invoices i JOIN customers c ON c.id = i.customer_id \
         WHERE c.dunning_off AND c.erased_at IS NULL AND i.state = 'open' AND {DUNNED} AND i.due_date <= $1"
    );
    let row = db.query_one_raw(stmt(db, &sql, vec![cutoff.into()])).await?.ok_or(AppError::Internal)?;
    Ok(row.try_get::<i64>("", "n")? as u64)
}

/// Send every level due on `today`, a batch of customers at a time. Each batch is planned
/// without locks first; only customers with a level due are locked and planned again.
pub async fn run(ctx: &Ctx, today: NaiveDate) -> AppResult<Outcome> {
    let mut total = Outcome::default();
    let levels = levels(&ctx.db).await?;
    let Some(first_days) = levels.iter().map(|l| l.days).min() else { return Ok(total) };
    let seller = SellerSettings::load(&ctx.db).await?;
    if let Err(e) = check_seller(&seller) {
        // A notice names the seller, and a fee document must be a proper document.
        tracing::warn!(error = ?e, "dunning run: the seller's data are incomplete");
        return Ok(total);
    }
    let rates = base_rates(&ctx.db).await?;
    let cutoff = today.checked_sub_days(Days::new(first_days.max(0) as u64)).unwrap_or(today);
    total.skipped_off = skipped_off(&ctx.db, cutoff).await?;
    let plan = Plan { levels: &levels, rates: &rates, cutoff, today };
    let mut after = 0;
    let mut failed = None;
    loop {
        let ids = due_customers(&ctx.db, cutoff, after).await?;
        let Some(last) = ids.last().copied() else { break };
        after = last;
        let loaded = load(&ctx.db, &ids, cutoff).await?;
        let mut wanted: Vec<i32> = plan.due(&loaded).iter().map(|d| d.customer.id).collect();
        wanted.dedup();
        if wanted.is_empty() {
            continue;
        }
        // One customer's data must not hold up the others: the batch is passed and named.
        match batch(ctx, &wanted, &plan, &seller).await {
            Ok(done) => {
                total.customers += done.customers;
                total.notices += done.notices;
                total.fee_documents += done.fee_documents;
            }
            Err(e) => {
                tracing::error!(error = %e, first = wanted[0], "dunning run: a batch failed");
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) if total.notices == 0 => Err(e),
        _ => Ok(total),
    }
}

/// What a run plans with.
struct Plan<'a> {
    levels: &'a [Level],
    rates: &'a [(NaiveDate, i32)],
    cutoff: NaiveDate,
    today: NaiveDate,
}

/// An open invoice past the cutoff.
pub(super) struct Open {
    id: i32,
    customer_id: i32,
    pub(super) number: String,
    pub(super) currency: String,
    due_date: NaiveDate,
    pub(super) open_cents: i64,
    /// It has notices already.
    dunned: bool,
}

/// A batch's customers (dunning on), their open invoices past the cutoff and the notices sent.
struct Loaded {
    customers: HashMap<i32, customer::Model>,
    invoices: Vec<Open>,
    sent: HashMap<i32, Vec<Sent>>,
}

async fn load<C: ConnectionTrait>(db: &C, ids: &[i32], cutoff: NaiveDate) -> AppResult<Loaded> {
    // Dunning may have been switched off meanwhile.
    let customers: HashMap<i32, customer::Model> = customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids.to_vec()))
        .filter(customer::Column::DunningOff.eq(false))
        .filter(customer::Column::ErasedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut keys: Vec<i32> = customers.keys().copied().collect();
    keys.sort_unstable();
    if keys.is_empty() {
        return Ok(Loaded { customers, invoices: Vec::new(), sent: HashMap::new() });
    }
    let mut params: Vec<Value> = vec![cutoff.into()];
    params.extend(keys.iter().map(|k| Value::from(*k)));
    let rows = db
        .query_all_raw(stmt(
            db,
            &format!(
                "SELECT i.id, i.customer_id, i.number, i.currency, i.due_date, i.dunning_level, \
                 i.gross_cents - i.paid_cents AS open_cents FROM invoices i WHERE i.customer_id IN ({}) AND i.state = 'open' AND {DUNNED} \
                 AND i.number IS NOT NULL AND i.due_date <= $1 ORDER BY i.id",
                bulk::list(2, keys.len())
            ),
            params,
        ))
        .await?;
    let mut invoices = Vec::with_capacity(rows.len());
    for r in &rows {
        let due_date: Option<NaiveDate> = r.try_get("", "due_date")?;
        let Some(due_date) = due_date else { continue };
        invoices.push(Open {
            id: r.try_get("", "id")?,
            customer_id: r.try_get("", "customer_id")?,
            number: r.try_get::<Option<String>>("", "number")?.unwrap_or_default(),
            currency: r.try_get("", "currency")?,
            due_date,
            open_cents: r.try_get("", "open_cents")?,
            dunned: r.try_get::<Option<i32>>("", "dunning_level")?.is_some(),
        });
    }
    // Only invoices dunned before have notices (a run that reminds thousands reads none).
    let dunned: Vec<Value> = invoices.iter().filter(|i| i.dunned).map(|i| Value::from(i.id)).collect();
    let mut notices = Vec::new();
    for ids in dunned.chunks(10_000) {
        let sql = format!(
            "SELECT invoice_id, level, issued_on, level_fee_cents, flat_cents, interest_to FROM dunning_notices \
             WHERE invoice_id IN ({})",
            bulk::list(1, ids.len())
        );
        notices.extend(db.query_all_raw(stmt(db, &sql, ids.to_vec())).await?);
    }
    let mut sent: HashMap<i32, Vec<Sent>> = HashMap::new();
    for r in &notices {
        sent.entry(r.try_get("", "invoice_id")?).or_default().push(Sent {
            level: r.try_get("", "level")?,
            issued_on: r.try_get("", "issued_on")?,
            level_fee_cents: r.try_get("", "level_fee_cents")?,
            flat_cents: r.try_get("", "flat_cents")?,
            interest_to: r.try_get("", "interest_to")?,
        });
    }
    Ok(Loaded { customers, invoices, sent })
}

impl Plan<'_> {
    /// The notices due on the plan's day, in invoice order.
    fn due<'a>(&'a self, l: &'a Loaded) -> Vec<Due<'a>> {
        let mut due = Vec::new();
        for inv in l.invoices.iter().filter(|i| i.open_cents > 0 && i.due_date <= self.cutoff) {
            let Some(customer) = l.customers.get(&inv.customer_id) else { continue };
            // Dunned as a business (9 points, the flat 40 €) as taxed as a company.
            let business = super::parties::is_company(customer);
            let before = l.sent.get(&inv.id).map(Vec::as_slice).unwrap_or_default();
            let Some(level) = dunning::next_level(self.levels, business, inv.due_date, before, self.today)
            else {
                continue;
            };
            let charge = dunning::charge(level, business, before, inv.open_cents, self.today, self.rates);
            due.push(Due { customer, invoice: inv, level, business, charge });
        }
        // Grouped by customer (for the locks), invoices in order within each.
        due.sort_by_key(|d| (d.customer.id, d.invoice.id));
        due
    }
}

/// An invoice the batch dunned: its notice and what it charges.
pub(super) struct Due<'a> {
    pub(super) customer: &'a customer::Model,
    pub(super) invoice: &'a Open,
    pub(super) level: &'a Level,
    pub(super) business: bool,
    pub(super) charge: Charge,
}

/// One batch under its customers' locks: everything read again and planned again, then written
/// in a few statements.
async fn batch(ctx: &Ctx, ids: &[i32], plan: &Plan<'_>, seller: &SellerSettings) -> AppResult<Outcome> {
    let (mut change, live) = ctx.begin_many(ids).await?;
    let txn = &change.txn;
    let loaded = load(txn, &live, plan.cutoff).await?;
    let due = plan.due(&loaded);
    let today = plan.today;
    if due.is_empty() {
        change.commit().await?;
        return Ok(Outcome::default());
    }
    let fees = super::dunning_fees::fee_documents(txn, seller, &due, today).await?;
    let now = chrono::Utc::now();
    let rows = due
        .iter()
        .zip(&fees)
        .map(|(d, fee)| {
            vec![
                d.customer.id.into(),
                d.invoice.id.into(),
                d.level.level.into(),
                today.into(),
                dunning::pay_by(d.level, today).into(),
                d.business.into(),
                d.invoice.open_cents.into(),
                d.charge.level_fee_cents.into(),
                d.charge.fee_cents.into(),
                d.charge.flat_cents.into(),
                d.charge.interest_cents.into(),
                d.charge.interest_from.into(),
                d.charge.interest_to.into(),
                (*fee).into(),
                d.level.by_mail.into(),
                d.level.by_letter.into(),
                (if d.level.by_mail { "pending" } else { "none" }).into(),
                (if d.level.by_letter { "to_print" } else { "none" }).into(),
                now.into(),
            ]
        })
        .collect();
    let inserted = bulk::insert(
        txn,
        "INSERT INTO dunning_notices (customer_id, invoice_id, level, issued_on, pay_by, business, open_cents, \
         level_fee_cents, fee_cents, flat_cents, interest_cents, interest_from, interest_to, fee_invoice_id, by_mail, by_letter, \
         mail_state, letter_state, created_at)",
        "ON CONFLICT (invoice_id, level) DO NOTHING RETURNING id",
        rows,
    )
    .await?;
    if inserted.len() != due.len() {
        // Under the locks nobody else sends; should anyone have, nothing of this batch stands.
        return Err(AppError::Internal);
    }
    let levels = due.iter().map(|d| vec![d.invoice.id.into(), d.level.level.into()]).collect();
    bulk::update(txn, "invoices", &["id", "level"], "dunning_level = v.level", "TRUE", vec![], levels)
        .await?;
    let mut touched: Vec<i32> = due.iter().map(|d| d.customer.id).collect();
    touched.sort_unstable();
    touched.dedup();
    for id in &touched {
        change.touched_other(*id, AREA);
        change.touched_other(*id, LEDGER_AREA);
    }
    // The archive worker finds the new notices at its next look (a few seconds).
    change.commit().await?;
    Ok(Outcome {
        customers: touched.len() as u64,
        notices: due.len() as u64,
        fee_documents: fees.iter().flatten().count() as u64,
        skipped_off: 0,
    })
}

/// Run dunning with the billing scheduler's round (idempotent: each level once per invoice).
pub async fn round(ctx: &Ctx, today: NaiveDate) {
    match run(ctx, today).await {
        Ok(o) if o.notices > 0 => {
            tracing::info!(notices = o.notices, fee_documents = o.fee_documents, "dunning run")
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "dunning run failed"),
    }
}
