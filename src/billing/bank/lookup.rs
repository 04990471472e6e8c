//! The candidates a batch of statement lines is matched against, looked up in bulk: open
//! invoices by the numbers the remittance texts name, customers by number, the open amounts owed
//! by exactly one invoice, and for a return debit the booked payment with its end-to-end id.
use super::matching::{self, Candidates, MatchedBy, OpenInvoice};
use super::model::StatementLine;
use crate::db::{bulk, stmt};
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, Value};
use std::collections::{BTreeSet, HashMap};

/// Values per `IN (…)` list: well under both databases' parameter limits.
const CHUNK: usize = 1_000;

/// What the preview proposes for a line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Match {
    pub customer_id: Option<i32>,
    pub invoices: Vec<i32>,
    /// invoice_number | customer_number | amount | return | '' (none)
    pub by: &'static str,
    /// A return debit: the line of the payment it returns.
    pub returns_line: Option<i32>,
}

/// Rows of `sql` (with `{list}` for the placeholders) for every chunk of `values`.
async fn chunked<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<Vec<sea_orm::QueryResult>> {
    let mut out = Vec::new();
    for chunk in values.chunks(CHUNK) {
        let sql = sql.replace("{list}", &bulk::list(1, chunk.len()));
        out.extend(db.query_all_raw(stmt(db, &sql, chunk.to_vec())).await?);
    }
    Ok(out)
}

fn open_invoice(r: &sea_orm::QueryResult) -> Result<OpenInvoice, sea_orm::DbErr> {
    Ok(OpenInvoice {
        id: r.try_get("", "id")?,
        customer_id: r.try_get("", "customer_id")?,
        open_cents: r.try_get("", "owed")?,
    })
}

/// Look up what the credits among `lines` could name.
async fn candidates<C: ConnectionTrait>(db: &C, lines: &[StatementLine]) -> AppResult<Candidates> {
    let credits: Vec<&StatementLine> = lines.iter().filter(|l| l.amount_cents > 0 && !l.is_return).collect();
    let words: BTreeSet<String> = credits.iter().flat_map(|l| matching::tokens(&l.remittance)).collect();
    let words: Vec<Value> = words.into_iter().map(Value::from).collect();
    let mut c = Candidates::default();
    let rows = chunked(
        db,
        "SELECT id, number, customer_id, gross_cents - paid_cents AS owed FROM invoices \
         WHERE state = 'open' AND number IN ({list})",
        words.clone(),
    )
    .await?;
    for r in rows {
        c.invoices.insert(r.try_get::<String>("", "number")?.to_uppercase(), open_invoice(&r)?);
    }
    let rows =
        chunked(db, "SELECT id, number FROM customers WHERE erased_at IS NULL AND number IN ({list})", words)
            .await?;
    for r in rows {
        c.customers.insert(r.try_get::<String>("", "number")?.to_uppercase(), r.try_get("", "id")?);
    }
    let amounts: BTreeSet<i64> = credits.iter().map(|l| l.amount_cents).collect();
    let rows = chunked(
        db,
        "SELECT gross_cents - paid_cents AS owed, MIN(id) AS id, MIN(customer_id) AS customer_id FROM invoices \
         WHERE state = 'open' AND gross_cents - paid_cents IN ({list}) \
         GROUP BY gross_cents - paid_cents HAVING COUNT(*) = 1",
        amounts.into_iter().map(Value::from).collect(),
    )
    .await?;
    for r in rows {
        let inv = open_invoice(&r)?;
        c.unique_amounts.insert(inv.open_cents, inv);
    }
    Ok(c)
}

/// The booked credits (line id, customer) by end-to-end id, for the returns among `lines`.
async fn returned_payments<C: ConnectionTrait>(
    db: &C,
    lines: &[StatementLine],
) -> AppResult<HashMap<String, (i32, i32)>> {
    let ids: BTreeSet<&str> = lines
        .iter()
        .filter(|l| l.is_return && !l.end_to_end_id.is_empty())
        .map(|l| l.end_to_end_id.as_str())
        .collect();
    let rows = chunked(
        db,
        "SELECT id, customer_id, end_to_end_id FROM bank_lines \
         WHERE end_to_end_id IN ({list}) AND amount_cents > 0 AND state IN ('booked', 'assigned') \
         AND customer_id IS NOT NULL ORDER BY id",
        ids.into_iter().map(Value::from).collect(),
    )
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        // The latest payment with that id is the one a return takes back.
        out.insert(r.try_get("", "end_to_end_id")?, (r.try_get("", "id")?, r.try_get("", "customer_id")?));
    }
    Ok(out)
}

/// The returns of import `import_id` still in preview and without their payment: matched to the
/// payment with their end-to-end id booked since the preview (from another file) or waiting
/// before them in the same file, which booking books first. Returns how many were matched.
pub async fn rematch_returns<C: ConnectionTrait>(db: &C, import_id: i32) -> AppResult<u64> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT r.id, p.id AS paid, p.customer_id FROM bank_lines r \
             JOIN bank_lines p ON p.end_to_end_id = r.end_to_end_id AND p.end_to_end_id <> '' \
               AND p.amount_cents > 0 AND NOT p.is_return \
               AND p.customer_id IS NOT NULL AND (p.state IN ('booked', 'assigned') \
                 OR (p.import_id = r.import_id AND p.state = 'preview' AND p.position < r.position)) \
             WHERE r.import_id = $1 AND r.state = 'preview' AND r.is_return AND r.customer_id IS NULL \
               AND r.end_to_end_id <> '' \
             ORDER BY r.id, p.id",
            vec![import_id.into()],
        ))
        .await?;
    // The latest payment with that id is the one a return takes back.
    let mut latest: std::collections::BTreeMap<i32, (i32, i32)> = std::collections::BTreeMap::new();
    for r in &rows {
        latest.insert(r.try_get("", "id")?, (r.try_get("", "paid")?, r.try_get("", "customer_id")?));
    }
    let mut matched = 0;
    for (line, (paid, customer)) in latest {
        matched += db
            .execute_raw(stmt(
                db,
                "UPDATE bank_lines SET customer_id = $2, returns_line_id = $3, matched_by = 'return', \
                 version = version + 1 WHERE id = $1 AND state = 'preview' AND customer_id IS NULL",
                vec![line.into(), customer.into(), paid.into()],
            ))
            .await?
            .rows_affected();
    }
    Ok(matched)
}

/// The proposal for every line, in order.
pub async fn propose_all<C: ConnectionTrait>(db: &C, lines: &[StatementLine]) -> AppResult<Vec<Match>> {
    let c = candidates(db, lines).await?;
    let returns = returned_payments(db, lines).await?;
    Ok(lines
        .iter()
        .map(|line| {
            if line.is_return {
                return match returns.get(&line.end_to_end_id) {
                    Some((paid, customer)) => Match {
                        customer_id: Some(*customer),
                        by: "return",
                        returns_line: Some(*paid),
                        ..Match::default()
                    },
                    None => Match::default(),
                };
            }
            match matching::propose(line, &c) {
                Some(p) => Match {
                    customer_id: Some(p.customer_id),
                    invoices: p.invoices,
                    by: match p.by {
                        MatchedBy::InvoiceNumber => "invoice_number",
                        MatchedBy::CustomerNumber => "customer_number",
                        MatchedBy::Amount => "amount",
                    },
                    returns_line: None,
                },
                None => Match::default(),
            }
        })
        .collect())
}
