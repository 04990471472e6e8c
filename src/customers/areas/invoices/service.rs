//! Reading a customer's invoices: one page at a time (a customer with thousands of invoices is
//! normal), counted on the server.
use super::model::{InvoiceKind, InvoicePage, InvoiceRow, InvoiceState, NoticeRef, PAGE_SIZE};
use crate::db::entities::invoice;
use crate::error::AppResult;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<InvoicePage> {
    list_of(db, customer_id, page, false).await
}

/// What the customer sees in the self-service area: final documents only (no drafts), and the
/// account's balance and what is open.
pub async fn for_portal<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<super::model::PortalInvoices> {
    let f = crate::billing::account::figures(db, customer_id).await?;
    Ok(super::model::PortalInvoices {
        invoices: list_of(db, customer_id, page, true).await?,
        balance: f.balance,
        open_cents: f.open_cents,
        today: crate::customers::service::business_day().to_string(),
    })
}

async fn list_of<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
    final_only: bool,
) -> AppResult<InvoicePage> {
    let mut query = invoice::Entity::find().filter(invoice::Column::CustomerId.eq(customer_id));
    if final_only {
        query = query.filter(invoice::Column::Number.is_not_null());
    }
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let today = crate::customers::service::business_day();
    let rows = query
        .order_by_desc(invoice::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(|i| {
            let state = InvoiceState::parse(&i.state).unwrap_or_default();
            InvoiceRow {
                id: i.id,
                overdue: state == InvoiceState::Open && i.due_date.is_some_and(|d| d < today),
                archived: i.pdf_sha256.is_some(),
                einvoice: i.xml_sha256.is_some().then_some(i.einvoice),
                number: i.number,
                kind: InvoiceKind::parse(&i.kind).unwrap_or_default(),
                state,
                issue_date: i.issue_date.map(|d| d.to_string()),
                due_date: i.due_date.map(|d| d.to_string()),
                currency: i.currency,
                net_cents: i.net_cents,
                tax_cents: i.tax_cents,
                gross_cents: i.gross_cents,
                paid_cents: i.paid_cents,
                dunning: Vec::new(),
                debit_on: None,
            }
        })
        .collect();
    let mut page = InvoicePage { rows, total, page, pages };
    notices_of(db, &mut page.rows).await?;
    debits_of(db, &mut page.rows).await?;
    Ok(page)
}

/// The collection day of the direct debit under way for each open invoice of a page, in one query.
async fn debits_of<C: ConnectionTrait>(db: &C, rows: &mut [InvoiceRow]) -> AppResult<()> {
    let open: Vec<sea_orm::Value> =
        rows.iter().filter(|r| r.state == InvoiceState::Open).map(|r| r.id.into()).collect();
    if open.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT s.invoice_id, c.collection_date FROM sepa_collection_items s \
         JOIN sepa_collections c ON c.id = s.collection_id WHERE s.invoice_id IN ({}) AND {}",
        crate::db::bulk::list(1, open.len()),
        crate::billing::sepa::collect::not_returned!()
    );
    for d in db.query_all_raw(crate::db::stmt(db, &sql, open)).await? {
        let invoice: i32 = d.try_get("", "invoice_id")?;
        if let Some(row) = rows.iter_mut().find(|r| r.id == invoice) {
            row.debit_on = Some(d.try_get::<chrono::NaiveDate>("", "collection_date")?.to_string());
        }
    }
    Ok(())
}

/// The dunning notices of a page's invoices, in one query (at most four per invoice).
async fn notices_of<C: ConnectionTrait>(db: &C, rows: &mut [InvoiceRow]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT id, invoice_id, level, issued_on, pdf_sha256 FROM dunning_notices WHERE invoice_id IN ({}) \
         ORDER BY level",
        crate::db::bulk::list(1, rows.len())
    );
    let ids = rows.iter().map(|r| sea_orm::Value::from(r.id)).collect();
    for n in db.query_all_raw(crate::db::stmt(db, &sql, ids)).await? {
        let invoice: i32 = n.try_get("", "invoice_id")?;
        let Some(row) = rows.iter_mut().find(|r| r.id == invoice) else { continue };
        row.dunning.push(NoticeRef {
            id: n.try_get("", "id")?,
            level: n.try_get("", "level")?,
            issued_on: n.try_get::<chrono::NaiveDate>("", "issued_on")?.to_string(),
            archived: n.try_get::<Option<String>>("", "pdf_sha256")?.is_some(),
        });
    }
    Ok(())
}

/// The customer's planned items not yet invoiced, a page at a time, in the order added.
pub async fn planned<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<super::model::PlannedPage> {
    use crate::billing::amount::{line_net, scaled_text};
    use crate::db::stmt;
    let head = db
        .query_one_raw(stmt(
            db,
            "SELECT collective_day, (SELECT COUNT(*) FROM planned_items WHERE customer_id = $1 AND invoice_id IS NULL) AS n \
             FROM customers WHERE id = $1",
            vec![customer_id.into()],
        ))
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let total = head.try_get::<i64>("", "n")? as u64;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT id, description, quantity_milli, unit_price_e4, bill_on FROM planned_items \
             WHERE customer_id = $1 AND invoice_id IS NULL ORDER BY id LIMIT $2 OFFSET $3",
            vec![
                customer_id.into(),
                (PAGE_SIZE as i64).into(),
                ((u64::from(page - 1) * PAGE_SIZE) as i64).into(),
            ],
        ))
        .await?
        .iter()
        .map(|r| {
            let q: i64 = r.try_get("", "quantity_milli")?;
            let p: i64 = r.try_get("", "unit_price_e4")?;
            Ok(super::model::PlannedRow {
                id: r.try_get("", "id")?,
                description: r.try_get("", "description")?,
                quantity: scaled_text(q, 3, 0, ','),
                unit_price: scaled_text(p, 4, 2, ','),
                net_cents: line_net(q, p).unwrap_or(0),
                bill_on: r.try_get::<Option<chrono::NaiveDate>>("", "bill_on")?.map(|d| d.to_string()),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(super::model::PlannedPage {
        rows,
        total,
        page,
        pages,
        collective_day: head.try_get("", "collective_day")?,
    })
}
