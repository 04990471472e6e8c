//! Quotes in the records registry. A merge moves them (it holds the rewrite grant the triggers
//! ask for). An erasure keeps each accepted quote as a business letter that led to a contract
//! (6 years from the acceptance) and deletes the others with their lines: drafts, and quotes
//! declined, expired or never answered.
use crate::db::stmt;
use crate::error::AppResult;
use crate::records::erasure::RetentionClass;
use crate::records::registry::{CustomerRecords, Eraser, TableClaim};
use sea_orm::ConnectionTrait;

pub struct QuoteRecords;

const CLAIMS: &[TableClaim] = &[TableClaim::rows("quotes", "customer_id")];

#[async_trait::async_trait]
impl CustomerRecords for QuoteRecords {
    fn area(&self) -> &'static str {
        "quotes"
    }

    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    async fn merge(&self, txn: &sea_orm::DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        txn.execute_raw(stmt(
            txn,
            "UPDATE quotes SET customer_id = $2 WHERE customer_id = $1",
            vec![duplicate.into(), keep.into()],
        ))
        .await?;
        Ok(())
    }

    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        let rows = eraser
            .txn
            .query_all_raw(stmt(
                eraser.txn,
                "SELECT id, decided_at FROM quotes WHERE customer_id = $1 AND state = 'accepted'",
                vec![eraser.customer_id.into()],
            ))
            .await?;
        let today = crate::clock::business_day();
        let kept = rows
            .iter()
            .map(|r| {
                let at: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "decided_at")?;
                Ok((r.try_get::<i32>("", "id")?, at.map_or(today, |a| a.date_naive())))
            })
            .collect::<AppResult<Vec<_>>>()?;
        eraser.retain("quotes", "quotes", RetentionClass::BusinessLetters, kept).await?;
        eraser.delete("quotes", "quotes", "customer_id = $1 AND state <> 'accepted'").await?;
        Ok(())
    }
}
