//! The billing run: due recurring items and due planned items become finalised invoices,
//! charged to the ledger and paid from credit where the customer has some. One transaction per
//! customer under the customer's lock: a crash (even `kill -9`) leaves a customer billed
//! wholly or not at all, and a second run, or a second instance running at the same time, finds
//! the items moved on and bills nothing twice (the unique (item, period) index stands behind
//! that). Customers with "keine Rechnungsstellung" are skipped.
use super::calendar;
use super::invoices::{AREA, LEDGER_AREA, Line, finalise_in, insert_draft, save_lines};
use super::items::{ITEMS_AREA, advance, due_items};
use crate::db::entities::customer;
use crate::db::stmt;
use crate::error::{AppError, AppResult};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::BTreeMap;

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

/// Bill everything due on `today`, customer by customer.
pub async fn run(ctx: &Ctx, today: NaiveDate) -> AppResult<Outcome> {
    let mut total = Outcome::default();
    let mut after = 0;
    loop {
        let batch = due_customers(&ctx.db, today, after, 500).await?;
        let Some(&last) = batch.last() else { break };
        for customer in batch {
            match run_customer(ctx, customer, today).await {
                Ok(o) => total += o,
                // One customer's problem (e.g. the seller's data missing) does not stop the others.
                Err(e) => tracing::warn!(customer, error = ?e, "billing run: customer not billed"),
            }
        }
        after = last;
    }
    Ok(total)
}

/// Bill what of one customer is due on `today` (also "bill now" for the whole customer).
pub async fn run_customer(ctx: &Ctx, customer_id: i32, today: NaiveDate) -> AppResult<Outcome> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let mut outcome = Outcome { customers: 1, ..Outcome::default() };
    // Lines grouped by invoice: (due day, item or 0 when grouped).
    let mut groups: BTreeMap<(NaiveDate, i32), Vec<Line>> = BTreeMap::new();
    for item in due_items(txn, customer_id, today).await? {
        let mut n = item.periods_billed;
        while n < item.periods_billed + MAX_PERIODS_PER_RUN {
            let Some(due) = calendar::due(item.anchor, item.interval, n) else { break };
            if due > today {
                break;
            }
            let (line, _) = item.line(n).ok_or(AppError::Internal)?;
            let key = if c.grouping_off { (due, item.id) } else { (due, 0) };
            groups.entry(key).or_default().push(line);
            n += 1;
        }
        outcome.periods += u64::from(n - item.periods_billed);
        advance(txn, &item, n).await?;
    }
    let planned = due_planned(txn, customer_id, today).await?;
    outcome.planned = planned.len() as u64;
    if !planned.is_empty() {
        let key = if c.grouping_off { (today, -1) } else { (today, 0) };
        groups.entry(key).or_default().extend(planned);
    }
    for lines in groups.into_values() {
        let invoice = insert_draft(txn, &c, Actor::System, "", "run").await?;
        save_lines(txn, &c, invoice, &lines).await?;
        let planned_ids: Vec<i32> = lines.iter().filter_map(|l| l.planned_item_id).collect();
        for id in planned_ids {
            txn.execute_raw(stmt(
                txn,
                "UPDATE planned_items SET invoice_id = $2 WHERE id = $1 AND invoice_id IS NULL",
                vec![id.into(), invoice.into()],
            ))
            .await?;
        }
        finalise_in(txn, Actor::System, customer_id, invoice, today).await?;
        outcome.invoices += 1;
    }
    if outcome.invoices > 0 {
        change.touched(ITEMS_AREA);
        change.touched(AREA);
        change.touched(LEDGER_AREA);
    }
    change.commit().await?;
    Ok(outcome)
}

/// The customer's planned items due on `today`, as invoice lines.
async fn due_planned<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    today: NaiveDate,
) -> AppResult<Vec<Line>> {
    let rows = txn
        .query_all_raw(stmt(
            txn,
            "SELECT id, description, quantity_milli, unit_price_e4, tax_class, service_date FROM planned_items \
             WHERE customer_id = $1 AND invoice_id IS NULL AND (bill_on IS NULL OR bill_on <= $2) ORDER BY id",
            vec![customer_id.into(), today.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let quantity: i64 = r.try_get("", "quantity_milli")?;
            let price: i64 = r.try_get("", "unit_price_e4")?;
            let day: Option<NaiveDate> = r.try_get("", "service_date")?;
            Ok(Line {
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
            })
        })
        .collect()
}

/// The in-process scheduler of every server process: bills what is due every ten minutes (a
/// due item waits at most that long; two instances bill nothing twice).
pub fn spawn(ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let today = crate::clock::business_day();
            match run(&ctx, today).await {
                Ok(o) if o.invoices > 0 => {
                    tracing::info!(invoices = o.invoices, periods = o.periods, "billing run")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "billing run failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    })
}
