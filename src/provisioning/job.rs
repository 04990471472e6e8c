//! The job table's state machine. A job is taken by one conditional UPDATE that counts the
//! attempt and sets a lease; every later write of the worker names that attempt (the fence), so a
//! worker whose lease ran out and whose job another took changes nothing. Steps a job recorded
//! are skipped by later attempts. Hosting jobs and domain jobs each have their table (`Queue`)
//! and share this machinery.
use super::JobStatus;
use crate::db::entities::provisioning_job;
use crate::db::stmt;
use crate::error::AppResult;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, FromQueryResult};

/// A job table, its log and the column naming what the jobs work on. Only these constants are
/// ever spliced into SQL.
#[derive(Debug)]
pub struct Queue {
    pub jobs: &'static str,
    pub log: &'static str,
    pub subject: &'static str,
}

/// Hosting jobs (the provisioning modules).
pub const HOSTINGS: Queue =
    Queue { jobs: "provisioning_jobs", log: "provisioning_log", subject: "hosting_id" };
/// Domain jobs (the registrar modules).
pub const DOMAINS: Queue = Queue { jobs: "domain_jobs", log: "domain_log", subject: "domain_id" };

/// How long a worker holds a job it took without recording a step; longer than a module call may
/// take (the worker gives each action at most `RUN_LIMIT`).
pub const LEASE: Duration = Duration::minutes(5);
/// The longest one attempt may run.
pub const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(240);
/// Attempts before a job fails for good.
pub const MAX_ATTEMPTS: i32 = 5;

pub fn steps_of(stored: &str) -> Vec<String> {
    stored.split(',').filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The wait before attempt `attempts + 1`: 30 s doubling up to 30 minutes, ±20 % so that jobs
/// failing together do not retry together.
pub fn backoff(attempts: i32, jitter: f64) -> Duration {
    let base = 30i64 << (attempts.clamp(1, 16) - 1);
    let secs = base.min(30 * 60) as f64 * (1.0 + 0.2 * jitter.clamp(-1.0, 1.0));
    Duration::milliseconds((secs * 1000.0) as i64)
}

pub struct NewJob<'a> {
    pub hosting_id: i32,
    pub customer_id: i32,
    pub action: super::JobAction,
    /// Unique per request, e.g. `hosting:7:suspend:3` (the hosting's version): a request sent twice
    /// queues one job.
    pub idempotency_key: String,
    pub reason: &'a str,
    pub requested_by: (&'static str, Option<i32>),
}

/// Queue a job in the caller's transaction. The unique index on open jobs refuses a second one
/// for the same hosting (the caller checks first and says so).
pub async fn enqueue<C: ConnectionTrait>(db: &C, job: NewJob<'_>) -> AppResult<provisioning_job::Model> {
    let now = Utc::now();
    Ok(provisioning_job::ActiveModel {
        hosting_id: Set(job.hosting_id),
        customer_id: Set(job.customer_id),
        action: Set(job.action.as_str().into()),
        status: Set(JobStatus::Queued.as_str().into()),
        attempts: Set(0),
        max_attempts: Set(MAX_ATTEMPTS),
        run_after: Set(now),
        lease_until: Set(None),
        steps_done: Set(String::new()),
        idempotency_key: Set(job.idempotency_key),
        reason: Set(job.reason.chars().take(500).collect()),
        requested_by_kind: Set(job.requested_by.0.into()),
        requested_by_id: Set(job.requested_by.1),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        last_error: Set(String::new()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Take the job due first: queued and due, or running with its lease run out (its worker died).
/// A job taken more often than it may run (`attempts > max_attempts`) is returned too: the
/// caller fails it as interrupted, with what that means for its hosting.
pub async fn claim_next_at<C: ConnectionTrait, M: FromQueryResult>(
    db: &C,
    queue: &Queue,
    now: DateTime<Utc>,
) -> AppResult<Option<M>> {
    let pick = format!(
        "SELECT id FROM {} WHERE (status = 'queued' AND run_after <= $1) OR (status = 'running' AND lease_until < $1) \
         ORDER BY run_after, id LIMIT 1",
        queue.jobs
    );
    let take = format!(
        "UPDATE {} SET status = 'running', attempts = attempts + 1, lease_until = $2, \
         started_at = COALESCE(started_at, $3) \
         WHERE id = $1 AND ((status = 'queued' AND run_after <= $3) OR (status = 'running' AND lease_until < $3)) \
         RETURNING *",
        queue.jobs
    );
    loop {
        let candidate = db.query_one_raw(stmt(db, &pick, vec![now.into()])).await?;
        let Some(candidate) = candidate else { return Ok(None) };
        let id: i32 = candidate.try_get("", "id")?;
        let claimed =
            db.query_one_raw(stmt(db, &take, vec![id.into(), (now + LEASE).into(), now.into()])).await?;
        // None: another worker took it first; look again.
        let Some(row) = claimed else { continue };
        return Ok(Some(M::from_query_result(&row, "")?));
    }
}

/// A worker's hold on a job: the attempt it took.
#[derive(Clone, Copy, Debug)]
pub struct Take {
    pub id: i32,
    pub attempt: i32,
}

impl From<&provisioning_job::Model> for Take {
    fn from(job: &provisioning_job::Model) -> Take {
        Take { id: job.id, attempt: job.attempts }
    }
}

/// Record the steps done so far and renew the lease; false when the job is no longer this
/// attempt's.
pub async fn record_step<C: ConnectionTrait>(
    db: &C,
    queue: &Queue,
    id: i32,
    attempt: i32,
    steps: &str,
) -> AppResult<bool> {
    let sql = format!(
        "UPDATE {} SET steps_done = $3, lease_until = $4 WHERE id = $1 AND attempts = $2 AND status = 'running'",
        queue.jobs
    );
    let values = vec![id.into(), attempt.into(), steps.into(), (Utc::now() + LEASE).into()];
    let done = db.execute_raw(stmt(db, &sql, values)).await?;
    Ok(done.rows_affected() == 1)
}

/// End this attempt: done, failed, or queued again (`Queued`, after the backoff). False when the
/// job is no longer this attempt's. `error` must be redacted already.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    queue: &Queue,
    take: Take,
    status: JobStatus,
    error: &str,
) -> AppResult<bool> {
    let now = Utc::now();
    let (run_after, finished) = match status {
        JobStatus::Queued => (now + backoff(take.attempt, rand::random::<f64>() * 2.0 - 1.0), None),
        _ => (now, Some(now)),
    };
    let sql = format!(
        "UPDATE {} SET status = $3, run_after = $4, finished_at = $5, lease_until = NULL, \
         last_error = $6 WHERE id = $1 AND attempts = $2 AND status = 'running'",
        queue.jobs
    );
    let done = db
        .execute_raw(stmt(
            db,
            &sql,
            vec![
                take.id.into(),
                take.attempt.into(),
                status.as_str().into(),
                run_after.into(),
                finished.into(),
                error.chars().take(500).collect::<String>().into(),
            ],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct LogLine<'a> {
    pub job_id: i32,
    /// The hosting or domain.
    pub subject_id: i32,
    pub customer_id: i32,
    pub attempt: i32,
    pub step: &'a str,
    pub level: &'a str,
    /// Redacted by the caller.
    pub message: &'a str,
}

pub async fn append_log<C: ConnectionTrait>(db: &C, queue: &Queue, line: LogLine<'_>) -> AppResult<()> {
    let sql = format!(
        "INSERT INTO {} (job_id, {}, customer_id, at, attempt, step, level, message) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        queue.log, queue.subject
    );
    let values = vec![
        line.job_id.into(),
        line.subject_id.into(),
        line.customer_id.into(),
        Utc::now().into(),
        line.attempt.into(),
        line.step.chars().take(40).collect::<String>().into(),
        line.level.into(),
        line.message.chars().take(1000).collect::<String>().into(),
    ];
    db.execute_raw(stmt(db, &sql, values)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_30_seconds_to_30_minutes_with_a_fifth_either_way() {
        assert_eq!(backoff(1, 0.0), Duration::seconds(30));
        assert_eq!(backoff(2, 0.0), Duration::seconds(60));
        assert_eq!(backoff(3, 0.0), Duration::seconds(120));
        assert_eq!(backoff(7, 0.0), Duration::seconds(30 * 60));
        assert_eq!(backoff(12, 0.0), Duration::seconds(30 * 60));
        assert_eq!(backoff(1, 1.0), Duration::seconds(36));
        assert_eq!(backoff(1, -1.0), Duration::seconds(24));
    }

    #[test]
    fn steps_are_read_back_in_order() {
        assert_eq!(steps_of(""), Vec::<String>::new());
        assert_eq!(steps_of("database,user"), vec!["database".to_string(), "user".to_string()]);
    }
}
