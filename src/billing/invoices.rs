//! Invoices: drafts have no number and may change; finalising gives the next number of the
//! series exactly once, freezes buyer and seller, computes the tax per rate group, charges the
//! ledger and pays from credit where there is some. A final invoice is corrected only by a
//! cancellation invoice (Stornorechnung) with its own number and negated amounts.
use super::amount::{PRICE_SCALE, QUANTITY_SCALE, line_net, parse_scaled};
use super::issue;
use super::model::{LineInput, MAX_LINES};
use super::parties::{Party, SellerSettings, tax_buyer};
use super::tax::{self, Rates, TaxClass, TaxMode};
use crate::db::entities::{customer, invoice};
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The area whose panels refetch when invoices change.
pub const AREA: &str = "invoices";
/// The ledger's area.
pub const LEDGER_AREA: &str = "transactions";

/// A checked line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_e4: i64,
    pub net_cents: i64,
    pub tax_class: TaxClass,
    pub service_from: Option<NaiveDate>,
    pub service_to: Option<NaiveDate>,
    pub billing_item_id: Option<i32>,
    pub planned_item_id: Option<i32>,
}

fn invalid(field: String, key: &str) -> FieldError {
    FieldError::new(field, key)
}

fn date(text: &str) -> Result<Option<NaiveDate>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| ())
}

/// Check typed lines; every mistake is named by its line and field.
pub fn parse_lines(input: &[LineInput]) -> Result<Vec<Line>, Vec<FieldError>> {
    if input.is_empty() {
        return Err(vec![invalid("lines".into(), "invoices.lines_empty")]);
    }
    if input.len() > MAX_LINES {
        return Err(vec![
            invalid("lines".into(), "invoices.lines_too_many").with("max", MAX_LINES.to_string()),
        ]);
    }
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let field = |name: &str| format!("lines.{i}.{name}");
        let description = l.description.trim();
        if description.is_empty() || description.chars().count() > 500 {
            errors.push(invalid(field("description"), "invoices.line_description"));
        }
        let quantity =
            parse_scaled(&l.quantity, 3).filter(|q| *q != 0 && q.abs() <= 1_000_000 * QUANTITY_SCALE);
        if quantity.is_none() {
            errors.push(invalid(field("quantity"), "invoices.line_quantity"));
        }
        let price = parse_scaled(&l.unit_price, 4).filter(|p| p.abs() <= 10_000_000 * PRICE_SCALE);
        if price.is_none() {
            errors.push(invalid(field("unit_price"), "invoices.line_price"));
        }
        let (from, to) = (date(&l.service_from), date(&l.service_to));
        let dates = match (from, to) {
            (Ok(f), Ok(t)) if f.zip(t).is_none_or(|(f, t)| f <= t) && (f.is_some() || t.is_none()) => {
                Some((f, t))
            }
            _ => None,
        };
        if dates.is_none() {
            errors.push(invalid(field("service_from"), "invoices.line_dates"));
        }
        if let (Some(q), Some(p), Some((from, to))) = (quantity, price, dates) {
            match line_net(q, p) {
                Some(net) => lines.push(Line {
                    description: description.to_string(),
                    quantity_milli: q,
                    unit_price_e4: p,
                    net_cents: net,
                    tax_class: l.tax_class,
                    service_from: from,
                    service_to: to.or(from),
                    billing_item_id: l.item,
                    planned_item_id: None,
                }),
                None => errors.push(invalid(field("unit_price"), "invoices.line_price")),
            }
        }
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// The rates of `country` on `day` (the newest row valid then; Germany's when none).
pub async fn rates<C: ConnectionTrait>(db: &C, country: &str, day: NaiveDate) -> AppResult<Rates> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT standard_bp, reduced_bp FROM vat_rates WHERE country = $1 AND valid_from <= $2 \
             ORDER BY valid_from DESC LIMIT 1",
            vec![country.into(), day.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => Rates {
            standard_bp: r.try_get::<i32>("", "standard_bp")? as u32,
            reduced_bp: r.try_get::<i32>("", "reduced_bp")? as u32,
        },
        None => tax::GERMANY,
    })
}

/// How an invoice to `c` issued on `day` is taxed, with the rates that apply.
pub async fn taxation<C: ConnectionTrait>(
    db: &C,
    seller: &SellerSettings,
    c: &customer::Model,
    buyer: &Party,
    day: NaiveDate,
) -> AppResult<(TaxMode, Rates)> {
    let mode = tax::mode_for(seller.tax(), &tax_buyer(c, buyer));
    let country = match &mode {
        TaxMode::Oss(country) => country.as_str(),
        _ => tax::HOME,
    };
    Ok((mode.clone(), rates(db, country, day).await?))
}

pub(super) async fn customer_of<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<customer::Model> {
    customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)
}

pub(super) fn final_error() -> AppError {
    AppError::Validation(vec![FieldError::new("invoice", "invoices.already_final")])
}

pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<invoice::Model> {
    invoice::Entity::find_by_id(id)
        .filter(invoice::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The lines of an invoice, in order, as stored.
pub async fn lines_of<C: ConnectionTrait>(db: &C, invoice_id: i32) -> AppResult<Vec<Line>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT description, quantity_milli, unit_price_e4, net_cents, tax_class, service_from, service_to, \
             billing_item_id, planned_item_id FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
            vec![invoice_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                description: r.try_get("", "description")?,
                quantity_milli: r.try_get("", "quantity_milli")?,
                unit_price_e4: r.try_get("", "unit_price_e4")?,
                net_cents: r.try_get("", "net_cents")?,
                tax_class: TaxClass::parse(&r.try_get::<String>("", "tax_class")?).unwrap_or_default(),
                service_from: r.try_get("", "service_from")?,
                service_to: r.try_get("", "service_to")?,
                billing_item_id: r.try_get("", "billing_item_id")?,
                planned_item_id: r.try_get("", "planned_item_id")?,
            })
        })
        .collect()
}

/// What finalising gave the invoice.
pub type Finalised = issue::Issued;

/// The next number of the series for a document issued on `day`, taken in the caller's
/// transaction: the series, the counter value and the number.
pub(super) async fn next_number<C: ConnectionTrait>(
    txn: &C,
    day: NaiveDate,
) -> AppResult<(i32, i64, String)> {
    let (series_id, n, pattern) = issue::reserve_numbers(txn, day, 1).await?;
    Ok((series_id, n, pattern.format(day, n)))
}

/// Finalise draft `id` of `customer_id` in the caller's transaction, which holds the
/// customer's lock: its lines are priced again under the tax mode of `today` (a draft may be
/// older than a change of address), and an item whose next period it bills moves on.
pub async fn finalise_in<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer_id: i32,
    id: i32,
    today: NaiveDate,
) -> AppResult<Finalised> {
    let inv = find(txn, customer_id, id).await?;
    if inv.number.is_some() {
        return Err(final_error());
    }
    let lines = lines_of(txn, id).await?;
    if lines.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("lines", "invoices.lines_empty")]));
    }
    let c = customer_of(txn, customer_id).await?;
    if inv.kind == "correction" {
        super::correction::supersede(txn, actor, &inv, today).await?;
    }
    for sql in [
        "DELETE FROM invoice_lines WHERE invoice_id = $1",
        "DELETE FROM invoice_tax_groups WHERE invoice_id = $1",
    ] {
        txn.execute_raw(stmt(txn, sql, vec![id.into()])).await?;
    }
    let draft = issue::Draft { id, customer: &c, currency: inv.currency.clone(), lines: lines.clone() };
    let done = issue::issue(txn, actor, today, vec![draft]).await?.pop().ok_or(AppError::Internal)?;
    super::item_periods::advance_billed(txn, customer_id, &lines).await?;
    Ok(done)
}

/// Finalise a draft: number, frozen parties, tax groups, the ledger charge, credit applied.
pub async fn finalise(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<Finalised> {
    let mut change = ctx.begin(customer_id).await?;
    let done = finalise_in(&change.txn, actor, customer_id, id, crate::clock::business_day()).await?;
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(done)
}
