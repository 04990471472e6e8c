//! Customer domain logic over sea-orm: reading, searching, writing in transactions.
//! Server functions and the CLI call these; nothing else touches the customer tables.
pub(crate) mod convert;
mod list;
mod read;
pub mod seed;
mod write;

pub use list::search;
pub use read::{detail, form_meta, profile, warnings};
pub use write::{Actor, create, regenerate_api_key, update, update_in, update_reverting, validate_form};

/// Today's date in the operator's time zone (Europe/Berlin is close enough to UTC for "past").
pub fn today() -> crate::customers::validate::Ymd {
    use chrono::Datelike;
    let d = chrono::Utc::now().date_naive();
    (d.year(), d.month(), d.day())
}

use crate::records::registry::{CustomerRecords, Export, TableClaim};

/// Daten in the customer-records registry: the master record, its custom fields, the customers
/// that name it their reseller, and old numbers merged into it.
pub struct DataRecords;
pub const RECORDS: DataRecords = DataRecords;

const DATA_CLAIMS: &[TableClaim] = &[
    TableClaim {
        table: "customers",
        column: "id",
        export: Export::Rows { withheld: &["api_key_hash", "search_text"] },
    },
    TableClaim::rows("custom_field_values", "customer_id"),
    TableClaim {
        table: "customers",
        column: "reseller_id",
        export: Export::Omitted("other customers' data that only names this one as reseller"),
    },
    TableClaim::rows("customer_aliases", "customer_id"),
];

#[async_trait::async_trait]
impl CustomerRecords for DataRecords {
    fn area(&self) -> &'static str {
        "data"
    }
    fn claims(&self) -> &'static [TableClaim] {
        DATA_CLAIMS
    }

    /// The kept record already holds the chosen values (custom fields included), so the
    /// duplicate's custom values go; customers of the duplicate as reseller now name the kept
    /// one (never itself); its old numbers follow.
    async fn merge(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        duplicate: i32,
        keep: i32,
    ) -> crate::error::AppResult<()> {
        use sea_orm::ConnectionTrait;
        let run = |sql: &'static str, values: Vec<sea_orm::Value>| {
            txn.execute_raw(crate::db::stmt(txn, sql, values))
        };
        run("DELETE FROM custom_field_values WHERE customer_id = $1", vec![duplicate.into()]).await?;
        run(
            "UPDATE customers SET reseller_id = NULL WHERE id = $2 AND reseller_id = $1",
            vec![duplicate.into(), keep.into()],
        )
        .await?;
        run(
            "UPDATE customers SET reseller_id = $2 WHERE reseller_id = $1",
            vec![duplicate.into(), keep.into()],
        )
        .await?;
        run(
            "UPDATE customer_aliases SET customer_id = $2 WHERE customer_id = $1",
            vec![duplicate.into(), keep.into()],
        )
        .await?;
        Ok(())
    }
}
