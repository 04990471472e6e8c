//! The money tables in the records registry. The report lists them all; a merge moves them
//! (it holds the rewrite grant the triggers ask for); an erasure is refused while invoices are
//! open, deletes drafts, unbilled planned items and the account figures, and keeps every
//! accounting record (final invoices, ledger, allocations, billed periods and the items they
//! came from) until the retention of the customer's latest accounting document ends, so the
//! records go together and none points at one already gone.
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::records::erasure::RetentionClass;
use crate::records::registry::{CustomerRecords, Eraser, TableClaim};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

pub struct MoneyRecords;

/// Parents first (erasure deletes the other way round).
const CLAIMS: &[TableClaim] = &[
    TableClaim::rows("customer_accounts", "customer_id"),
    TableClaim::rows("billing_items", "customer_id"),
    TableClaim::rows("invoices", "customer_id"),
    TableClaim::rows("dunning_notices", "customer_id"),
    TableClaim::rows("planned_items", "customer_id"),
    TableClaim::rows("billed_periods", "customer_id"),
    TableClaim::rows("ledger_entries", "customer_id"),
    TableClaim::rows("allocations", "customer_id"),
    TableClaim::rows("bank_lines", "customer_id"),
    TableClaim::rows("sepa_mandates", "customer_id"),
    TableClaim::rows("sepa_collection_items", "customer_id"),
];

/// The kept tables with the date that starts each row's retention.
const KEPT: &[(&str, &str, &str)] = &[
    ("invoices", "issue_date", "number IS NOT NULL"),
    ("dunning_notices", "issued_on", "TRUE"),
    ("ledger_entries", "booked_on", "TRUE"),
    ("allocations", "CAST(NULL AS DATE)", "TRUE"),
    ("bank_lines", "booked_on", "state NOT IN ('preview', 'duplicate')"),
    ("sepa_mandates", "COALESCE(last_collected_on, signed_on)", "TRUE"),
    (
        "sepa_collection_items",
        "(SELECT s.collection_date FROM sepa_collections s WHERE s.id = collection_id)",
        "TRUE",
    ),
    ("billed_periods", "period_start", "TRUE"),
    ("planned_items", "service_date", "invoice_id IN (SELECT id FROM invoices WHERE number IS NOT NULL)"),
    ("billing_items", "anchor_date", "id IN (SELECT item_id FROM billed_periods WHERE customer_id = $1)"),
];

async fn ids<C: ConnectionTrait>(
    txn: &C,
    sql: &str,
    customer_id: i32,
) -> AppResult<Vec<(i32, Option<NaiveDate>)>> {
    let rows = txn.query_all_raw(stmt(txn, sql, vec![customer_id.into()])).await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<i32>("", "id")?, r.try_get::<Option<NaiveDate>>("", "dated")?)))
        .collect()
}

#[async_trait::async_trait]
impl CustomerRecords for MoneyRecords {
    fn area(&self) -> &'static str {
        "invoices"
    }

    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    /// The duplicate's records move to the kept customer; its account figures are added to the
    /// kept customer's (the moved ledger entries keep the running balance they had).
    async fn merge(&self, txn: &sea_orm::DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        let add = "UPDATE customer_accounts SET \
                   balance_cents = customer_accounts.balance_cents + d.balance_cents, paid_in_cents = customer_accounts.paid_in_cents + d.paid_in_cents, \
                   spent_cents = customer_accounts.spent_cents + d.spent_cents, special_cents = customer_accounts.special_cents + d.special_cents, \
                   open_count = customer_accounts.open_count + d.open_count, open_cents = customer_accounts.open_cents + d.open_cents \
                   FROM (SELECT * FROM customer_accounts WHERE customer_id = $1) AS d \
                   WHERE customer_accounts.customer_id = $2";
        for sql in [
            // One active mandate per customer: the kept customer's stays, the duplicate's ends.
            "UPDATE sepa_mandates SET state = 'revoked', revoked_on = CURRENT_DATE, version = version + 1 \
             WHERE customer_id = $1 AND state = 'active' \
             AND EXISTS (SELECT 1 FROM sepa_mandates k WHERE k.customer_id = $2 AND k.state = 'active')",
            add,
            "DELETE FROM customer_accounts WHERE customer_id = $1 \
             AND EXISTS (SELECT 1 FROM customer_accounts WHERE customer_id = $2)",
            "UPDATE customer_accounts SET customer_id = $2 WHERE customer_id = $1",
        ] {
            txn.execute_raw(stmt(txn, sql, vec![duplicate.into(), keep.into()])).await?;
        }
        for table in CLAIMS.iter().map(|c| c.table).filter(|t| *t != "customer_accounts") {
            let sql = format!("UPDATE {table} SET customer_id = $2 WHERE customer_id = $1");
            txn.execute_raw(stmt(txn, &sql, vec![duplicate.into(), keep.into()])).await?;
        }
        Ok(())
    }

    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        let open = eraser
            .txn
            .query_one_raw(stmt(
                eraser.txn,
                "SELECT COUNT(*) AS n FROM invoices WHERE customer_id = $1 AND state = 'open'",
                vec![eraser.customer_id.into()],
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if open > 0 {
            return Err(AppError::Validation(vec![
                FieldError::new("customer", "erase.open_invoices").with("count", open.to_string()),
            ]));
        }
        // Credit we owe the customer, or a debt of theirs, must be settled first: the kept ledger
        // would otherwise hold money nobody sees any more.
        let balance = crate::billing::account::figures(eraser.txn, eraser.customer_id).await?.balance;
        if balance != 0 {
            return Err(AppError::Validation(vec![
                FieldError::new("customer", "erase.balance_not_zero").with(
                    "amount",
                    format!(
                        "{}{}",
                        if balance < 0 { "−" } else { "" },
                        crate::money::cents_text(balance.abs(), ',')
                    ),
                ),
            ]));
        }
        let mut kept = Vec::new();
        for (table, date, condition) in KEPT {
            let sql =
                format!("SELECT id, {date} AS dated FROM {table} WHERE customer_id = $1 AND ({condition})");
            kept.push((*table, ids(eraser.txn, &sql, eraser.customer_id).await?));
        }
        let today = crate::customers::service::business_day();
        let latest =
            kept.iter().flat_map(|(_, rows)| rows.iter().filter_map(|(_, d)| *d)).max().unwrap_or(today);
        for (table, rows) in kept {
            let rows = rows.into_iter().map(|(id, _)| (id, latest)).collect();
            eraser.retain("invoices", table, RetentionClass::Accounting, rows).await?;
        }
        // Drafts have no number and were never sent: their lines and groups go with them, and
        // the planned items they held are unbilled again and go too.
        eraser.delete("invoices", "invoices", "customer_id = $1 AND number IS NULL").await?;
        eraser.delete("invoices", "planned_items", "customer_id = $1 AND invoice_id IS NULL").await?;
        eraser
            .delete(
                "invoices",
                "billing_items",
                "customer_id = $1 AND id NOT IN (SELECT item_id FROM billed_periods WHERE customer_id = $1)",
            )
            .await?;
        eraser.delete("invoices", "customer_accounts", "customer_id = $1").await?;
        // A statement line only proposed for the customer stays in its import, proposing nobody;
        // the kept mandate ends: nobody is collected from after the erasure.
        if eraser.execute {
            eraser
                .txn
                .execute_raw(stmt(
                    eraser.txn,
                    "UPDATE sepa_mandates SET state = 'revoked', revoked_on = $2, version = version + 1 \
                     WHERE customer_id = $1 AND state = 'active'",
                    vec![eraser.customer_id.into(), today.into()],
                ))
                .await?;
            eraser
                .txn
                .execute_raw(stmt(
                    eraser.txn,
                    "UPDATE bank_lines SET customer_id = NULL, invoice_ids = '', matched_by = '', \
                     returns_line_id = NULL WHERE customer_id = $1 AND state IN ('preview', 'duplicate')",
                    vec![eraser.customer_id.into()],
                ))
                .await?;
        }
        Ok(())
    }
}
