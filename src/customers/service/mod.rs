//! Customer domain logic over sea-orm: reading, searching, writing in transactions.
//! Server functions and the CLI call these; nothing else touches the customer tables.
pub(crate) mod convert;
mod list;
mod read;
pub mod seed;
mod write;

pub use list::search;
pub use read::{detail, figures, form_meta, profile, warnings};
pub use write::{
    Actor, create, regenerate_api_key, switch, update, update_in, update_reverting, validate_form,
};

pub use crate::clock::{business_day, business_day_of};

/// Today's date in the operator's time zone, as the validators' (year, month, day): the same day
/// as [`business_day`], so a check near midnight UTC agrees with the terms it computes.
pub fn today() -> crate::customers::validate::Ymd {
    use chrono::Datelike;
    let d = business_day();
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

    /// Custom field values go; the master record is anonymised but keeps its number (and its
    /// old merged numbers); customers naming it as reseller keep the link to the number.
    async fn erase(&self, eraser: &mut crate::records::registry::Eraser<'_>) -> crate::error::AppResult<()> {
        use sea_orm::ConnectionTrait;
        eraser.delete("data", "custom_field_values", "customer_id = $1").await?;
        if eraser.execute {
            let (txn, id) = (eraser.txn, eraser.customer_id);
            // Found by its number and old numbers only.
            let number = read::detail(txn, id).await?.number;
            let blank = crate::customers::model::CustomerForm::default();
            let text = convert::search_text_with(&number, &convert::alias_numbers(txn, id).await?, &blank);
            let values = vec![id.into(), chrono::Utc::now().into(), text.into()];
            txn.execute_raw(crate::db::stmt(txn, ANONYMISE, values)).await?;
        }
        eraser.note("data", "customers", 1, crate::records::model::Fate::Anonymised);
        Ok(())
    }
}

/// Every personal field cleared; what stays is the number, the kind and the settings that
/// say nothing about the person (country, language, currency, taxation for retained documents).
const ANONYMISE: &str = "UPDATE customers SET status = 'inactive', salutation = '', first_name = '', \
    last_name = '', company = '', email = '', phone = '', fax = '', birth_date = NULL, street = '', \
    house_number = '', postcode = '', city = '', website = '', vat_id = '', invoice_address_enabled = FALSE, \
    invoice_company = '', invoice_name = '', invoice_street = '', invoice_house_number = '', \
    invoice_postcode = '', invoice_city = '', invoice_country = '', newsletter = FALSE, account_locked = TRUE, \
    orders_allowed = FALSE, api_access = FALSE, api_key_hash = NULL, own_nameservers = '', own_nameserver_glue = '', \
    pending_email = NULL, last_login_at = NULL, last_ip = NULL, einvoice = 'none', leitweg_id = '', \
    einvoice_address = '', public_sector = FALSE, search_text = $3, \
    sort_name = '', erased_at = $2, updated_at = $2 WHERE id = $1";
