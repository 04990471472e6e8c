//! The bank import pages' reads: the imports newest first, an import with its counts and one
//! page of its lines, the open payments oldest first. All paged on the server.
use super::model::*;
use crate::db::{Db, bulk, stmt};
use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use std::collections::HashMap;

fn pages(total: i64, per: u64) -> u32 {
    (total.max(0) as u64).div_ceil(per).max(1) as u32
}

async fn count(db: &Db, sql: &str, values: Vec<Value>) -> AppResult<i64> {
    Ok(db.query_one_raw(stmt(db, sql, values)).await?.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0))
}

fn stamp(r: &QueryResult, col: &str) -> Result<String, sea_orm::DbErr> {
    Ok(r.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", col)?
        .map(|t| t.to_rfc3339())
        .unwrap_or_default())
}

const IMPORT_COLUMNS: &str =
    "id, file_name, format, line_count, state, uploaded_by, uploaded_at, done_by, done_at";

fn import_row(r: &QueryResult) -> Result<ImportRow, sea_orm::DbErr> {
    Ok(ImportRow {
        id: r.try_get("", "id")?,
        file_name: r.try_get("", "file_name")?,
        format: r.try_get("", "format")?,
        line_count: r.try_get("", "line_count")?,
        state: r.try_get("", "state")?,
        uploaded_by: r.try_get("", "uploaded_by")?,
        uploaded_at: stamp(r, "uploaded_at")?,
        done_by: r.try_get::<Option<String>>("", "done_by")?.unwrap_or_default(),
        done_at: stamp(r, "done_at")?,
    })
}

/// One page of the imports, newest first.
pub async fn imports(db: &Db, page: u32) -> AppResult<ImportPage> {
    let page = page.max(1);
    let total = count(db, "SELECT COUNT(*) AS n FROM bank_imports", vec![]).await?;
    let rows = db
        .query_all_raw(stmt(
            db,
            &format!("SELECT {IMPORT_COLUMNS} FROM bank_imports ORDER BY id DESC LIMIT $1 OFFSET $2"),
            vec![(IMPORTS_PER_PAGE as i64).into(), (i64::from(page - 1) * IMPORTS_PER_PAGE as i64).into()],
        ))
        .await?
        .iter()
        .map(import_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ImportPage { rows, total: total as u64, page, pages: pages(total, IMPORTS_PER_PAGE) })
}

/// A line's columns with its customer and, in preview, whether it was booked before.
const LINE_SELECT: &str = "SELECT l.id, l.import_id, l.position, l.booked_on, l.amount_cents, l.currency, l.counterparty, \
     l.counterparty_iban, l.remittance, l.end_to_end_id, l.is_return, l.return_reason, l.charges_cents, l.state, \
     l.customer_id, l.invoice_ids, l.matched_by, l.note, l.done_by, l.version, \
     c.number AS customer_number, c.first_name, c.last_name, c.company, \
     CASE WHEN l.state = 'preview' AND EXISTS (SELECT 1 FROM bank_lines o WHERE o.account = l.account \
       AND o.statement = l.statement AND o.entry = l.entry AND o.state NOT IN ('preview', 'duplicate')) \
       THEN 1 ELSE 0 END AS known \
     FROM bank_lines l LEFT JOIN customers c ON c.id = l.customer_id";

fn line_row(r: &QueryResult) -> Result<(LineRow, Vec<i32>), sea_orm::DbErr> {
    let text = |col: &str| r.try_get::<Option<String>>("", col).map(Option::unwrap_or_default);
    let invoice_ids: Vec<i32> =
        r.try_get::<String>("", "invoice_ids")?.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let row = LineRow {
        id: r.try_get("", "id")?,
        import_id: r.try_get("", "import_id")?,
        position: r.try_get("", "position")?,
        booked_on: r
            .try_get::<Option<chrono::NaiveDate>>("", "booked_on")?
            .map(|d| d.to_string())
            .unwrap_or_default(),
        amount_cents: r.try_get("", "amount_cents")?,
        currency: r.try_get("", "currency")?,
        counterparty: r.try_get("", "counterparty")?,
        counterparty_iban: r.try_get("", "counterparty_iban")?,
        remittance: r.try_get("", "remittance")?,
        end_to_end_id: r.try_get("", "end_to_end_id")?,
        is_return: r.try_get("", "is_return")?,
        return_reason: r.try_get("", "return_reason")?,
        charges_cents: r.try_get("", "charges_cents")?,
        state: r.try_get("", "state")?,
        known: r.try_get::<i32>("", "known")? == 1,
        customer_id: r.try_get("", "customer_id")?,
        customer_number: text("customer_number")?,
        customer_name: crate::ui::format::display_name(
            &text("first_name")?,
            &text("last_name")?,
            &text("company")?,
        ),
        invoices: Vec::new(),
        matched_by: r.try_get("", "matched_by")?,
        note: r.try_get("", "note")?,
        done_by: text("done_by")?,
        version: r.try_get("", "version")?,
    };
    Ok((row, invoice_ids))
}

/// The lines of `sql`, with their invoices' numbers.
async fn lines(db: &Db, sql: &str, values: Vec<Value>) -> AppResult<Vec<LineRow>> {
    let rows = db.query_all_raw(stmt(db, sql, values)).await?;
    let read = rows.iter().map(line_row).collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<i32> = read.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
    let mut numbers: HashMap<i32, String> = HashMap::new();
    if !ids.is_empty() {
        let sql = format!("SELECT id, number FROM invoices WHERE id IN ({})", bulk::list(1, ids.len()));
        for r in db.query_all_raw(stmt(db, &sql, ids.iter().map(|i| (*i).into()).collect())).await? {
            numbers
                .insert(r.try_get("", "id")?, r.try_get::<Option<String>>("", "number")?.unwrap_or_default());
        }
    }
    Ok(read
        .into_iter()
        .map(|(mut row, ids)| {
            row.invoices = ids.iter().filter_map(|i| numbers.get(i).cloned()).collect();
            row
        })
        .collect())
}

/// What the import holds: in preview, what booking would do; after, what it did.
async fn counts(db: &Db, import_id: i32) -> AppResult<Counts> {
    // `k`: known from an earlier import; such a line books nothing and counts apart.
    let sql = "SELECT \
         CAST(COALESCE(SUM(CASE WHEN k = 0 AND NOT is_return AND amount_cents > 0 AND customer_id IS NOT NULL \
           AND state IN ('preview', 'booked', 'assigned') THEN 1 ELSE 0 END), 0) AS BIGINT) AS matched, \
         CAST(COALESCE(SUM(CASE WHEN k = 0 AND NOT is_return AND amount_cents > 0 AND (state = 'open' \
           OR (state = 'preview' AND customer_id IS NULL)) THEN 1 ELSE 0 END), 0) AS BIGINT) AS unmatched, \
         CAST(COALESCE(SUM(CASE WHEN k = 0 AND is_return THEN 1 ELSE 0 END), 0) AS BIGINT) AS returns, \
         CAST(COALESCE(SUM(CASE WHEN k = 0 AND NOT is_return AND amount_cents <= 0 THEN 1 ELSE 0 END), 0) \
           AS BIGINT) AS debits, \
         CAST(COALESCE(SUM(k), 0) AS BIGINT) AS known, \
         CAST(COALESCE(SUM(CASE WHEN k = 0 AND NOT is_return AND amount_cents > 0 THEN amount_cents ELSE 0 END), 0) \
           AS BIGINT) AS credits \
         FROM (SELECT l.*, CASE WHEN l.state = 'duplicate' OR (l.state = 'preview' AND EXISTS (SELECT 1 \
           FROM bank_lines o WHERE o.account = l.account AND o.statement = l.statement AND o.entry = l.entry \
           AND o.state NOT IN ('preview', 'duplicate'))) THEN 1 ELSE 0 END AS k \
           FROM bank_lines l WHERE l.import_id = $1) x";
    let r = db.query_one_raw(stmt(db, sql, vec![import_id.into()])).await?.ok_or(AppError::Internal)?;
    let n = |col: &str| r.try_get::<i64>("", col).map(|v| v.max(0) as u64);
    Ok(Counts {
        matched: n("matched")?,
        unmatched: n("unmatched")?,
        returns: n("returns")?,
        debits: n("debits")?,
        known: n("known")?,
        credits_cents: r.try_get("", "credits")?,
    })
}

/// Import `import_id` with page `page` of its lines, in the statement's order.
pub async fn import(db: &Db, import_id: i32, page: u32) -> AppResult<ImportDetail> {
    let page = page.max(1);
    let import = db
        .query_one_raw(stmt(
            db,
            &format!("SELECT {IMPORT_COLUMNS} FROM bank_imports WHERE id = $1"),
            vec![import_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let import = import_row(&import)?;
    let total =
        count(db, "SELECT COUNT(*) AS n FROM bank_lines WHERE import_id = $1", vec![import_id.into()])
            .await?;
    let lines = lines(
        db,
        &format!("{LINE_SELECT} WHERE l.import_id = $1 ORDER BY l.position LIMIT $2 OFFSET $3"),
        vec![
            import_id.into(),
            (LINES_PER_PAGE as i64).into(),
            (i64::from(page - 1) * LINES_PER_PAGE as i64).into(),
        ],
    )
    .await?;
    Ok(ImportDetail {
        import,
        counts: counts(db, import_id).await?,
        lines,
        total: total as u64,
        page,
        pages: pages(total, LINES_PER_PAGE),
    })
}

/// One page of the open payments, oldest first.
pub async fn open_payments(db: &Db, page: u32) -> AppResult<OpenPage> {
    let page = page.max(1);
    let total = count(db, "SELECT COUNT(*) AS n FROM bank_lines WHERE state = 'open'", vec![]).await?;
    let lines = lines(
        db,
        &format!("{LINE_SELECT} WHERE l.state = 'open' ORDER BY l.id LIMIT $1 OFFSET $2"),
        vec![(LINES_PER_PAGE as i64).into(), (i64::from(page - 1) * LINES_PER_PAGE as i64).into()],
    )
    .await?;
    Ok(OpenPage { lines, total: total as u64, page, pages: pages(total, LINES_PER_PAGE) })
}
