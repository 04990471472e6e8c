//! Recurring items (Abrechnung): what a customer is billed for every interval, from its anchor.
//! Add, change, pause, resume, end; "bill one interval now". Billing a period writes a line
//! with the period as its service dates and a `billed_periods` row (unique per item and
//! period start), so no period is billed twice, whoever tries.
use super::amount::{PRICE_SCALE, QUANTITY_SCALE, line_net, parse_scaled};
use super::calendar::Interval;
use super::drafts::{insert_draft, save_lines};
use super::invoices::{AREA, LEDGER_AREA, finalise_in, lines_of};
pub use super::item_periods::{DueItem, advance, due_items};
use super::item_periods::{ITEM_COLUMNS, billable_item};
use super::model::ItemInput;
use crate::db::entities::customer;
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};

/// The area of recurring items.
pub const ITEMS_AREA: &str = "billing";

fn refused(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// A checked item.
pub(super) struct Checked {
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_e4: i64,
    pub tax_class: super::tax::TaxClass,
    pub interval: Interval,
    pub anchor: NaiveDate,
}

fn check(input: &ItemInput) -> AppResult<Checked> {
    let mut errors = Vec::new();
    let description = input.description.trim();
    if description.is_empty() || description.chars().count() > 500 {
        errors.push(FieldError::new("description", "items.description"));
    }
    let quantity = parse_scaled(&input.quantity, 3).filter(|q| *q > 0 && *q <= 1_000_000 * QUANTITY_SCALE);
    if quantity.is_none() {
        errors.push(FieldError::new("quantity", "invoices.line_quantity"));
    }
    let price = parse_scaled(&input.unit_price, 4).filter(|p| p.abs() <= 10_000_000 * PRICE_SCALE);
    if price.is_none() {
        errors.push(FieldError::new("unit_price", "invoices.line_price"));
    }
    if !(1..=120).contains(&input.interval_count) {
        errors.push(FieldError::new("interval_count", "items.interval_count"));
    }
    let anchor = NaiveDate::parse_from_str(input.first_due.trim(), "%Y-%m-%d").ok();
    if anchor.is_none() {
        errors.push(FieldError::new("first_due", "items.first_due"));
    }
    match (quantity, price, anchor) {
        (Some(q), Some(p), Some(anchor)) if errors.is_empty() && line_net(q, p).is_some() => Ok(Checked {
            description: description.to_string(),
            quantity_milli: q,
            unit_price_e4: p,
            tax_class: input.tax_class,
            interval: Interval { unit: input.interval_unit, count: input.interval_count },
            anchor,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Add an item, or change one (version-checked). Its interval and first date change only
/// while nothing of it is billed: billed periods stay as they were.
pub async fn save(ctx: &Ctx, actor: Actor, customer_id: i32, input: &ItemInput) -> AppResult<i32> {
    let c = check(input)?;
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let now = chrono::Utc::now();
    let id = match input.id {
        None => insert(txn, actor, customer_id, &c, now).await?,
        Some(id) => {
            let current = txn
                .query_one_raw(stmt(
                    txn,
                    "SELECT version, periods_billed, interval_unit, interval_count, anchor_date FROM billing_items \
                     WHERE id = $1 AND customer_id = $2",
                    vec![id.into(), customer_id.into()],
                ))
                .await?
                .ok_or(AppError::NotFound)?;
            let version: i64 = current.try_get("", "version")?;
            if version != input.version {
                return Err(AppError::Conflict { current_version: version });
            }
            let billed: i32 = current.try_get("", "periods_billed")?;
            let same_schedule = current.try_get::<String>("", "interval_unit")? == c.interval.unit.as_str()
                && current.try_get::<i32>("", "interval_count")? == c.interval.count as i32
                && current.try_get::<NaiveDate>("", "anchor_date")? == c.anchor;
            if billed > 0 && !same_schedule {
                return Err(refused("interval_unit", "items.schedule_locked"));
            }
            txn.execute_raw(stmt(
                txn,
                "UPDATE billing_items SET description = $3, quantity_milli = $4, unit_price_e4 = $5, tax_class = $6, \
                 interval_unit = $7, interval_count = $8, anchor_date = $9, \
                 next_due = CASE WHEN periods_billed = 0 THEN $9 ELSE next_due END, \
                 version = version + 1, updated_at = $10 WHERE id = $1 AND customer_id = $2",
                vec![
                    id.into(),
                    customer_id.into(),
                    c.description.clone().into(),
                    c.quantity_milli.into(),
                    c.unit_price_e4.into(),
                    input.tax_class.as_str().into(),
                    c.interval.unit.as_str().into(),
                    (c.interval.count as i32).into(),
                    c.anchor.into(),
                    now.into(),
                ],
            ))
            .await?;
            id
        }
    };
    change.touched(ITEMS_AREA);
    change.commit().await?;
    Ok(id)
}

/// Insert a new active item, anchored at `c.anchor`; returns its id.
pub(super) async fn insert<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer_id: i32,
    c: &Checked,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<i32> {
    let (kind, by, _) = actor.columns();
    let currency = customer::Entity::find_by_id(customer_id)
        .one(txn)
        .await?
        .map(|c| c.currency)
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "EUR".into());
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO billing_items (customer_id, description, quantity_milli, unit_price_e4, currency, \
             tax_class, interval_unit, interval_count, anchor_date, periods_billed, next_due, status, \
             version, created_at, updated_at, created_by_kind, created_by_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $9, 'active', 1, $10, $10, $11, $12) RETURNING id",
            vec![
                customer_id.into(),
                c.description.clone().into(),
                c.quantity_milli.into(),
                c.unit_price_e4.into(),
                currency.into(),
                c.tax_class.as_str().into(),
                c.interval.unit.as_str().into(),
                (c.interval.count as i32).into(),
                c.anchor.into(),
                now.into(),
                kind.into(),
                by.into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.try_get("", "id")?)
}

/// Pause, resume or end an item. An ended item stays (its billed periods refer to it).
pub async fn set_status(ctx: &Ctx, customer_id: i32, id: i32, status: &str) -> AppResult<()> {
    let from: &[&str] = match status {
        "paused" => &["active"],
        "active" => &["paused"],
        "ended" => &["active", "paused"],
        _ => return Err(refused("status", "items.status_invalid")),
    };
    let mut change = ctx.begin(customer_id).await?;
    let sql = format!(
        "UPDATE billing_items SET status = $3, version = version + 1, updated_at = $4 \
         WHERE id = $1 AND customer_id = $2 AND status IN ({})",
        from.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
    );
    let done = change
        .txn
        .execute_raw(stmt(
            &change.txn,
            &sql,
            vec![id.into(), customer_id.into(), status.into(), chrono::Utc::now().into()],
        ))
        .await?;
    if done.rows_affected() == 0 {
        return Err(refused("status", "items.status_invalid"));
    }
    change.touched(ITEMS_AREA);
    change.commit().await
}

/// Bill one interval of an item now (its next unbilled period), on an invoice of its own that
/// is finalised at once. Returns the invoice number.
pub async fn bill_now(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<String> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM billing_items WHERE id = $1 AND customer_id = $2 AND status <> 'ended'"
    );
    let item = txn
        .query_one_raw(stmt(txn, &sql, vec![id.into(), customer_id.into()]))
        .await?
        .map(|r| DueItem::read(&r))
        .transpose()?
        .ok_or_else(|| refused("item", "items.not_billable"))?;
    let (line, _) = item.line(item.periods_billed).ok_or(AppError::Internal)?;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let invoice = insert_draft(txn, &c, actor, "", "manual").await?;
    save_lines(txn, &c, invoice, &[line]).await?;
    advance(txn, &item, item.periods_billed + 1).await?;
    let done = finalise_in(txn, actor, customer_id, invoice, crate::clock::business_day()).await?;
    change.touched(ITEMS_AREA);
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(done.number)
}

/// Put an item's next unbilled period on a draft for staff to check before finalising: on the
/// customer's newest draft made from items, or a new one. The item waits (the run passes it
/// by) until that draft is finalised, which moves it on, or the line is removed. Returns the
/// draft's id.
pub async fn add_to_draft(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<i32> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let item =
        billable_item(txn, customer_id, id).await?.ok_or_else(|| refused("item", "items.not_billable"))?;
    let (line, from) = item.line(item.periods_billed).ok_or(AppError::Internal)?;
    let held = txn
        .query_one_raw(stmt(
            txn,
            "SELECT i.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
             WHERE l.billing_item_id = $1 AND l.service_from = $2 AND i.number IS NULL",
            vec![id.into(), from.into()],
        ))
        .await?;
    if held.is_some() {
        return Err(refused("item", "items.on_draft"));
    }
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let newest = txn
        .query_one_raw(stmt(
            txn,
            "SELECT id FROM invoices WHERE customer_id = $1 AND number IS NULL AND source = 'items' \
             ORDER BY id DESC LIMIT 1",
            vec![customer_id.into()],
        ))
        .await?;
    let invoice = match newest {
        Some(r) => r.try_get("", "id")?,
        None => insert_draft(txn, &c, actor, "", "items").await?,
    };
    let mut lines = lines_of(txn, invoice).await?;
    if lines.len() >= super::model::MAX_LINES {
        let max = super::model::MAX_LINES.to_string();
        return Err(AppError::Validation(vec![
            FieldError::new("item", "invoices.lines_too_many").with("max", max),
        ]));
    }
    lines.push(line);
    txn.execute_raw(stmt(txn, "DELETE FROM invoice_lines WHERE invoice_id = $1", vec![invoice.into()]))
        .await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET version = version + 1, updated_at = $2 WHERE id = $1",
        vec![invoice.into(), chrono::Utc::now().into()],
    ))
    .await?;
    save_lines(txn, &c, invoice, &lines).await?;
    change.touched(ITEMS_AREA);
    change.touched(AREA);
    change.commit().await?;
    Ok(invoice)
}
