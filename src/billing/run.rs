//! The billing run: due recurring items and due planned items become finalised invoices,
//! charged to the ledger and paid from credit where the customer has some. A batch of customers
//! per transaction, under their locks, written in a few statements however many invoices: a
//! crash (even `kill -9`) leaves each batch billed wholly or not at all, and a second run, or a
//! second instance running at the same time, finds the items moved on and bills nothing twice
//! (the unique (item, period) index stands behind that). A batch that fails (one customer's
//! data) is billed again one customer per transaction, so the others are not held up.
//! Customers with "keine Rechnungsstellung" are skipped.
use super::calendar;
use super::invoices::{AREA, LEDGER_AREA, Line};
use super::issue::{self, Draft};
use super::items::{DueItem, ITEMS_AREA, due_items};
use crate::db::entities::customer;
use crate::db::{bulk, stmt};
use crate::error::{AppError, AppResult};
use crate::events::actor::Actor;
use crate::write::{Change, Ctx};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};

/// Customers per transaction.
pub const BATCH: usize = 200;

/// At most this many periods of one item per run (an item anchored years back catches up over
/// a few runs instead of one enormous invoice).
pub const MAX_PERIODS_PER_RUN: u32 = 366;

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub customers: u64,
    pub invoices: u64,
    pub periods: u64,
    pub planned: u64,
}

impl std::ops::AddAssign for Outcome {
    fn add_assign(&mut self, o: Outcome) {
        self.customers += o.customers;
        self.invoices += o.invoices;
        self.periods += o.periods;
        self.planned += o.planned;
    }
}

/// The customers with something due on `today`, from `after` on, in id order.
async fn due_customers<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    after: i32,
    limit: u64,
) -> AppResult<Vec<i32>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT id FROM customers c WHERE id > $2 AND erased_at IS NULL AND taxation <> 'no_invoicing' AND ( \
               EXISTS (SELECT 1 FROM billing_items b WHERE b.customer_id = c.id AND b.status = 'active' \
                       AND b.next_due <= $1 AND (b.ends_on IS NULL OR b.next_due <= b.ends_on)) \
               OR EXISTS (SELECT 1 FROM planned_items p WHERE p.customer_id = c.id AND p.invoice_id IS NULL \
                       AND (p.bill_on IS NULL OR p.bill_on <= $1))) \
             ORDER BY id LIMIT $3",
            vec![today.into(), after.into(), (limit as i64).into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get("", "id")?)).collect()
}

/// Bill everything due on `today`, a batch of customers at a time.
pub async fn run(ctx: &Ctx, today: NaiveDate) -> AppResult<Outcome> {
    let mut total = Outcome::default();
    if let Err(e) = issue::check_seller(&super::parties::SellerSettings::load(&ctx.db).await?) {
        // Nothing can be invoiced before the seller's data are complete: no batch is tried.
        tracing::warn!(error = ?e, "billing run: the seller's data are incomplete");
        return Ok(total);
    }
    // PostgreSQL bills one batch while this process prepares the next; SQLite has one writer.
    let at_once = if crate::db::is_sqlite(&ctx.db) { 1 } else { 2 };
    let mut running = tokio::task::JoinSet::new();
    let mut after = 0;
    loop {
        let batch = due_customers(&ctx.db, today, after, BATCH as u64).await?;
        let Some(&last) = batch.last() else { break };
        after = last;
        while running.len() >= at_once {
            total +=
                running.join_next().await.transpose().map_err(|_| AppError::Internal)?.unwrap_or_default();
        }
        let ctx = ctx.clone();
        running.spawn(async move { bill_batch(&ctx, batch, today).await });
    }
    while let Some(done) = running.join_next().await {
        total += joined(Some(done));
    }
    Ok(total)
}

/// A finished batch's outcome; a panicked batch (rolled back) is logged and the run goes on.
fn joined(done: Option<Result<Outcome, tokio::task::JoinError>>) -> Outcome {
    match done {
        Some(Ok(o)) => o,
        Some(Err(e)) => {
            tracing::error!(error = %e, "billing run: a batch stopped");
            Outcome::default()
        }
        None => Outcome::default(),
    }
}

/// Bill a batch in one transaction; when that fails, its customers one by one, so one
/// customer's problem (e.g. a period billed by hand meanwhile) does not stop the others.
async fn bill_batch(ctx: &Ctx, batch: Vec<i32>, today: NaiveDate) -> Outcome {
    match run_batch(ctx, &batch, today).await {
        Ok(o) => o,
        Err(e) => {
            tracing::info!(error = ?e, "billing run: batch refused, billing its customers one by one");
            let mut total = Outcome::default();
            for customer in batch {
                match run_customer(ctx, customer, today).await {
                    Ok(o) => total += o,
                    Err(e) => tracing::warn!(customer, error = ?e, "billing run: customer not billed"),
                }
            }
            total
        }
    }
}

async fn run_batch(ctx: &Ctx, ids: &[i32], today: NaiveDate) -> AppResult<Outcome> {
    let (mut change, live) = ctx.begin_many(ids).await?;
    if !crate::db::is_sqlite(&ctx.db) {
        // The batch updates a few hundred items and invoices by primary key. With the default
        // cost of a random read PostgreSQL hashes them against a scan of the whole table, which
        // grows with every run; on cached or solid-state storage the index is cheaper.
        change.txn.execute_unprepared("SET LOCAL random_page_cost = 1.1").await?;
    }
    let outcome = bill(&mut change, &live, today).await?;
    change.commit().await?;
    Ok(outcome)
}

/// Bill what of one customer is due on `today` (also "bill now" for the whole customer).
pub async fn run_customer(ctx: &Ctx, customer_id: i32, today: NaiveDate) -> AppResult<Outcome> {
    let mut change = ctx.begin(customer_id).await?;
    let outcome = bill(&mut change, &[customer_id], today).await?;
    change.commit().await?;
    Ok(outcome)
}

/// The periods of `item` due by `today` (at most [`MAX_PERIODS_PER_RUN`]) as lines with their
/// due days; the number of periods billed after them.
fn due_lines(item: &DueItem, today: NaiveDate) -> AppResult<(Vec<(NaiveDate, Line)>, u32)> {
    let mut lines = Vec::new();
    let mut n = item.periods_billed;
    while n < item.periods_billed + MAX_PERIODS_PER_RUN {
        let Some(due) = calendar::due(item.anchor, item.interval, n) else { break };
        if due > today {
            break;
        }
        lines.push((due, item.line(n).ok_or(AppError::Internal)?.0));
        n += 1;
    }
    Ok((lines, n))
}

/// Bill the locked customers `ids` in the change's transaction.
async fn bill(change: &mut Change<'_>, ids: &[i32], today: NaiveDate) -> AppResult<Outcome> {
    let txn = &change.txn;
    let mut customers: HashMap<i32, customer::Model> = customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids.to_vec()))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    // A customer whose e-invoice would be incomplete is passed over (the profile warns), so
    // their items stay due and are billed by the first run after the data are complete.
    let seller = super::parties::SellerSettings::load(txn).await?;
    customers.retain(|id, c| {
        let missing = super::parties::einvoice_missing(&seller, c);
        if !missing.is_empty() {
            tracing::info!(
                customer = id,
                ?missing,
                "billing run: e-invoice incomplete, customer passed over"
            );
        }
        missing.is_empty()
    });
    let mut outcome = Outcome { customers: customers.len() as u64, ..Outcome::default() };
    // Lines grouped by invoice: (customer, due day, item or 0 when grouped, -1 for planned).
    let mut groups: BTreeMap<(i32, NaiveDate, i32), Vec<Line>> = BTreeMap::new();
    let items = due_items(txn, ids, today).await?;
    let mut moved = Vec::with_capacity(items.len());
    for item in &items {
        let Some(c) = customers.get(&item.customer_id) else { continue };
        let (lines, billed) = due_lines(item, today)?;
        outcome.periods += u64::from(billed - item.periods_billed);
        for (due, line) in lines {
            let key = if c.grouping_off { (c.id, due, item.id) } else { (c.id, due, 0) };
            groups.entry(key).or_default().push(line);
        }
        moved.push((item, billed));
    }
    super::item_periods::advance_many(txn, &moved).await?;
    for (customer_id, line) in due_planned(txn, ids, today).await? {
        let Some(c) = customers.get(&customer_id) else { continue };
        outcome.planned += 1;
        let key = if c.grouping_off { (c.id, today, -1) } else { (c.id, today, 0) };
        groups.entry(key).or_default().push(line);
    }
    if groups.is_empty() {
        return Ok(outcome);
    }
    let heads: Vec<(i32, String, String)> =
        groups.keys().map(|(c, _, _)| (*c, customers[c].currency.clone(), String::new())).collect();
    let draft_ids = issue::insert_drafts(txn, &heads, Actor::System, "run").await?;
    let planned_rows: Vec<Vec<sea_orm::Value>> = groups
        .values()
        .zip(&draft_ids)
        .flat_map(|(lines, invoice)| {
            lines.iter().filter_map(|l| l.planned_item_id).map(move |id| vec![id.into(), (*invoice).into()])
        })
        .collect();
    bulk::update(
        txn,
        "planned_items",
        &["id", "invoice_id"],
        "invoice_id = v.invoice_id",
        "planned_items.invoice_id IS NULL",
        vec![],
        planned_rows,
    )
    .await?;
    let drafts: Vec<Draft<'_>> = groups
        .into_iter()
        .zip(draft_ids)
        .map(|(((c, _, _), lines), id)| Draft {
            id,
            customer: &customers[&c],
            currency: match customers[&c].currency.trim() {
                "" => "EUR".to_string(),
                code => code.to_string(),
            },
            lines,
        })
        .collect();
    let issued = issue::issue(txn, Actor::System, today, drafts).await?;
    outcome.invoices = issued.len() as u64;
    let mut billed: Vec<i32> = issued.iter().map(|i| i.customer_id).collect();
    billed.dedup();
    for id in billed {
        for area in [ITEMS_AREA, AREA, LEDGER_AREA] {
            change.touched_other(id, area);
        }
    }
    Ok(outcome)
}

/// The planned items of customers due on `today`, as invoice lines, by customer and id.
async fn due_planned<C: ConnectionTrait>(
    txn: &C,
    customers: &[i32],
    today: NaiveDate,
) -> AppResult<Vec<(i32, Line)>> {
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, customer_id, description, quantity_milli, unit_price_e4, tax_class, service_date FROM planned_items \
         WHERE customer_id IN ({}) AND invoice_id IS NULL AND (bill_on IS NULL OR bill_on <= $1) ORDER BY customer_id, id",
        bulk::list(2, customers.len())
    );
    let mut values: Vec<sea_orm::Value> = vec![today.into()];
    values.extend(customers.iter().map(|c| (*c).into()));
    let rows = txn.query_all_raw(stmt(txn, &sql, values)).await?;
    rows.iter()
        .map(|r| {
            let quantity: i64 = r.try_get("", "quantity_milli")?;
            let price: i64 = r.try_get("", "unit_price_e4")?;
            let day: Option<NaiveDate> = r.try_get("", "service_date")?;
            Ok((
                r.try_get("", "customer_id")?,
                Line {
                    description: r.try_get("", "description")?,
                    quantity_milli: quantity,
                    unit_price_e4: price,
                    net_cents: super::amount::line_net(quantity, price).ok_or(AppError::Internal)?,
                    tax_class: super::tax::TaxClass::parse(&r.try_get::<String>("", "tax_class")?)
                        .unwrap_or_default(),
                    service_from: day,
                    service_to: day,
                    billing_item_id: None,
                    planned_item_id: Some(r.try_get("", "id")?),
                },
            ))
        })
        .collect()
}

/// The in-process scheduler of every server process: bills what is due every ten minutes (a
/// due item waits at most that long; two instances bill nothing twice).
pub fn spawn(ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let today = crate::clock::business_day();
            // Quotes past their validity expire with the first round of a day (idempotent).
            if let Err(e) = super::quote_decision::expire(&ctx, today).await {
                tracing::error!(error = %e, "quote expiry failed");
            }
            match run(&ctx, today).await {
                Ok(o) if o.invoices > 0 => {
                    tracing::info!(invoices = o.invoices, periods = o.periods, "billing run")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "billing run failed"),
            }
            // Dunning after billing: a payment from credit at issue is seen first.
            super::dunning_run::round(&ctx, today).await;
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    })
}
