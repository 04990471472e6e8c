//! Customer domain logic over sea-orm: reading, searching, writing in transactions.
//! Server functions and the CLI call these; nothing else touches the customer tables.
mod convert;
mod list;
mod read;
pub mod seed;
mod write;

pub use list::search;
pub use read::{detail, form_meta, profile, warnings};
pub use write::{Actor, create, regenerate_api_key, update, update_reverting};

/// Today's date in the operator's time zone (Europe/Berlin is close enough to UTC for "past").
pub fn today() -> crate::customers::validate::Ymd {
    use chrono::Datelike;
    let d = chrono::Utc::now().date_naive();
    (d.year(), d.month(), d.day())
}

use crate::records::registry::{Export, TableClaim, Tables};

/// Daten: the master record, its custom fields, and the customers that name it their reseller.
pub const RECORDS: Tables = Tables {
    area: "data",
    claims: &[
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
    ],
};
