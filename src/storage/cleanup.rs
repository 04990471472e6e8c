//! Objects to delete: a row change that orphans an object (a file deleted, expired or erased)
//! lists its key here in the same transaction, and an upload lists its key before the first
//! byte is stored (due a day later, in case its row is never written). A worker deletes what is
//! due, then the entry; an object already gone counts as deleted.
use super::Store;
use crate::db::{Db, stmt};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};
use std::time::Duration;

/// How often the worker looks for due objects.
pub const EVERY: Duration = Duration::from_secs(10 * 60);
/// How long an upload may take before its object counts as abandoned.
pub const UPLOAD_GRACE: chrono::Duration = chrono::Duration::days(1);

/// List `key` for deletion at `due` (`reason`: upload | deleted); a key listed already takes the
/// new date.
pub async fn schedule<C: ConnectionTrait>(
    db: &C,
    key: &str,
    due: DateTime<Utc>,
    reason: &str,
) -> AppResult<()> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO object_cleanup (storage_key, due_at, reason) VALUES ($1, $2, $3) \
         ON CONFLICT (storage_key) DO UPDATE SET due_at = excluded.due_at, reason = excluded.reason",
        vec![key.into(), due.into(), reason.into()],
    ))
    .await?;
    Ok(())
}

/// List for deletion at `now` the objects of the rows `condition` selects from `customer_files`
/// (`$1` is `now`; `$2` … are bound from `values`).
pub async fn schedule_files<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    condition: &str,
    values: Vec<Value>,
) -> AppResult<u64> {
    let sql = format!(
        "INSERT INTO object_cleanup (storage_key, due_at, reason) \
         SELECT storage_key, $1, 'deleted' FROM customer_files WHERE {condition} \
         ON CONFLICT (storage_key) DO UPDATE SET due_at = excluded.due_at, reason = excluded.reason"
    );
    let mut all = vec![now.into()];
    all.extend(values);
    Ok(db.execute_raw(stmt(db, &sql, all)).await?.rows_affected())
}

/// Take `key` off the list: its row was written.
pub async fn keep<C: ConnectionTrait>(db: &C, key: &str) -> AppResult<()> {
    db.execute_raw(stmt(db, "DELETE FROM object_cleanup WHERE storage_key = $1", vec![key.into()])).await?;
    Ok(())
}

/// Delete the objects due by `now`, at most `limit`; the number deleted. An object the store
/// cannot delete now stays listed for the next round.
pub async fn run_due(db: &Db, store: &Store, now: DateTime<Utc>, limit: u64) -> AppResult<u64> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT storage_key FROM object_cleanup WHERE due_at <= $1 ORDER BY due_at LIMIT $2",
            vec![now.into(), (limit as i64).into()],
        ))
        .await?;
    let mut deleted = 0;
    for row in rows {
        let key: String = row.try_get("", "storage_key")?;
        match store.delete(&key).await {
            Ok(()) => {
                // Only if still due: a key taken back meanwhile (`keep`) is left alone.
                db.execute_raw(stmt(
                    db,
                    "DELETE FROM object_cleanup WHERE storage_key = $1 AND due_at <= $2",
                    vec![key.clone().into(), now.into()],
                ))
                .await?;
                deleted += 1;
            }
            Err(e) => {
                tracing::warn!(key = %key, error = %e, "could not delete a stored object; retrying later")
            }
        }
    }
    Ok(deleted)
}

/// The worker: a round now and every `EVERY`, and when woken.
pub fn spawn(
    db: Db,
    store: Store,
    wakeup: std::sync::Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            loop {
                match run_due(&db, &store, Utc::now(), 500).await {
                    Ok(500) => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "object clean-up");
                        break;
                    }
                }
            }
            let _ = tokio::time::timeout(EVERY, wakeup.notified()).await;
        }
    })
}
