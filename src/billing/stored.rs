//! An issued invoice's stored lines and rate groups, read back in order, and the invoice it
//! cancels or corrects: what its PDF and its e-invoice are written from.
use crate::db::entities::invoice;
use crate::db::stmt;
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, EntityTrait};

/// A line as stored on the invoice.
#[derive(Clone, Debug)]
pub struct PrintLine {
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_e4: i64,
    pub net_cents: i64,
    pub rate_bp: i32,
    /// The tax category code (S, AE, O, E) the line was priced under.
    pub category: String,
    pub service_from: Option<chrono::NaiveDate>,
    pub service_to: Option<chrono::NaiveDate>,
}

/// A tax group as stored on the invoice.
#[derive(Clone, Debug)]
pub struct PrintGroup {
    pub category: String,
    pub rate_bp: i32,
    pub net_cents: i64,
    pub tax_cents: i64,
}

/// The stored lines and rate groups of invoice `id`, in order.
pub async fn parts<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<(Vec<PrintLine>, Vec<PrintGroup>)> {
    let lines = db
        .query_all_raw(stmt(
            db,
            "SELECT description, quantity_milli, unit_price_e4, net_cents, rate_bp, category, service_from, \
             service_to FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
            vec![id.into()],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(PrintLine {
                description: r.try_get("", "description")?,
                quantity_milli: r.try_get("", "quantity_milli")?,
                unit_price_e4: r.try_get("", "unit_price_e4")?,
                net_cents: r.try_get("", "net_cents")?,
                rate_bp: r.try_get("", "rate_bp")?,
                category: r.try_get("", "category")?,
                service_from: r.try_get("", "service_from")?,
                service_to: r.try_get("", "service_to")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let groups = db
        .query_all_raw(stmt(
            db,
            "SELECT category, rate_bp, net_cents, tax_cents FROM invoice_tax_groups WHERE invoice_id = $1 \
             ORDER BY category, rate_bp DESC",
            vec![id.into()],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(PrintGroup {
                category: r.try_get("", "category")?,
                rate_bp: r.try_get("", "rate_bp")?,
                net_cents: r.try_get("", "net_cents")?,
                tax_cents: r.try_get("", "tax_cents")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok((lines, groups))
}

/// The invoice `inv` cancels or corrects, if any: read once for both its reference (BG-3) and
/// what it was paid.
pub async fn original_of<C: ConnectionTrait>(
    db: &C,
    inv: &invoice::Model,
) -> AppResult<Option<invoice::Model>> {
    let Some(id) = inv.corrects_id else { return Ok(None) };
    Ok(invoice::Entity::find_by_id(id).one(db).await?)
}

/// The original's number and issue date, as a cancellation or correction names it.
pub fn reference(original: Option<&invoice::Model>) -> Option<(&str, chrono::NaiveDate)> {
    original.and_then(|o| Some((o.number.as_deref()?, o.issue_date?)))
}

/// What a correction's original was paid, as far as the correction's gross: already paid on it
/// (BT-113), since the original's payment is the credit that pays it. Zero for other invoices;
/// stable, because a corrected invoice's payments no longer change.
pub fn prepaid(inv: &invoice::Model, original: Option<&invoice::Model>) -> i64 {
    match original {
        Some(o) if inv.kind == "correction" => o.paid_cents.min(inv.gross_cents).max(0),
        _ => 0,
    }
}
