//! Geplante Posten: single items collected for the customer's next collective invoice. With a
//! collective-invoice day set, an item waits for the next such day (a day the month lacks is
//! its last day); without one, the next run bills it. "Bill now" invoices them at once.
use super::amount::{PRICE_SCALE, QUANTITY_SCALE, line_net, parse_scaled};
use super::calendar::collective_date;
use super::invoices::AREA;
use super::model::PlannedInput;
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

fn refused(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// The day a planned item added on `today` is billed, for a customer's collective day.
pub fn bill_on(today: NaiveDate, collective_day: Option<i32>) -> Option<NaiveDate> {
    collective_day.filter(|d| (1..=31).contains(d)).and_then(|d| collective_date(today, d as u32))
}

/// Add a planned item; returns its id.
pub async fn add(ctx: &Ctx, actor: Actor, customer_id: i32, input: &PlannedInput) -> AppResult<i32> {
    let mut errors = Vec::new();
    let description = input.description.trim();
    if description.is_empty() || description.chars().count() > 500 {
        errors.push(FieldError::new("description", "items.description"));
    }
    let quantity =
        parse_scaled(&input.quantity, 3).filter(|q| *q != 0 && q.abs() <= 1_000_000 * QUANTITY_SCALE);
    if quantity.is_none() {
        errors.push(FieldError::new("quantity", "invoices.line_quantity"));
    }
    let price = parse_scaled(&input.unit_price, 4).filter(|p| p.abs() <= 10_000_000 * PRICE_SCALE);
    if price.is_none() {
        errors.push(FieldError::new("unit_price", "invoices.line_price"));
    }
    let service_date = match input.service_date.trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new("service_date", "invoices.line_dates"));
                None
            }
        },
    };
    let (Some(q), Some(p)) = (quantity, price) else { return Err(AppError::Validation(errors)) };
    if !errors.is_empty() || line_net(q, p).is_none() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let head = txn
        .query_one_raw(stmt(
            txn,
            "SELECT collective_day, currency FROM customers WHERE id = $1",
            vec![customer_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let day: Option<i32> = head.try_get("", "collective_day")?;
    let currency: String = head.try_get("", "currency")?;
    let currency = if currency.trim().is_empty() { "EUR".to_string() } else { currency };
    let (kind, by, _) = actor.columns();
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO planned_items (customer_id, description, quantity_milli, unit_price_e4, currency, tax_class, \
             service_date, bill_on, version, created_at, created_by_kind, created_by_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11) RETURNING id",
            vec![
                customer_id.into(),
                description.into(),
                q.into(),
                p.into(),
                currency.into(),
                input.tax_class.as_str().into(),
                service_date.into(),
                bill_on(crate::clock::business_day(), day).into(),
                chrono::Utc::now().into(),
                kind.into(),
                by.into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let id: i32 = row.try_get("", "id")?;
    change.touched(AREA);
    change.commit().await?;
    Ok(id)
}

/// Remove a planned item not yet invoiced.
pub async fn remove(ctx: &Ctx, customer_id: i32, id: i32) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let done = change
        .txn
        .execute_raw(stmt(
            &change.txn,
            "DELETE FROM planned_items WHERE id = $1 AND customer_id = $2 AND invoice_id IS NULL",
            vec![id.into(), customer_id.into()],
        ))
        .await?;
    if done.rows_affected() == 0 {
        return Err(refused("planned", "planned.already_billed"));
    }
    change.touched(AREA);
    change.commit().await
}

/// Set the customer's collective-invoice day (1–31, None: with the next run); the waiting
/// items move to the new day.
pub async fn set_collective_day(ctx: &Ctx, customer_id: i32, day: Option<i32>) -> AppResult<()> {
    if day.is_some_and(|d| !(1..=31).contains(&d)) {
        return Err(refused("collective_day", "planned.day_invalid"));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    txn.execute_raw(stmt(
        txn,
        "UPDATE customers SET collective_day = $2 WHERE id = $1",
        vec![customer_id.into(), day.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE planned_items SET bill_on = $2 WHERE customer_id = $1 AND invoice_id IS NULL",
        vec![customer_id.into(), bill_on(crate::clock::business_day(), day).into()],
    ))
    .await?;
    change.touched(AREA);
    change.commit().await
}

/// "Bill now": every waiting planned item becomes due today, and the customer's run bills it
/// (with whatever else is due). Returns the number of invoices.
pub async fn bill_now(ctx: &Ctx, customer_id: i32) -> AppResult<u64> {
    let today = crate::clock::business_day();
    {
        let change = ctx.begin(customer_id).await?;
        change
            .txn
            .execute_raw(stmt(
                &change.txn,
                "UPDATE planned_items SET bill_on = $2 WHERE customer_id = $1 AND invoice_id IS NULL",
                vec![customer_id.into(), today.into()],
            ))
            .await?;
        change.commit().await?;
    }
    let done = super::run::run_customer(ctx, customer_id, today).await?;
    Ok(done.invoices)
}
