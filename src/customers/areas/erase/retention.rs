//! Blocked data and the daily retention job. Rows kept for a retention duty are listed in
//! `retention` with the last day they must be kept; once a day one app instance deletes what is
//! due. On PostgreSQL the run holds an advisory lock (other instances skip at once) and
//! `job_runs` lets it run once per calendar day; SQLite has one instance. The same run removes
//! sessions, login attempts and set-password links that ended more than a day ago.
use crate::customers::areas::registry::all_records as all;
use crate::db::{Db, is_sqlite, stmt};
use crate::error::AppResult;
use crate::records::registry::{CustomerRecords, Eraser, TableClaim};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use std::collections::BTreeMap;

const JOB: &str = "retention";
/// The advisory lock key of the retention job (any constant unique among our jobs).
pub const LOCK_KEY: i64 = 0x7265_7465_6e74;

/// The retention bookkeeping and erasure records in the customer-records registry. Both stay
/// when a customer is erased: they are what erasure leaves behind.
pub struct RetentionRecords;
pub const RECORDS: RetentionRecords = RetentionRecords;

const CLAIMS: &[TableClaim] =
    &[TableClaim::rows("retention", "customer_id"), TableClaim::rows("erasures", "customer_id")];

#[async_trait::async_trait]
impl CustomerRecords for RetentionRecords {
    fn area(&self) -> &'static str {
        "retention"
    }
    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }
    async fn erase(&self, _eraser: &mut Eraser<'_>) -> AppResult<()> {
        Ok(())
    }
}

/// What one call of the job did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobOutcome {
    /// Deleted this many rows whose period had ended.
    Ran { deleted: u64 },
    /// It already ran today (here or on another instance).
    AlreadyRan,
    /// Another instance is running it right now.
    Locked,
}

/// Delete every blocked row whose period ended before `today`, once per day.
pub async fn run_daily(db: &Db, today: NaiveDate) -> AppResult<JobOutcome> {
    let txn = crate::db::begin_write(db).await?;
    if !is_sqlite(&txn) {
        let row = txn
            .query_one_raw(stmt(&txn, "SELECT pg_try_advisory_xact_lock($1) AS got", vec![LOCK_KEY.into()]))
            .await?;
        if !row.map(|r| r.try_get::<bool>("", "got")).transpose()?.unwrap_or(false) {
            return Ok(JobOutcome::Locked);
        }
    }
    txn.execute_raw(stmt(
        &txn,
        "INSERT INTO job_runs (name, last_run_on, last_run_at, outcome) VALUES ($1, $2, $3, '') \
         ON CONFLICT (name) DO NOTHING",
        vec![JOB.into(), NaiveDate::from_ymd_opt(1970, 1, 1).into(), chrono::Utc::now().into()],
    ))
    .await?;
    let claimed = txn
        .execute_raw(stmt(
            &txn,
            "UPDATE job_runs SET last_run_on = $2, last_run_at = $3 WHERE name = $1 AND last_run_on < $2",
            vec![JOB.into(), today.into(), chrono::Utc::now().into()],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(JobOutcome::AlreadyRan);
    }
    crate::db::history::allow_rewrite(&txn, "retention").await?;
    let deleted = delete_due(&txn, today).await?;
    // Failed logins to the audit log come from anyone: they are kept for a while, not forever.
    let cutoff = chrono::Utc::now() - FAILED_LOGINS_KEPT;
    let sql = "DELETE FROM audit_log WHERE action = 'staff_login_failed' AND at < $1";
    let purged_failures = txn.execute_raw(stmt(&txn, sql, vec![cutoff.into()])).await?.rows_affected();
    crate::db::history::end_rewrite(&txn).await?;
    let purged = purge_expired(&txn, chrono::Utc::now()).await? + purged_failures;
    let offers = crate::customers::areas::products::transfers::expire_due(&txn, chrono::Utc::now()).await?;
    let files = crate::customers::areas::files::service::expire_due(&txn, today).await?;
    let checks = crate::customers::areas::products::hosting::queue_checks(&txn, today).await?;
    let domains = crate::customers::areas::domains::lifecycle::run(&txn, today).await?;
    txn.execute_raw(stmt(
        &txn,
        "UPDATE job_runs SET outcome = $2 WHERE name = $1",
        vec![
            JOB.into(),
            format!(
                "deleted {deleted}, purged {purged}, offers expired {offers}, files expired {files}, \
                 hostings to check {checks}, domain renewals {}, domains expired {}, in redemption {}",
                domains.renewals_queued, domains.expired, domains.redemption
            )
            .into(),
        ],
    ))
    .await?;
    txn.commit().await?;
    Ok(JobOutcome::Ran { deleted })
}

/// How long the audit log keeps failed staff logins.
pub const FAILED_LOGINS_KEPT: chrono::Duration = chrono::Duration::days(90);

/// How long ended sessions, login attempts and set-password links stay before the daily job
/// removes them: a day, for looking into what just happened (a session's idle timeout is at
/// most a day too).
pub const EXPIRED_KEPT: chrono::Duration = chrono::Duration::days(1);

/// Remove sessions, login attempts and set-password links that ended more than a day ago;
/// returns how many rows went.
pub async fn purge_expired<C: ConnectionTrait>(
    txn: &C,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<u64> {
    let before = now - EXPIRED_KEPT;
    let mut purged = 0;
    for (sql, values) in [
        ("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2", vec![now.into(), before.into()]),
        ("DELETE FROM login_attempts WHERE at < $1", vec![before.into()]),
        ("DELETE FROM password_resets WHERE expires_at < $1", vec![before.into()]),
    ] {
        purged += txn.execute_raw(stmt(txn, sql, values)).await?.rows_affected();
    }
    Ok(purged)
}

async fn delete_due<C: ConnectionTrait>(txn: &C, today: NaiveDate) -> AppResult<u64> {
    let due = txn
        .query_all_raw(stmt(
            txn,
            "SELECT id, table_name, row_id FROM retention WHERE blocked_until < $1",
            vec![today.into()],
        ))
        .await?;
    let mut by_table: BTreeMap<String, Vec<(i32, i32)>> = BTreeMap::new();
    for r in due {
        let table: String = r.try_get("", "table_name")?;
        by_table.entry(table).or_default().push((r.try_get("", "id")?, r.try_get("", "row_id")?));
    }
    // Only tables an area claims can be named here (the name goes into SQL).
    let known: Vec<&str> = all().iter().flat_map(|a| a.claims().iter().map(|c| c.table)).collect();
    let mut deleted = 0;
    for (table, rows) in by_table {
        let Some(table) = known.iter().find(|t| **t == table) else {
            tracing::warn!(table, "retention row names an unknown table; left alone");
            continue;
        };
        for chunk in rows.chunks(500) {
            let list = |f: fn(&(i32, i32)) -> i32| {
                chunk.iter().map(|r| f(r).to_string()).collect::<Vec<_>>().join(",")
            };
            let sql = format!("DELETE FROM {table} WHERE id IN ({})", list(|r| r.1));
            deleted += txn.execute_unprepared(&sql).await?.rows_affected();
            txn.execute_unprepared(&format!("DELETE FROM retention WHERE id IN ({})", list(|r| r.0))).await?;
        }
    }
    Ok(deleted)
}

/// The in-process scheduler: tries every hour; the job itself makes sure it runs once a day.
pub fn spawn(db: Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let today = crate::customers::service::business_day();
            match run_daily(&db, today).await {
                Ok(JobOutcome::Ran { deleted }) => tracing::info!(deleted, "retention job ran"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "retention job failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    })
}
