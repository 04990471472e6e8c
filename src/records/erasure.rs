//! Kunde löschen. Every area decides through the registry what happens to its rows: deleted now,
//! or blocked for a retention period (visible only to accounting, removed by the retention job).
//! The preview runs the same code without writing, so it says exactly what the erasure will do.
//! The master record is anonymised but keeps its number; an erasure record without personal
//! data remains. Accounts that never had business data can instead be deleted outright.
use super::model::{ErasureItem, Fate};
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

/// A retention duty and its length in years; periods end with the calendar year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionClass {
    /// Invoices, payments, dunning: 8 years (§ 147 AO, § 257 HGB).
    Accounting,
    /// Business letters and mails, quotes that led to a contract: 6 years.
    BusinessLetters,
}

impl RetentionClass {
    pub fn key(self) -> &'static str {
        match self {
            RetentionClass::Accounting => "accounting",
            RetentionClass::BusinessLetters => "business_letters",
        }
    }

    fn years(self) -> i32 {
        match self {
            RetentionClass::Accounting => 8,
            RetentionClass::BusinessLetters => 6,
        }
    }

    /// The last day a document dated `dated` must be kept: the period starts at the end of its
    /// calendar year.
    pub fn blocked_until(self, dated: NaiveDate) -> NaiveDate {
        NaiveDate::from_ymd_opt(dated.year() + self.years(), 12, 31).expect("31 December exists")
    }
}

/// Walks the areas' rows of one customer: counts them (preview) or also acts (erasure).
pub struct Eraser<'a> {
    pub txn: &'a DatabaseTransaction,
    pub customer_id: i32,
    /// False in a preview: count, change nothing.
    pub execute: bool,
    pub items: Vec<ErasureItem>,
}

impl Eraser<'_> {
    /// Delete the rows of `table` matching `condition` (`$1` is the customer id).
    pub async fn delete(&mut self, area: &str, table: &str, condition: &str) -> AppResult<u64> {
        let id = self.customer_id;
        let count = format!("SELECT COUNT(*) AS n FROM {table} WHERE {condition}");
        let row = self.txn.query_one_raw(stmt(self.txn, &count, vec![id.into()])).await?;
        let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64;
        if n > 0 && self.execute {
            let sql = format!("DELETE FROM {table} WHERE {condition}");
            self.txn.execute_raw(stmt(self.txn, &sql, vec![id.into()])).await?;
        }
        self.note(area, table, n, Fate::Deleted);
        Ok(n)
    }

    /// Block rows (id, the date of the document) of `table` for their retention period.
    pub async fn retain(
        &mut self,
        area: &str,
        table: &str,
        class: RetentionClass,
        rows: Vec<(i32, NaiveDate)>,
    ) -> AppResult<()> {
        let mut by_until: std::collections::BTreeMap<NaiveDate, Vec<i32>> = Default::default();
        for (id, dated) in rows {
            by_until.entry(class.blocked_until(dated)).or_default().push(id);
        }
        let now = chrono::Utc::now();
        for (until, ids) in by_until {
            if self.execute {
                for chunk in ids.chunks(200) {
                    let mut sql = String::from(
                        "INSERT INTO retention (table_name, row_id, customer_id, class, blocked_until, created_at) VALUES ",
                    );
                    let mut values: Vec<sea_orm::Value> = Vec::new();
                    for (i, id) in chunk.iter().enumerate() {
                        let b = i * 6;
                        if i > 0 {
                            sql.push_str(", ");
                        }
                        sql.push_str(&format!(
                            "(${}, ${}, ${}, ${}, ${}, ${})",
                            b + 1,
                            b + 2,
                            b + 3,
                            b + 4,
                            b + 5,
                            b + 6
                        ));
                        values.extend([
                            table.into(),
                            (*id).into(),
                            self.customer_id.into(),
                            class.key().into(),
                            until.into(),
                            now.into(),
                        ]);
                    }
                    self.txn.execute_raw(stmt(self.txn, &sql, values)).await?;
                }
            }
            let fate = Fate::Blocked { class: class.key().into(), until: until.to_string() };
            self.note(area, table, ids.len() as u64, fate);
        }
        Ok(())
    }

    /// Record a line (areas that act themselves, such as the anonymised master record).
    pub fn note(&mut self, area: &str, table: &str, rows: u64, fate: Fate) {
        if rows > 0 {
            self.items.push(ErasureItem { area: area.into(), table: table.into(), rows, fate });
        }
    }
}

/// Why an erased customer cannot be changed any more.
pub fn erased_error() -> AppError {
    AppError::Validation(vec![FieldError::new("customer", "erase.customer_erased")])
}

/// Refuse changes to an erased customer (its master record is anonymised, its data gone).
pub async fn ensure_not_erased<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<()> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT erased_at IS NOT NULL AS erased FROM customers WHERE id = $1",
            vec![customer_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    if row.try_get::<bool>("", "erased")? { Err(erased_error()) } else { Ok(()) }
}

/// The first statement of a write to a customer's data: it takes the customer's row lock
/// (PostgreSQL) or the write lock (SQLite) and refuses an erased customer, so no write can land
/// after an erasure committed.
pub async fn lock_live<C: ConnectionTrait>(txn: &C, customer_id: i32) -> AppResult<()> {
    let sql = "UPDATE customers SET version = version WHERE id = $1 AND erased_at IS NULL";
    if txn.execute_raw(stmt(txn, sql, vec![customer_id.into()])).await?.rows_affected() == 1 {
        return Ok(());
    }
    ensure_not_erased(txn, customer_id).await?;
    Err(AppError::NotFound)
}

/// Lock the live (not erased) customers among `ids`, the lowest id first (so two such locks,
/// or one and a single customer's, cannot wait for each other); returns them in id order.
pub async fn lock_live_many<C: ConnectionTrait>(txn: &C, ids: &[i32]) -> AppResult<Vec<i32>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::db::bulk::list(1, ids.len());
    let sql = if crate::db::is_sqlite(txn) {
        // SQLite: the write lock this takes is the lock.
        format!(
            "UPDATE customers SET version = version WHERE id IN ({list}) AND erased_at IS NULL RETURNING id"
        )
    } else {
        format!(
            "SELECT id FROM customers WHERE id IN ({list}) AND erased_at IS NULL ORDER BY id FOR NO KEY UPDATE"
        )
    };
    let rows = txn.query_all_raw(stmt(txn, &sql, ids.iter().map(|i| (*i).into()).collect())).await?;
    let mut live = rows.iter().map(|r| r.try_get::<i32>("", "id")).collect::<Result<Vec<_>, _>>()?;
    live.sort_unstable();
    Ok(live)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_end_with_the_calendar_year() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(RetentionClass::Accounting.blocked_until(d(2026, 1, 2)), d(2034, 12, 31));
        assert_eq!(RetentionClass::Accounting.blocked_until(d(2026, 12, 31)), d(2034, 12, 31));
        assert_eq!(RetentionClass::BusinessLetters.blocked_until(d(2026, 6, 30)), d(2032, 12, 31));
    }
}
