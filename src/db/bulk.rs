//! Many rows in few statements: multi-row INSERTs and UPDATEs joined to a VALUES list, cut into
//! chunks that stay under both databases' parameter limits (SQLite 32,766, PostgreSQL 65,535).
//! The billing run writes thousands of invoices this way instead of one statement per row.
use super::stmt;
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

/// Values per statement, under SQLite's limit with room for a statement's fixed parameters.
const MAX_PARAMS: usize = 30_000;

/// `($a, $a+1, …), (…)`: `rows` tuples of `cols` placeholders, numbered from `first`.
fn tuples(rows: usize, cols: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(first + r * cols + c).to_string());
        }
        out.push(')');
    }
    out
}

/// `$first, …`: `n` placeholders for an `IN (…)` list.
pub fn list(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `head VALUES (…), (…) tail` for every row, e.g. head `INSERT INTO t (a, b)` and tail
/// `RETURNING id`; the rows each statement returns, in statement order.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Value>>,
) -> Result<Vec<QueryResult>, DbErr> {
    let Some(cols) = rows.first().map(Vec::len) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(MAX_PARAMS / cols.max(1)).collect();
        let sql = format!("{head} VALUES {} {tail}", tuples(chunk.len(), cols, 1));
        let values = chunk.into_iter().flatten().collect();
        if tail.is_empty() {
            db.execute_raw(stmt(db, &sql, values)).await?;
        } else {
            out.extend(db.query_all_raw(stmt(db, &sql, values)).await?);
        }
    }
    Ok(out)
}

/// Update `table` from rows named by `columns` (the first is the key, matched to `table.id`)
/// where `filter` holds too: `set` reads them as `v.<column>` and the fixed `params` as `$1…`.
/// Each row's values are in `columns` order. Returns the number of rows updated.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    set: &str,
    filter: &str,
    params: Vec<Value>,
    rows: Vec<Vec<Value>>,
) -> Result<u64, DbErr> {
    let cols = columns.len();
    let mut updated = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take((MAX_PARAMS - params.len()) / cols).collect();
        // A CTE with named columns: both databases accept it before UPDATE … FROM.
        let sql = format!(
            "WITH v({}) AS (VALUES {}) UPDATE {table} SET {set} FROM v WHERE {table}.id = v.{} AND ({filter})",
            columns.join(", "),
            tuples(chunk.len(), cols, params.len() + 1),
            columns[0]
        );
        let values = params.iter().cloned().chain(chunk.into_iter().flatten()).collect();
        updated += db.execute_raw(stmt(db, &sql, values)).await?.rows_affected();
    }
    Ok(updated)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tuples_number_their_placeholders() {
        assert_eq!(super::tuples(2, 3, 1), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::tuples(1, 2, 4), "($4, $5)");
        assert_eq!(super::list(2, 3), "$2, $3, $4");
    }
}
