//! An uploaded statement file becomes an import in preview: its lines stored with what matching
//! proposes for each, nothing booked yet. The same file uploaded again while its preview waits
//! is that preview; an entry booked before shows as known and is not booked again.
use super::lookup::{self, Match};
use super::model::StatementLine;
use crate::db::{Db, bulk, stmt};
use crate::error::{AppError, AppResult, FieldError};
use sea_orm::{ConnectionTrait, Value};
use sha2::{Digest, Sha256};

/// The largest statement file taken (a CAMT.053 of 50,000 entries is about 40 MB).
pub const MAX_FILE_MB: usize = 64;
/// The most entries one file may hold.
pub const MAX_LINES: usize = 50_000;

/// What an upload made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Previewed {
    pub import_id: i32,
    pub lines: usize,
    /// The same file's preview was waiting already: this is it.
    pub again: bool,
}

fn refused(key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new("file", key)])
}

/// At most `max` characters: a column's width (a longer value is the bank's oddity, not ours).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

const LINE_HEAD: &str = "INSERT INTO bank_lines (import_id, position, account, statement, entry, booked_on, value_on, \
     amount_cents, currency, counterparty, counterparty_iban, remittance, end_to_end_id, mandate_id, is_return, \
     return_reason, charges_cents, code, state, customer_id, invoice_ids, matched_by, returns_line_id, note, version)";

fn line_row(import_id: i32, position: usize, l: StatementLine, m: Match) -> Vec<Value> {
    let invoices = m.invoices.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
    vec![
        import_id.into(),
        (position as i32).into(),
        cut(&l.account, 64).into(),
        cut(&l.statement, 100).into(),
        cut(&l.entry, 100).into(),
        l.booked_on.into(),
        l.value_on.into(),
        l.amount_cents.into(),
        cut(&l.currency, 3).into(),
        cut(&l.counterparty, 500).into(),
        cut(&l.counterparty_iban, 64).into(),
        cut(&l.remittance, 2_000).into(),
        cut(&l.end_to_end_id, 64).into(),
        cut(&l.mandate_id, 64).into(),
        l.is_return.into(),
        cut(&l.return_reason, 35).into(),
        l.charges_cents.into(),
        cut(&l.code, 64).into(),
        "preview".into(),
        m.customer_id.into(),
        invoices.into(),
        m.by.into(),
        m.returns_line.into(),
        "".into(),
        0i64.into(),
    ]
}

/// Entries whose key a file repeats (a bank's reused reference) are told apart by their
/// position, as the parsers do for a missing one: the key must name one entry.
fn unique_keys(mut lines: Vec<StatementLine>) -> Vec<StatementLine> {
    let mut seen = std::collections::HashSet::new();
    for (i, line) in lines.iter_mut().enumerate() {
        // As stored: the columns' widths first, so two long keys cannot meet in the table.
        line.account = cut(&line.account, 64);
        line.statement = cut(&line.statement, 100);
        line.entry = cut(&line.entry, 90);
        let key = (line.account.clone(), line.statement.clone(), line.entry.clone());
        if !seen.insert(key) {
            line.entry = format!("{}#{}", line.entry, i + 1);
            seen.insert((line.account.clone(), line.statement.clone(), line.entry.clone()));
        }
    }
    lines
}

/// Read `bytes` (a CAMT.053 or MT940 file) into an import in preview. Refused, storing nothing:
/// an empty, too large or unreadable file, one without entries or with too many.
pub async fn preview(db: &Db, by: &str, file_name: &str, bytes: &[u8]) -> AppResult<Previewed> {
    if bytes.is_empty() {
        return Err(refused("bank.file_empty"));
    }
    if bytes.len() > MAX_FILE_MB * 1024 * 1024 {
        return Err(AppError::Validation(vec![
            FieldError::new("file", "bank.file_too_large").with("max", MAX_FILE_MB.to_string()),
        ]));
    }
    let lines = super::parse(bytes).map_err(|e| {
        AppError::Validation(vec![
            FieldError::new("file", "bank.file_unreadable").with("reason", e.to_string()),
        ])
    })?;
    if lines.is_empty() {
        return Err(refused("bank.file_no_entries"));
    }
    if lines.len() > MAX_LINES {
        return Err(AppError::Validation(vec![
            FieldError::new("file", "bank.file_too_many").with("max", MAX_LINES.to_string()),
        ]));
    }
    let sha = hex::encode(Sha256::digest(bytes));
    let txn = crate::db::begin_write(db).await?;
    let waiting = txn
        .query_one_raw(stmt(
            &txn,
            "SELECT id FROM bank_imports WHERE file_sha256 = $1 AND state = 'preview' ORDER BY id LIMIT 1",
            vec![sha.clone().into()],
        ))
        .await?;
    if let Some(row) = waiting {
        return Ok(Previewed { import_id: row.try_get("", "id")?, lines: lines.len(), again: true });
    }
    let format = if super::decode(bytes).trim_start_matches('\u{feff}').trim_start().starts_with('<') {
        "camt053"
    } else {
        "mt940"
    };
    let name = cut(file_name.trim(), 255);
    let row = txn
        .query_one_raw(stmt(
            &txn,
            "INSERT INTO bank_imports (file_name, file_sha256, file_size, format, line_count, state, uploaded_by, \
             uploaded_at) VALUES ($1, $2, $3, $4, $5, 'preview', $6, $7) RETURNING id",
            vec![
                (if name.is_empty() { "statement".to_string() } else { name }).into(),
                sha.into(),
                (bytes.len() as i64).into(),
                format.into(),
                (lines.len() as i32).into(),
                cut(by, 100).into(),
                chrono::Utc::now().into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let import_id: i32 = row.try_get("", "id")?;
    let lines = unique_keys(lines);
    let matches = lookup::propose_all(&txn, &lines).await?;
    let count = lines.len();
    let rows = lines
        .into_iter()
        .zip(matches)
        .enumerate()
        .map(|(i, (line, m))| line_row(import_id, i + 1, line, m))
        .collect();
    bulk::insert(&txn, LINE_HEAD, "", rows).await?;
    // A return of a credit earlier in this same file.
    lookup::rematch_returns(&txn, import_id).await?;
    txn.commit().await?;
    Ok(Previewed { import_id, lines: count, again: false })
}

/// Discard an import still in preview: its lines go (nothing was booked from them).
pub async fn discard(db: &Db, by: &str, import_id: i32) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    // A booking cut short has booked some lines already: book the rest instead.
    let done = txn
        .execute_raw(stmt(
            &txn,
            "UPDATE bank_imports SET state = 'discarded', done_by = $2, done_at = $3 WHERE id = $1 AND state = 'preview' \
             AND NOT EXISTS (SELECT 1 FROM bank_lines WHERE import_id = $1 AND state NOT IN ('preview', 'duplicate'))",
            vec![import_id.into(), cut(by, 100).into(), chrono::Utc::now().into()],
        ))
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Validation(vec![FieldError::new("import", "bank.import_not_preview")]));
    }
    txn.execute_raw(stmt(
        &txn,
        "DELETE FROM bank_lines WHERE import_id = $1 AND state IN ('preview', 'duplicate')",
        vec![import_id.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}
