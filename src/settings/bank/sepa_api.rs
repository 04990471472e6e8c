//! Server functions of the direct debit panel on /settings/bank: `payments.book`; a collection
//! made is audited.
use crate::billing::sepa::model::CollectionPage;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// What a collection run made: how many invoices, how much, and the file's collection id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CollectOutcome {
    pub collection_id: Option<i32>,
    pub count: u64,
    pub total_cents: i64,
}

#[server(endpoint = "sepa_collections", input = Json, output = Json)]
pub async fn sepa_collections(page: u32) -> Result<CollectionPage, AppError> {
    require(Permission::PaymentsBook)?;
    let db = crate::web::state::app_state()?.db;
    super::sepa_service::collections(&db, page, crate::clock::business_day()).await
}

/// Collect the open invoices due by `collection_date` of customers with a mandate.
#[server(endpoint = "collect_direct_debits", input = Json, output = Json)]
pub async fn collect_direct_debits(collection_date: String) -> Result<CollectOutcome, AppError> {
    let staff = require(Permission::PaymentsBook)?;
    let db = crate::web::state::app_state()?.db;
    let day = chrono::NaiveDate::parse_from_str(collection_date.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::Validation(vec![crate::error::FieldError::new("collection_date", "validation.date")])
    })?;
    let c =
        crate::billing::sepa::collect::collect(&db, &staff.name, day, crate::clock::business_day()).await?;
    if let Some(id) = c.collection_id {
        let act = crate::audit::service::Act::new("sepa_collection_made", format!("#{id} {day}"))
            .change("", format!("{} debits, {} cents", c.count, c.total_cents));
        crate::auth::audit_trail::record(&staff, act).await?;
    }
    Ok(CollectOutcome { collection_id: c.collection_id, count: c.count, total_cents: c.total_cents })
}
