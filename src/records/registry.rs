//! The registry of customer data. Each area lists the tables (and the column) through which it
//! stores data about a customer; the export reads them generically, an area with special needs
//! overrides it.
pub use super::erasure::Eraser;
use super::model::ReportSection;
use crate::db::stmt;
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult, JsonValue};

/// How a claimed table appears in the data report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// Every row, without the listed secret columns.
    Rows { withheld: &'static [&'static str] },
    /// Not in the report, for the reason given (e.g. the rows are other customers' data that
    /// only point at this one).
    Omitted(&'static str),
}

/// One table column through which an area stores data about a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableClaim {
    pub table: &'static str,
    pub column: &'static str,
    pub export: Export,
}

impl TableClaim {
    pub const fn rows(table: &'static str, column: &'static str) -> TableClaim {
        TableClaim { table, column, export: Export::Rows { withheld: &[] } }
    }
}

#[async_trait::async_trait]
pub trait CustomerRecords: Send + Sync {
    /// The area's slug.
    fn area(&self) -> &'static str;
    fn claims(&self) -> &'static [TableClaim];

    /// Art. 15: this area's data about the customer.
    async fn export(&self, txn: &DatabaseTransaction, customer_id: i32) -> AppResult<Vec<ReportSection>> {
        let mut sections = Vec::new();
        for claim in self.claims() {
            if let Export::Rows { withheld } = claim.export {
                sections.push(export_rows(txn, self.area(), claim, withheld, customer_id).await?);
            }
        }
        Ok(sections)
    }

    /// Merge: move the duplicate's rows to the kept customer, inside the merge's transaction.
    /// The master record itself (`customers.id`) is left to the merge service.
    async fn merge(&self, txn: &DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        for claim in self.claims().iter().filter(|c| c.column != "id") {
            move_rows(txn, claim, duplicate, keep).await?;
        }
        Ok(())
    }

    /// Kunde löschen: what happens to the area's rows (the eraser only counts in a preview).
    /// By default every claimed row is deleted, dependants first (claims list parents first).
    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        for claim in self.claims().iter().rev().filter(|c| c.column != "id") {
            eraser.delete(self.area(), claim.table, &format!("{} = $1", claim.column)).await?;
        }
        Ok(())
    }
}

/// Point a claimed table's rows of `from` at `to`.
pub async fn move_rows(txn: &DatabaseTransaction, claim: &TableClaim, from: i32, to: i32) -> AppResult<u64> {
    let sql = format!("UPDATE {} SET {} = $2 WHERE {} = $1", claim.table, claim.column, claim.column);
    Ok(txn.execute_raw(stmt(txn, &sql, vec![from.into(), to.into()])).await?.rows_affected())
}

/// How many rows of a claimed table belong to a customer.
pub async fn count_rows(txn: &DatabaseTransaction, claim: &TableClaim, customer_id: i32) -> AppResult<u64> {
    let sql = format!("SELECT COUNT(*) AS n FROM {} WHERE {} = $1", claim.table, claim.column);
    let row = txn.query_one_raw(stmt(txn, &sql, vec![customer_id.into()])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}

/// A claimed table's rows of the customer, oldest first, secret columns left out.
pub async fn export_rows(
    txn: &DatabaseTransaction,
    area: &str,
    claim: &TableClaim,
    withheld: &[&str],
    customer_id: i32,
) -> AppResult<ReportSection> {
    // Table and column names come from the static claims, never from input.
    let sql = format!("SELECT * FROM {} WHERE {} = $1 ORDER BY 1", claim.table, claim.column);
    let rows = JsonValue::find_by_statement(stmt(txn, &sql, vec![customer_id.into()])).all(txn).await?;
    Ok(ReportSection {
        area: area.into(),
        table: claim.table.into(),
        rows: rows
            .into_iter()
            .filter_map(|row| match row {
                JsonValue::Object(mut map) => {
                    for column in withheld {
                        map.remove(*column);
                    }
                    Some(map)
                }
                _ => None,
            })
            .collect(),
        withheld: withheld.iter().map(|c| c.to_string()).collect(),
    })
}

/// Areas whose data is claimed by a plain list of tables.
pub struct Tables {
    pub area: &'static str,
    pub claims: &'static [TableClaim],
}

#[async_trait::async_trait]
impl CustomerRecords for Tables {
    fn area(&self) -> &'static str {
        self.area
    }
    fn claims(&self) -> &'static [TableClaim] {
        self.claims
    }
}
