//! "Kunden > Auflisten": substring search over the folded search column through a trigram
//! index (SQLite FTS5 trigram phrases, PostgreSQL pg_trgm), filters, sort and pages.
//!
//! Large result sets are where search gets slow, so the count stops at `COUNT_CAP` ("more
//! than 1,000") and the row query picks its plan by it: up to the cap, the matches come from
//! the trigram index and are sorted; beyond it, the sort index is walked and each row is
//! checked until a page is full (at >= 0.1 % selectivity that is a few thousand rows at most).
use crate::customers::model::*;
use crate::customers::search_text::query_terms;
use crate::db::{is_sqlite, stmt};
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait, Value};

/// Counting stops here; the list then says "more than …".
pub const COUNT_CAP: u64 = 1_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Few matches: find them through the trigram index, then sort.
    Index,
    /// Many matches: walk the sort order, test each row, stop when the page is full.
    Walk,
}

#[derive(Default)]
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

/// An FTS5 phrase: the trigram tokenizer matches it as a substring, straight from the index.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// FROM and WHERE for the query's terms and filters under a plan.
fn from_where<C: ConnectionTrait>(db: &C, q: &ListQuery, plan: Plan, exact: Option<&str>) -> (String, Sql) {
    let mut sql = Sql::default();
    let sqlite = is_sqlite(db);
    // A whole licence key (with or without dashes) finds its customer through the key's unique
    // index; keys stay out of the search text, which would grow by millions of random trigrams.
    let key = crate::licensing::key::parse(&q.q);
    let terms = if key.is_some() { Vec::new() } else { query_terms(&q.q) };
    if let Some(key) = key {
        let p = sql.bind(key);
        sql.conditions.push(format!("c.id IN (SELECT customer_id FROM licences WHERE key_norm = {p})"));
    }
    let mut from = "customers c".to_string();
    // Trigrams need three characters: shorter terms are always tested on the row.
    let (indexed, on_row): (Vec<&String>, Vec<&String>) =
        terms.iter().partition(|t| plan == Plan::Index && t.chars().count() >= 3);
    // A customer is also found by one of its domains (Unicode or A-label, whole or part), through
    // the domains' own trigram index; only for terms it can answer (three characters or more).
    let by_domain = !terms.is_empty() && terms.iter().all(|t| t.chars().count() >= 3);
    if by_domain {
        let like = |column: &str, sql: &mut Sql| -> String {
            let tests: Vec<String> =
                terms.iter().map(|t| format!("{column} LIKE {}", sql.bind(format!("%{t}%")))).collect();
            tests.join(" AND ")
        };
        let phrases = || terms.iter().map(|t| fts_phrase(t)).collect::<Vec<_>>().join(" ");
        let domain_ids = |sql: &mut Sql| -> String {
            if let Some(ace) = exact {
                let p = sql.bind(ace);
                format!("SELECT d.customer_id FROM domains d WHERE d.ace_name = {p}")
            } else if sqlite {
                let p = sql.bind(phrases());
                format!(
                    "SELECT d.customer_id FROM domains d WHERE d.id IN \
                     (SELECT rowid FROM domains_fts WHERE domains_fts MATCH {p})"
                )
            } else {
                format!("SELECT d.customer_id FROM domains d WHERE {}", like("d.search_name", sql))
            }
        };
        if plan == Plan::Index {
            // The customers' own matches and the domains' owners as one set: an index lookup each.
            let text_ids = if sqlite {
                let p = sql.bind(phrases());
                format!("SELECT rowid FROM customers_fts WHERE customers_fts MATCH {p}")
            } else {
                format!("SELECT id FROM customers WHERE {}", like("search_text", &mut sql))
            };
            let domains = domain_ids(&mut sql);
            sql.conditions.push(format!("c.id IN ({text_ids} UNION {domains})"));
        } else {
            // Many matches: each row of the sort walk is tested; the domains' owners once.
            let column = if sqlite { "c.search_text" } else { "(c.search_text || '')" };
            let tests = like(column, &mut sql);
            let domains = domain_ids(&mut sql);
            sql.conditions.push(format!("(({tests}) OR c.id IN ({domains}))"));
        }
    } else if !indexed.is_empty() {
        if sqlite {
            let phrases: Vec<String> = indexed.iter().map(|t| fts_phrase(t)).collect();
            let p = sql.bind(phrases.join(" "));
            from = "customers_fts f CROSS JOIN customers c ON c.id = f.rowid".into();
            sql.conditions.push(format!("customers_fts MATCH {p}"));
        } else {
            for t in indexed {
                let p = sql.bind(format!("%{t}%"));
                sql.conditions.push(format!("c.search_text LIKE {p}"));
            }
        }
    }
    for t in on_row.iter().filter(|_| !by_domain) {
        let p = sql.bind(format!("%{t}%"));
        // `|| ''` keeps PostgreSQL from using the trigram index for a row-by-row test.
        let column = if sqlite { "c.search_text" } else { "(c.search_text || '')" };
        sql.conditions.push(format!("{column} LIKE {p}"));
    }
    if plan == Plan::Walk && sqlite {
        from = format!("customers c {}", sqlite_sort_index(q));
    }
    if let Some(status) = CustomerStatus::parse(&q.status) {
        let p = sql.bind(status.as_str());
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
    let where_sql = if sql.conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", sql.conditions.join(" AND "))
    };
    (format!("{from} {where_sql}"), sql)
}

fn sqlite_sort_index(q: &ListQuery) -> &'static str {
    match q.sort.as_str() {
        "number" => "",
        "city" => "INDEXED BY customers_city",
        "created" => "INDEXED BY customers_created",
        _ => "INDEXED BY customers_sort_walk",
    }
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

/// PostgreSQL: its planner, seeing `LIMIT`, likes to scan the whole table for a `LIKE` that
/// the trigram index answers in milliseconds; within this transaction it may not.
const PG_NO_SEQSCAN: &str = "SET LOCAL enable_seqscan = off";
/// Nor start parallel workers: a page of 25 rows is found in a fraction of a millisecond,
/// while starting workers costs several (measured: walk 4.7 ms parallel, 0.12 ms without).
const PG_NO_PARALLEL: &str = "SET LOCAL max_parallel_workers_per_gather = 0";

/// A query that is a whole domain name we have (in any spelling): its A-label. Such a query
/// finds the domain's owner through the name's own index; a trigram search for a whole name
/// reads the long posting lists of common trigrams ("de.", "-1") for nothing.
async fn exact_domain<C: ConnectionTrait>(db: &C, query: &str) -> AppResult<Option<String>> {
    let Ok(name) = crate::domains::name::DomainName::parse(query) else { return Ok(None) };
    if !name.ace.contains('.') {
        return Ok(None);
    }
    let found = db
        .query_one_raw(stmt(
            db,
            "SELECT 1 AS x FROM domains WHERE ace_name = $1 LIMIT 1",
            vec![name.ace.clone().into()],
        ))
        .await?;
    Ok(found.map(|_| name.ace))
}

pub async fn search<C: ConnectionTrait + TransactionTrait>(db: &C, q: &ListQuery) -> AppResult<ListPage> {
    let txn = db.begin().await?;
    let sqlite = is_sqlite(&txn);
    if !sqlite {
        txn.execute_unprepared(PG_NO_SEQSCAN).await?;
        txn.execute_unprepared(PG_NO_PARALLEL).await?;
    }
    let exact = exact_domain(&txn, &q.q).await?;
    let (from_where_sql, mut sql) = from_where(&txn, q, Plan::Index, exact.as_deref());
    let cap = sql.bind((COUNT_CAP + 1) as i64);
    let count_row = txn
        .query_one_raw(stmt(
            &txn,
            &format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {from_where_sql} LIMIT {cap}) t"),
            sql.values,
        ))
        .await?;
    let counted = count_row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64;
    let total_capped = counted > COUNT_CAP;
    let total = counted.min(COUNT_CAP);
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = q.page.clamp(1, pages);
    let plan = if total_capped { Plan::Walk } else { Plan::Index };
    let (from_where_sql, mut sql) = from_where(&txn, q, plan, exact.as_deref());
    let limit = sql.bind(PAGE_SIZE as i64);
    let offset = sql.bind(((page - 1) as u64 * PAGE_SIZE) as i64);
    let columns = "c.id, c.number, c.first_name, c.last_name, c.company, c.email, c.postcode, c.city, \
                   c.status, c.is_reseller, c.sort_name, c.created_at, c.group_id";
    let order = order_by(q);
    let group = "(SELECT g.name FROM customer_groups g WHERE g.id = c.group_id) AS group_name";
    let row_sql = match (sqlite, plan) {
        (true, _) => format!(
            "SELECT {columns}, {group} FROM {from_where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        ),
        // Few matches on PostgreSQL: collect them first, so no sort index is walked for them.
        (false, Plan::Index) => format!(
            "SELECT c.*, {group} FROM (SELECT {columns} FROM {from_where_sql} OFFSET 0) c \
             ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        ),
        // Many: find the page's ids walking the (covering) sort index, then read those rows.
        (false, Plan::Walk) => format!(
            "SELECT {columns}, {group} FROM customers c WHERE c.id IN \
             (SELECT c.id FROM {from_where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}) \
             ORDER BY {order}"
        ),
    };
    let rows = txn.query_all_raw(stmt(&txn, &row_sql, sql.values)).await?;
    txn.commit().await?;
    let rows = rows
        .into_iter()
        .map(|r| -> Result<ListRow, sea_orm::DbErr> {
            let first: String = r.try_get("", "first_name")?;
            let last: String = r.try_get("", "last_name")?;
            Ok(ListRow {
                id: r.try_get("", "id")?,
                number: r.try_get("", "number")?,
                name: display_name(&first, &last, ""),
                company: r.try_get("", "company")?,
                email: r.try_get("", "email")?,
                postcode: r.try_get("", "postcode")?,
                city: r.try_get("", "city")?,
                status: CustomerStatus::parse(&r.try_get::<String>("", "status")?).unwrap_or_default(),
                group_name: r.try_get("", "group_name")?,
                is_reseller: r.try_get("", "is_reseller")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListPage { rows, total, total_capped, page, pages })
}
