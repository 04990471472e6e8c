//! "Kunden > Auflisten": substring search over the folded search column through a trigram
//! index (SQLite FTS5 trigram, PostgreSQL pg_trgm), filters, sort and pages.
use crate::customers::model::*;
use crate::customers::search_text::query_terms;
use crate::db::{is_sqlite, stmt};
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, Value};

struct Sql {
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
}

fn where_clause<C: ConnectionTrait>(db: &C, q: &ListQuery) -> Sql {
    let mut sql = Sql { conditions: Vec::new(), values: Vec::new() };
    let terms = query_terms(&q.q);
    if !terms.is_empty() {
        let likes: Vec<String> =
            terms.iter().map(|t| format!("search_text LIKE {}", sql.bind(format!("%{t}%")))).collect();
        if is_sqlite(db) {
            sql.conditions
                .push(format!("c.id IN (SELECT rowid FROM customers_fts WHERE {})", likes.join(" AND ")));
        } else {
            sql.conditions.extend(likes.into_iter().map(|l| format!("c.{l}")));
        }
    }
    if STATUSES.contains(&q.status.as_str()) {
        let p = sql.bind(q.status.clone());
        sql.conditions.push(format!("c.status = {p}"));
    }
    if let Ok(group) = q.group.parse::<i32>() {
        let p = sql.bind(group);
        sql.conditions.push(format!("c.group_id = {p}"));
    }
    match q.reseller.trim() {
        "" => {}
        "yes" => sql.conditions.push("c.is_reseller = TRUE".into()),
        "no" => sql.conditions.push("c.is_reseller = FALSE".into()),
        number => {
            let p = sql.bind(number.to_uppercase());
            sql.conditions.push(format!("c.reseller_id = (SELECT id FROM customers WHERE number = {p})"));
        }
    }
    sql
}

fn order_by(q: &ListQuery) -> String {
    let dir = if q.dir == "desc" { "DESC" } else { "ASC" };
    match q.sort.as_str() {
        "number" => format!("c.id {dir}"),
        "city" => format!("c.city {dir}, c.sort_name {dir}, c.id {dir}"),
        "created" => format!("c.created_at {dir}, c.id {dir}"),
        _ => format!("c.sort_name {dir}, c.id {dir}"),
    }
}

pub async fn search<C: ConnectionTrait>(db: &C, q: &ListQuery) -> AppResult<ListPage> {
    let mut sql = where_clause(db, q);
    let where_sql = if sql.conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", sql.conditions.join(" AND "))
    };
    let count_row = db
        .query_one_raw(stmt(
            db,
            &format!("SELECT COUNT(*) AS n FROM customers c {where_sql}"),
            sql.values.clone(),
        ))
        .await?;
    let total = count_row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = q.page.clamp(1, pages);
    let limit = sql.bind(PAGE_SIZE as i64);
    let offset = sql.bind(((page - 1) as u64 * PAGE_SIZE) as i64);
    let rows = db
        .query_all_raw(stmt(
            db,
            &format!(
                "SELECT c.id, c.number, c.first_name, c.last_name, c.company, c.email, c.postcode, \
                 c.city, c.status, c.is_reseller, g.name AS group_name \
                 FROM customers c LEFT JOIN customer_groups g ON g.id = c.group_id {where_sql} \
                 ORDER BY {} LIMIT {limit} OFFSET {offset}",
                order_by(q)
            ),
            sql.values,
        ))
        .await?;
    let rows = rows
        .into_iter()
        .map(|r| -> Result<ListRow, sea_orm::DbErr> {
            let first: String = r.try_get("", "first_name")?;
            let last: String = r.try_get("", "last_name")?;
            let company: String = r.try_get("", "company")?;
            Ok(ListRow {
                id: r.try_get("", "id")?,
                number: r.try_get("", "number")?,
                name: display_name(&first, &last, ""),
                company,
                email: r.try_get("", "email")?,
                postcode: r.try_get("", "postcode")?,
                city: r.try_get("", "city")?,
                status: r.try_get("", "status")?,
                group_name: r.try_get("", "group_name")?,
                is_reseller: r.try_get("", "is_reseller")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListPage { rows, total, page, pages })
}
