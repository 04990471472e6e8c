//! A recurring item's periods as the billing reads them: the item's next unbilled period as an
//! invoice line, the items due on a day, and moving an item past what was billed. Shared by the
//! run, "bill one interval now", drafts made from items and finalising.
use super::amount::line_net;
use super::calendar::{self, Interval, Unit};
use super::invoices::Line;
use crate::db::{bulk, stmt};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// An item as the run reads it.
#[derive(Clone, Debug)]
pub struct DueItem {
    pub id: i32,
    pub customer_id: i32,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_e4: i64,
    pub tax_class: super::tax::TaxClass,
    pub interval: Interval,
    pub anchor: NaiveDate,
    pub periods_billed: u32,
}

impl DueItem {
    pub(super) fn read(r: &sea_orm::QueryResult) -> AppResult<DueItem> {
        Ok(DueItem {
            id: r.try_get("", "id")?,
            customer_id: r.try_get("", "customer_id")?,
            description: r.try_get("", "description")?,
            quantity_milli: r.try_get("", "quantity_milli")?,
            unit_price_e4: r.try_get("", "unit_price_e4")?,
            tax_class: super::tax::TaxClass::parse(&r.try_get::<String>("", "tax_class")?)
                .unwrap_or_default(),
            interval: Interval {
                unit: Unit::parse(&r.try_get::<String>("", "interval_unit")?).unwrap_or_default(),
                count: r.try_get::<i32>("", "interval_count")?.max(1) as u32,
            },
            anchor: r.try_get("", "anchor_date")?,
            periods_billed: r.try_get::<i32>("", "periods_billed")?.max(0) as u32,
        })
    }

    /// The invoice line of period `n`, with the period as its service dates.
    pub fn line(&self, n: u32) -> Option<(Line, NaiveDate)> {
        let (from, to) = calendar::period(self.anchor, self.interval, n)?;
        let line = Line {
            description: self.description.clone(),
            quantity_milli: self.quantity_milli,
            unit_price_e4: self.unit_price_e4,
            net_cents: line_net(self.quantity_milli, self.unit_price_e4)?,
            tax_class: self.tax_class,
            service_from: Some(from),
            service_to: Some(to),
            billing_item_id: Some(self.id),
            planned_item_id: None,
        };
        Some((line, from))
    }
}

pub(super) const ITEM_COLUMNS: &str = "id, customer_id, description, quantity_milli, unit_price_e4, tax_class, interval_unit, \
                            interval_count, anchor_date, periods_billed";

/// The active items of customers due on or before `today`, by customer and id. An item on a
/// draft waits for that draft: staff who put its period on an invoice by hand bill it themselves.
pub async fn due_items<C: ConnectionTrait>(
    txn: &C,
    customers: &[i32],
    today: NaiveDate,
) -> AppResult<Vec<DueItem>> {
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM billing_items WHERE customer_id IN ({}) AND status = 'active' AND next_due <= $1 \
         AND (ends_on IS NULL OR next_due <= ends_on) \
         AND NOT EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE l.billing_item_id = billing_items.id AND i.number IS NULL) ORDER BY customer_id, id",
        bulk::list(2, customers.len())
    );
    let mut values: Vec<sea_orm::Value> = vec![today.into()];
    values.extend(customers.iter().map(|c| (*c).into()));
    let rows = txn.query_all_raw(stmt(txn, &sql, values)).await?;
    rows.iter().map(DueItem::read).collect()
}

/// Move an item past `n` billed periods.
pub async fn advance<C: ConnectionTrait>(txn: &C, item: &DueItem, billed: u32) -> AppResult<()> {
    advance_many(txn, &[(item, billed)]).await
}

/// Move items past their billed periods, in a few statements.
pub async fn advance_many<C: ConnectionTrait>(txn: &C, items: &[(&DueItem, u32)]) -> AppResult<()> {
    let rows = items
        .iter()
        .map(|(item, billed)| {
            let next = calendar::due(item.anchor, item.interval, *billed).ok_or(AppError::Internal)?;
            Ok(vec![item.id.into(), (*billed as i32).into(), next.into()])
        })
        .collect::<AppResult<Vec<_>>>()?;
    bulk::update(
        txn,
        "billing_items",
        &["id", "periods_billed", "next_due"],
        "periods_billed = v.periods_billed, next_due = v.next_due, updated_at = $1",
        "1 = 1",
        vec![chrono::Utc::now().into()],
        rows,
    )
    .await?;
    Ok(())
}

/// Item `id` of `customer_id`, unless it has ended.
pub async fn billable_item<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    id: i32,
) -> AppResult<Option<DueItem>> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM billing_items WHERE id = $1 AND customer_id = $2 AND status <> 'ended'"
    );
    txn.query_one_raw(stmt(txn, &sql, vec![id.into(), customer_id.into()]))
        .await?
        .map(|r| DueItem::read(&r))
        .transpose()
}

/// After finalising: an item whose next unbilled period is a line of the invoice moves past it.
/// A draft made from items holds the period without moving the item; the run and "bill one
/// interval now" have moved theirs already, so nothing moves twice.
pub async fn advance_billed<C: ConnectionTrait>(txn: &C, customer_id: i32, lines: &[Line]) -> AppResult<()> {
    for l in lines {
        let (Some(id), Some(from)) = (l.billing_item_id, l.service_from) else { continue };
        let Some(item) = billable_item(txn, customer_id, id).await? else { continue };
        if item.line(item.periods_billed).map(|(_, start)| start) == Some(from) {
            advance(txn, &item, item.periods_billed + 1).await?;
        }
    }
    Ok(())
}
