//! Collecting by direct debit: the open invoices due by the collection date of customers with an
//! active mandate, each once (and once more after each return), go into one pain.008 file (kept
//! with the collection, to be fetched again). A mandate's first collection is FRST, every later
//! one RCUR. Nothing is booked here: the money is booked when the bank's statement shows the
//! credit (matched by the invoice number in its remittance text and the end-to-end id), and a
//! return debit reverses it. While a collection is under way the invoice is not dunned.
use super::pain008::{self, Collection, Creditor, Debit};
use crate::billing::seller::SellerSettings;
use crate::db::{Db, bulk, stmt};
use crate::error::{AppError, AppResult, FieldError};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};
use std::collections::HashSet;

/// What a collection run made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Collected {
    /// None: nothing was due.
    pub collection_id: Option<i32>,
    pub count: u64,
    pub total_cents: i64,
}

fn refused(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// The operator as creditor: name, IBAN and creditor identifier must be set.
pub fn creditor(seller: &SellerSettings) -> Option<Creditor> {
    let iban = super::ids::iban(&seller.iban)?;
    let creditor_id = super::ids::creditor_id(&seller.creditor_id)?;
    (!seller.party.name.trim().is_empty()).then(|| Creditor {
        name: seller.party.name.trim().to_string(),
        iban,
        bic: seller.bic.trim().to_string(),
        creditor_id,
    })
}

/// A collection of the invoice that is still under way: collected and not returned. A returned
/// one (its return debit booked from a statement) leaves the invoice open to be collected again.
/// (A macro, so that the dunning run's SQL can take it in with `concat!`.)
macro_rules! pending_collection {
    () => {
        concat!(
            "SELECT 1 FROM sepa_collection_items s WHERE s.invoice_id = i.id AND ",
            $crate::billing::sepa::collect::not_returned!()
        )
    };
}
pub(crate) use pending_collection;

/// The collection item `s` was not returned: no statement since showed a return debit with its
/// end-to-end id (whatever became of that line: the bank took the money back).
macro_rules! not_returned {
    () => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM bank_lines b WHERE b.end_to_end_id = s.end_to_end_id ",
            $crate::billing::sepa::collect::a_return!(),
            ")"
        )
    };
}
pub(crate) use not_returned;

/// `b` is a return debit a statement brought (out of the preview); `b.end_to_end_id <> ''` lets
/// both databases use the partial index on it.
macro_rules! a_return {
    () => {
        "AND b.end_to_end_id <> '' AND b.is_return AND b.state NOT IN ('preview', 'duplicate')"
    };
}
pub(crate) use a_return;

/// Return reasons after which collecting again may succeed: no funds (AM04), no reason given by
/// the bank (MS03). After any other (account closed, no mandate, the debtor objected) the
/// invoice is paid otherwise, and dunned.
const RETRY_REASONS: &str = "'AM04', 'MS03'";

/// How often an invoice is collected at most: once, and once more after a return for a reason
/// of [`RETRY_REASONS`].
const ATTEMPTS: i32 = 2;
const PENDING: &str = pending_collection!();

/// The end-to-end id of the `attempt`th collection of invoice `number`: `E2E-{number}`, then
/// `E2E-{number}-2`, …, in the EPC character set and within its 35 characters.
fn end_to_end_id(number: &str, attempt: i64) -> String {
    let suffix = if attempt > 1 { format!("-{attempt}") } else { String::new() };
    format!("{}{suffix}", pain008::latin(&format!("E2E-{number}"), 35 - suffix.len()))
}

/// A mandate not used for 36 months has lapsed (EPC rulebook): the first day it still counts.
fn lapsed_before(day: NaiveDate) -> NaiveDate {
    day.checked_sub_months(chrono::Months::new(36)).unwrap_or(day)
}

/// Collect on `collection_date` (tomorrow at the earliest) what is due by then: the invoices
/// issued (and so pre-notified) while the customer's mandate was active, of customers allowed
/// to pay by direct debit (no methods chosen: all are).
pub async fn collect(
    db: &Db,
    by: &str,
    collection_date: NaiveDate,
    today: NaiveDate,
) -> AppResult<Collected> {
    if collection_date <= today {
        return Err(refused("collection_date", "sepa.date_too_early"));
    }
    let seller = SellerSettings::load(db).await?;
    let creditor = creditor(&seller).ok_or_else(|| refused("collection_date", "sepa.creditor_missing"))?;
    let txn = crate::db::begin_write(db).await?;
    let rows = txn
        .query_all_raw(stmt(
            &txn,
            &format!("SELECT i.id, i.customer_id, i.number, i.gross_cents - i.paid_cents AS owed, m.id AS mandate_id, \
             m.reference, m.signed_on, m.holder, m.iban, m.bic, m.sequence, \
             (SELECT COUNT(*) FROM sepa_collection_items s WHERE s.invoice_id = i.id) AS tried \
             FROM invoices i \
             JOIN sepa_mandates m ON m.customer_id = i.customer_id AND m.state = 'active' \
             JOIN customers c ON c.id = i.customer_id AND c.erased_at IS NULL \
               AND (c.payment_methods = '' OR ',' || c.payment_methods || ',' LIKE '%,direct_debit,%') \
             WHERE i.state = 'open' AND i.due_date <= $1 AND i.gross_cents > i.paid_cents \
             AND i.kind IN ('invoice', 'correction') AND i.finalised_at >= m.created_at \
             AND COALESCE(m.last_collected_on, m.signed_on) >= $2 \
             AND NOT EXISTS ({PENDING}) \
             AND NOT EXISTS (SELECT 1 FROM sepa_collection_items s JOIN bank_lines b \
               ON b.end_to_end_id = s.end_to_end_id {} \
               WHERE s.invoice_id = i.id AND (s.attempt >= $3 OR b.return_reason NOT IN ({RETRY_REASONS}))) \
             ORDER BY i.customer_id, i.due_date, i.id", a_return!()),
            vec![collection_date.into(), lapsed_before(collection_date).into(), ATTEMPTS.into()],
        ))
        .await?;
    if rows.is_empty() {
        return Ok(Collected::default());
    }
    let counter = crate::db::next_counter(&txn, "sepa_collection", 1).await?;
    let message_id = format!("LS-{}-{counter:06}", collection_date.format("%Y%m%d"));
    let mut debits = Vec::with_capacity(rows.len());
    let mut items = Vec::with_capacity(rows.len());
    let mut first_used: HashSet<i32> = HashSet::new();
    for r in &rows {
        let mandate: i32 = r.try_get("", "mandate_id")?;
        let number: String = r.try_get::<Option<String>>("", "number")?.unwrap_or_default();
        // A mandate's first collection is FRST (once, also within one file), the rest RCUR.
        let sequence = if r.try_get::<String>("", "sequence")? == "FRST" && first_used.insert(mandate) {
            "FRST"
        } else {
            "RCUR"
        };
        let attempt = r.try_get::<i64>("", "tried")? + 1;
        let debit = Debit {
            end_to_end_id: end_to_end_id(&number, attempt),
            amount_cents: r.try_get("", "owed")?,
            mandate: r.try_get("", "reference")?,
            signed_on: r.try_get("", "signed_on")?,
            sequence: sequence.into(),
            debtor: r.try_get("", "holder")?,
            iban: r.try_get("", "iban")?,
            bic: r.try_get("", "bic")?,
            remittance: number,
        };
        items.push(vec![
            r.try_get::<i32>("", "customer_id")?.into(),
            r.try_get::<i32>("", "id")?.into(),
            mandate.into(),
            debit.amount_cents.into(),
            sequence.into(),
            debit.end_to_end_id.clone().into(),
            (attempt as i32).into(),
        ]);
        debits.push(debit);
    }
    let total: i64 = debits.iter().map(|d| d.amount_cents).sum();
    let count = debits.len();
    let now = chrono::Utc::now();
    let xml = pain008::write(&Collection {
        message_id: message_id.clone(),
        created_at: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        collection_date,
        creditor,
        debits,
    });
    let row = txn
        .query_one_raw(stmt(
            &txn,
            "INSERT INTO sepa_collections (message_id, collection_date, count, total_cents, xml, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            vec![
                message_id.into(),
                collection_date.into(),
                (count as i32).into(),
                total.into(),
                xml.into(),
                by.chars().take(100).collect::<String>().into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let collection_id: i32 = row.try_get("", "id")?;
    let items: Vec<Vec<Value>> =
        items.into_iter().map(|item| std::iter::once(collection_id.into()).chain(item).collect()).collect();
    bulk::insert(
        &txn,
        "INSERT INTO sepa_collection_items (collection_id, customer_id, invoice_id, mandate_id, amount_cents, sequence, \
         end_to_end_id, attempt)",
        "",
        items,
    )
    .await
    // Another run collected one of these at the same time (or an end-to-end id is taken): this
    // run collects nothing; the next one sees what the other did.
    .map_err(|e| if crate::db::is_unique_violation(&e) { AppError::Conflict { current_version: 0 } } else { e.into() })?;
    let mandates: std::collections::BTreeSet<i32> =
        rows.iter().filter_map(|r| r.try_get::<i32>("", "mandate_id").ok()).collect();
    let mandates: Vec<Value> = mandates.into_iter().map(Value::from).collect();
    for chunk in mandates.chunks(1_000) {
        let sql = format!(
            "UPDATE sepa_mandates SET sequence = 'RCUR', last_collected_on = $1, version = version + 1 \
             WHERE id IN ({}) AND state = 'active'",
            bulk::list(2, chunk.len())
        );
        let values = std::iter::once(collection_date.into()).chain(chunk.iter().cloned()).collect();
        // A mandate revoked while the file was made: nothing is collected under it.
        if txn.execute_raw(stmt(&txn, &sql, values)).await?.rows_affected() != chunk.len() as u64 {
            return Err(AppError::Conflict { current_version: 0 });
        }
    }
    txn.commit().await?;
    Ok(Collected { collection_id: Some(collection_id), count: count as u64, total_cents: total })
}

/// The pain.008 file of collection `id`: its message id and XML.
pub async fn file<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<(String, String)> {
    let r = db
        .query_one_raw(stmt(
            db,
            "SELECT message_id, xml FROM sepa_collections WHERE id = $1",
            vec![id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.try_get("", "message_id")?, r.try_get("", "xml")?))
}

#[cfg(test)]
mod tests {
    use super::end_to_end_id;

    #[test]
    fn each_attempt_has_its_own_end_to_end_id_within_35_characters() {
        assert_eq!(end_to_end_id("RE-2027-00013", 1), "E2E-RE-2027-00013");
        assert_eq!(end_to_end_id("RE-2027-00013", 2), "E2E-RE-2027-00013-2");
        // A 40-character number: cut so that the attempt still shows.
        let long = "R".repeat(40);
        assert_eq!(end_to_end_id(&long, 1), format!("E2E-{}", "R".repeat(31)));
        let again = end_to_end_id(&long, 12);
        assert_eq!((again.len(), again.ends_with("R-12")), (35, true), "{again}");
        assert_eq!(end_to_end_id("RE/Ä-1", 2), "E2E-RE/Ae-1-2");
    }
}
