//! Reading quotes for the panel and the self-service area, a page at a time.
use super::model::{PAGE_SIZE, QuotePage, QuoteRow, QuoteState};
use crate::db::stmt;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// A customer's quotes, drafts included, newest first.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<QuotePage> {
    list_of(db, customer_id, page, false).await
}

/// What the customer sees: sent quotes only, never drafts.
pub async fn for_portal<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<QuotePage> {
    list_of(db, customer_id, page, true).await
}

async fn list_of<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
    sent_only: bool,
) -> AppResult<QuotePage> {
    let filter = if sent_only { "q.customer_id = $1 AND q.number IS NOT NULL" } else { "q.customer_id = $1" };
    let total = db
        .query_one_raw(stmt(
            db,
            &format!("SELECT COUNT(*) AS n FROM quotes q WHERE {filter}"),
            vec![customer_id.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0) as u64;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let today = crate::clock::business_day();
    let sql = format!(
        "SELECT q.id, q.number, q.state, q.issue_date, q.valid_until, q.currency, q.net_cents, q.gross_cents, \
         q.pdf_sha256, q.decided_by_kind, q.decided_at, q.decided_reason, q.invoice_id, s.name AS staff_name, \
         i.number AS invoice_number, \
         (SELECT COUNT(*) FROM quote_lines l WHERE l.quote_id = q.id AND l.interval_unit IS NOT NULL) AS recurring \
         FROM quotes q \
         LEFT JOIN staff s ON q.decided_by_kind = 'staff' AND s.id = q.decided_by_id \
         LEFT JOIN invoices i ON i.id = q.invoice_id \
         WHERE {filter} ORDER BY q.id DESC LIMIT $2 OFFSET $3"
    );
    let offset = i64::from(page - 1) * PAGE_SIZE as i64;
    let rows = db
        .query_all_raw(stmt(db, &sql, vec![customer_id.into(), (PAGE_SIZE as i64).into(), offset.into()]))
        .await?;
    let rows = rows
        .iter()
        .map(|r| {
            let state = QuoteState::parse(&r.try_get::<String>("", "state")?).unwrap_or_default();
            let valid_until: chrono::NaiveDate = r.try_get("", "valid_until")?;
            let by: Option<String> = r.try_get("", "decided_by_kind")?;
            let staff: Option<String> = r.try_get("", "staff_name")?;
            let at: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "decided_at")?;
            Ok(QuoteRow {
                id: r.try_get("", "id")?,
                number: r.try_get("", "number")?,
                open: state == QuoteState::Sent && valid_until >= today,
                state,
                issue_date: r.try_get::<Option<chrono::NaiveDate>>("", "issue_date")?.map(|d| d.to_string()),
                valid_until: valid_until.to_string(),
                currency: r.try_get("", "currency")?,
                net_cents: r.try_get("", "net_cents")?,
                gross_cents: r.try_get("", "gross_cents")?,
                recurring: r.try_get::<i64>("", "recurring")? as u32,
                archived: r.try_get::<Option<String>>("", "pdf_sha256")?.is_some(),
                // The customer's own login and their contacts answer as "the customer"; staff
                // by name (never shown to the customer).
                decided_by: by.as_deref().map(|k| match k {
                    "staff" if sent_only => String::new(),
                    "staff" => staff.clone().unwrap_or_default(),
                    _ => "customer".to_string(),
                }),
                decided_at: at.map(|a| a.to_rfc3339()),
                decided_reason: match by.as_deref() {
                    Some("staff") if sent_only => String::new(),
                    _ => r.try_get::<Option<String>>("", "decided_reason")?.unwrap_or_default(),
                },
                invoice_id: r.try_get("", "invoice_id")?,
                invoice_number: r.try_get("", "invoice_number")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(QuotePage { rows, total, page, pages })
}
