//! Reading a customer's recurring items, a page at a time.
use super::model::{ItemPage, ItemRow, PAGE_SIZE};
use crate::billing::amount::{line_net, scaled_text};
use crate::billing::model::{ItemInput, Unit};
use crate::billing::tax::TaxClass;
use crate::db::stmt;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<ItemPage> {
    let head = db
        .query_one_raw(stmt(
            db,
            "SELECT (SELECT COUNT(*) FROM billing_items WHERE customer_id = $1) AS n, grouping_off FROM customers WHERE id = $1",
            vec![customer_id.into()],
        ))
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let total = head.try_get::<i64>("", "n")? as u64;
    let grouping_off: bool = head.try_get("", "grouping_off")?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT id, version, description, quantity_milli, unit_price_e4, tax_class, interval_unit, interval_count, \
             anchor_date, periods_billed, next_due, status FROM billing_items WHERE customer_id = $1 \
             ORDER BY CASE status WHEN 'ended' THEN 1 ELSE 0 END, next_due, id LIMIT $2 OFFSET $3",
            vec![customer_id.into(), (PAGE_SIZE as i64).into(), ((u64::from(page - 1) * PAGE_SIZE) as i64).into()],
        ))
        .await?
        .iter()
        .map(|r| {
            let quantity: i64 = r.try_get("", "quantity_milli")?;
            let price: i64 = r.try_get("", "unit_price_e4")?;
            Ok(ItemRow {
                input: ItemInput {
                    id: Some(r.try_get("", "id")?),
                    version: r.try_get("", "version")?,
                    description: r.try_get("", "description")?,
                    quantity: scaled_text(quantity, 3, 0, ','),
                    unit_price: scaled_text(price, 4, 2, ','),
                    tax_class: TaxClass::parse(&r.try_get::<String>("", "tax_class")?).unwrap_or_default(),
                    interval_unit: Unit::parse(&r.try_get::<String>("", "interval_unit")?).unwrap_or_default(),
                    interval_count: r.try_get::<i32>("", "interval_count")?.max(1) as u32,
                    first_due: r.try_get::<chrono::NaiveDate>("", "anchor_date")?.to_string(),
                },
                status: r.try_get("", "status")?,
                next_due: r.try_get::<chrono::NaiveDate>("", "next_due")?.to_string(),
                periods_billed: r.try_get::<i32>("", "periods_billed")?.max(0) as u32,
                net_cents: line_net(quantity, price).unwrap_or(0),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(ItemPage {
        rows,
        total,
        page,
        pages,
        grouping_off,
        today: crate::customers::service::business_day().to_string(),
    })
}

/// Switch one of the customer's billing flags at the customer's version shown (in the Verlauf as
/// a Daten change).
pub async fn set_flag(
    ctx: &crate::write::Ctx,
    actor: crate::events::actor::Actor,
    customer_id: i32,
    version: i64,
    flag: super::model::BillingFlag,
    on: bool,
) -> AppResult<()> {
    use super::model::BillingFlag;
    let mut change = crate::customers::service::switch(ctx, actor, customer_id, version, |form| match flag {
        BillingFlag::GroupingOff => form.grouping_off = on,
        BillingFlag::DunningOff => form.dunning_off = on,
    })
    .await?;
    change.touched(super::AREA.slug);
    change.touched(crate::billing::invoices::AREA);
    change.commit().await
}
