//! Reading the credit account: its figures from the account row (never a sum over the ledger)
//! and one page of entries with the running balance each entry stored.
use super::model::{EntryRow, LedgerFormStart, LedgerPage, PAGE_SIZE};
use crate::billing::account::figures;
use crate::db::stmt;
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, EntityTrait};

pub async fn page<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<LedgerPage> {
    let f = figures(db, customer_id).await?;
    let count = db
        .query_one_raw(stmt(
            db,
            "SELECT COUNT(*) AS n, (SELECT postpaid_limit_cents FROM customers WHERE id = $1) AS limit_cents, \
             (SELECT payment_methods FROM customers WHERE id = $1) AS methods \
             FROM ledger_entries WHERE customer_id = $1",
            vec![customer_id.into()],
        ))
        .await?;
    let (total, limit, methods) = match count {
        Some(r) => (
            r.try_get::<i64>("", "n")? as u64,
            r.try_get::<Option<i64>>("", "limit_cents")?.unwrap_or(0),
            r.try_get::<Option<String>>("", "methods")?.unwrap_or_default(),
        ),
        None => (0, 0, String::new()),
    };
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT e.id, e.kind, e.booked_on, e.description, e.reference, e.method, e.amount_cents, e.fee_cents, \
             e.balance_after, e.special, e.reverses_id, e.booked_by_kind, s.name AS staff_name, i.number, \
             EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) AS reversed \
             FROM ledger_entries e LEFT JOIN staff s ON e.booked_by_kind = 'staff' AND s.id = e.booked_by_id \
             LEFT JOIN invoices i ON i.id = e.invoice_id \
             WHERE e.customer_id = $1 ORDER BY e.id DESC LIMIT $2 OFFSET $3",
            vec![customer_id.into(), (PAGE_SIZE as i64).into(), ((u64::from(page - 1) * PAGE_SIZE) as i64).into()],
        ))
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("", "booked_by_kind")?;
            Ok(EntryRow {
                id: r.try_get("", "id")?,
                kind: r.try_get("", "kind")?,
                booked_on: r.try_get::<chrono::NaiveDate>("", "booked_on")?.to_string(),
                description: r.try_get("", "description")?,
                reference: r.try_get("", "reference")?,
                method: r.try_get("", "method")?,
                amount_cents: r.try_get("", "amount_cents")?,
                fee_cents: r.try_get("", "fee_cents")?,
                balance_after: r.try_get("", "balance_after")?,
                special: r.try_get("", "special")?,
                booked_by: r.try_get::<Option<String>>("", "staff_name")?.unwrap_or(kind),
                reverses: r.try_get("", "reverses_id")?,
                reversed: r.try_get("", "reversed")?,
                invoice: r.try_get("", "number")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(LedgerPage {
        balance: f.balance,
        special: f.special,
        paid_in: f.paid_in,
        spent: f.spent,
        open_cents: f.open_cents,
        postpaid_limit: limit,
        methods,
        rows,
        total,
        page,
        pages,
    })
}

/// What the panel's forms start from: today, a fresh payment key, the account terms.
pub async fn forms<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<LedgerFormStart> {
    let c = crate::db::entities::customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let mut raw = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut raw);
    Ok(LedgerFormStart {
        today: crate::customers::service::business_day().to_string(),
        form_key: hex::encode(raw),
        version: c.version,
        methods: c.payment_methods,
        postpaid_limit: c.postpaid_limit_cents,
    })
}

/// Save the account terms at the customer's version shown (a Daten change in the Verlauf);
/// returns the customer's new version.
pub async fn set_terms(
    ctx: &crate::write::Ctx,
    actor: crate::events::actor::Actor,
    customer_id: i32,
    form: &super::model::TermsForm,
) -> AppResult<i64> {
    let methods = form.methods.join(",");
    let limit = form.limit.trim().to_string();
    let mut change = crate::customers::service::switch(ctx, actor, customer_id, form.version, |f| {
        f.payment_methods = methods;
        f.postpaid_limit = limit;
    })
    .await?;
    change.touched(super::AREA.slug);
    let version = crate::db::entities::customer::Entity::find_by_id(customer_id)
        .one(&change.txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?
        .version;
    change.commit().await?;
    Ok(version)
}
