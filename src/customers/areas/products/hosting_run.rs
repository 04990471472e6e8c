//! Runs provisioning jobs: takes one (lease), hands it to its module with the account, and
//! records the outcome. Success changes the hosting's status in the same transaction as the job
//! (fenced: a worker that lost the job changes nothing), with the Verlauf and the Log; a
//! transient error queues it again after a backoff; a permanent one or the last attempt fails it.
use super::hosting::ENTITY;
use super::hosting_model::{HostingStatus, JobAction, JobStatus};
use crate::customers::areas::history::service::{FieldChange, record_changes};
use crate::db::Db;
use crate::db::entities::{hosting, hosting_package, provisioning_job, server};
use crate::error::{AppError, AppResult};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::provisioning::job::{HOSTINGS, RUN_LIMIT, Take, claim_next_at, finish};
use crate::provisioning::{Account, JobCtx, Modules, ProvError, ServerConf};
use crate::write::Ctx;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How many jobs one instance runs at once: a slow server does not hold up every other one.
pub const SLOTS: usize = 2;

/// Test hooks (the time the worker sees, a step after which the attempt stops as if killed), and
/// whom to tell when a job was taken.
#[derive(Clone, Debug, Default)]
pub struct RunOpts {
    pub now: Option<DateTime<Utc>>,
    pub stop_after_step: Option<String>,
    /// Woken once a job is taken, so an idle slot looks for the next one at once.
    pub taken: Option<Arc<Notify>>,
}

/// What one round did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ran {
    /// The job ended with this status (Queued: to be retried).
    Job { id: i32, customer_id: i32, status: JobStatus },
    /// The attempt stopped without a trace (fenced, or the test hook).
    Stopped { id: i32 },
}

/// Take and run the next due job; None when none is due.
pub async fn run_one(ctx: &Ctx, modules: &Modules, opts: &RunOpts) -> AppResult<Option<Ran>> {
    let db = &ctx.db;
    let now = opts.now.unwrap_or_else(Utc::now);
    let Some(job) = claim_next_at::<_, provisioning_job::Model>(db, &HOSTINGS, now).await? else {
        return Ok(None);
    };
    if let Some(taken) = &opts.taken {
        taken.notify_one();
    }
    let take = Take::from(&job);
    let action = JobAction::parse(&job.action).unwrap_or_default();
    if job.attempts > job.max_attempts {
        let message = "interrupted too often (the worker stopped while running it)";
        return Ok(Some(
            end(ctx, &job, take, action, Err(ProvError::Permanent(message.into())), message).await?,
        ));
    }
    let loaded = load(db, &job).await;
    let (module, conf, account) = match loaded {
        Ok(parts) => parts,
        Err(message) => {
            return Ok(Some(
                end(ctx, &job, take, action, Err(ProvError::Permanent(message.clone())), &message).await?,
            ));
        }
    };
    let Some(module) = modules.get(&module) else {
        let message = format!("no module {module:?} here");
        return Ok(Some(
            end(ctx, &job, take, action, Err(ProvError::Permanent(message.clone())), &message).await?,
        ));
    };
    let j = JobCtx::new(
        db.clone(),
        &HOSTINGS,
        (&job).into(),
        conf,
        &[&account.password],
        opts.stop_after_step.clone(),
    );
    j.log(action.as_str(), &format!("attempt {} of {}", job.attempts, job.max_attempts)).await;
    let call = async {
        match action {
            JobAction::Create => module.create(&j, &account).await,
            JobAction::Suspend => module.suspend(&j, &account, &job.reason).await.map(|_| String::new()),
            JobAction::Unsuspend => module.unsuspend(&j, &account).await.map(|_| String::new()),
            JobAction::Terminate => module.terminate(&j, &account).await.map(|_| String::new()),
            JobAction::Check => {
                let remote = module.status(&j, &account).await?;
                j.log("check", &format!("the server reports {remote:?}")).await;
                Ok(remote.word().to_string())
            }
        }
    };
    let result = match tokio::time::timeout(RUN_LIMIT, call).await {
        Ok(result) => result,
        Err(_) => Err(ProvError::Transient("timed out".into())),
    };
    match &result {
        Err(ProvError::Fenced | ProvError::Stopped) => return Ok(Some(Ran::Stopped { id: job.id })),
        Err(e) => j.log_error(action.as_str(), &e.to_string()).await,
        Ok(_) => j.log(action.as_str(), "finished").await,
    }
    let redacted = match &result {
        Err(e) => j.redact(&e.to_string()),
        Ok(_) => String::new(),
    };
    Ok(Some(end(ctx, &job, take, action, result, &redacted).await?))
}

/// The hosting, its module's name, the server and the account of a job; a message when they
/// cannot be read (a broken secret, a server removed).
async fn load(db: &Db, job: &provisioning_job::Model) -> Result<(String, ServerConf, Account), String> {
    let fail = |_| "the hosting's data could not be read".to_string();
    let row = hosting::Entity::find_by_id(job.hosting_id).one(db).await.map_err(fail)?.ok_or("no hosting")?;
    let server = server::Entity::find_by_id(row.server_id).one(db).await.map_err(fail)?.ok_or("no server")?;
    let package = hosting_package::Entity::find_by_id(row.package_id)
        .one(db)
        .await
        .map_err(fail)?
        .ok_or("no package")?;
    let conf = ServerConf::from_stored(
        server.id,
        &server.host,
        server.port,
        &server.username,
        &server.secret,
        &server.settings,
    )?;
    let customer = crate::db::entities::customer::Entity::find_by_id(row.customer_id)
        .one(db)
        .await
        .map_err(fail)?
        .ok_or("no customer")?;
    let account = Account {
        nameservers: crate::customers::service::convert::nameserver_list(&customer.own_nameservers),
        glue: crate::customers::validate::glue(&customer.own_nameserver_glue).unwrap_or_default(),
        hosting_id: row.id,
        username: row.username.clone(),
        domain: row.domain.clone(),
        password: crate::provisioning::open_secret(&row.secret)?,
        package: serde_json::from_str(&package.settings).unwrap_or(serde_json::Value::Null),
    };
    Ok((server.module, conf, account))
}

/// Record how the attempt ended. Success and failure change the hosting in the job's own
/// transaction under the customer's lock; a retry only requeues the job.
async fn end(
    ctx: &Ctx,
    job: &provisioning_job::Model,
    take: Take,
    action: JobAction,
    result: Result<String, ProvError>,
    error: &str,
) -> AppResult<Ran> {
    let last = job.attempts >= job.max_attempts;
    let status = match &result {
        Ok(_) => JobStatus::Done,
        Err(ProvError::Transient(_)) if !last => JobStatus::Queued,
        Err(_) => JobStatus::Failed,
    };
    let ran = Ran::Job { id: job.id, customer_id: job.customer_id, status };
    if status == JobStatus::Queued {
        let held = finish(&ctx.db, &HOSTINGS, take, status, error).await?;
        return Ok(if held { ran } else { Ran::Stopped { id: job.id } });
    }
    let mut change = ctx.begin(job.customer_id).await?;
    let txn = &change.txn;
    if !finish(txn, &HOSTINGS, take, status, error).await? {
        // Another worker holds the job now: this attempt records nothing.
        return Ok(Ran::Stopped { id: job.id });
    }
    if action == JobAction::Check {
        // A check changes nothing but what the hosting says the server reported; one that
        // could not ask leaves the last answer as it was (its job shows the error).
        if let Ok(word) = &result {
            let row =
                hosting::Entity::find_by_id(job.hosting_id).one(txn).await?.ok_or(AppError::NotFound)?;
            let mut am = row.into_active_model();
            am.remote_state = Set(word.clone());
            am.checked_at = Set(Some(Utc::now()));
            am.update(txn).await?;
        }
        change.touched(super::AREA.slug);
        change.commit().await?;
        return Ok(ran);
    }
    let row = hosting::Entity::find_by_id(job.hosting_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let old = row.status.clone();
    let old_reason = row.suspend_reason.clone();
    let now = Utc::now();
    let mut am = row.clone().into_active_model();
    let (new_status, kind) = match (&result, action) {
        (Ok(reference), JobAction::Create) => {
            am.external_ref = Set(reference.chars().take(200).collect());
            (HostingStatus::Active, "hosting_provisioned")
        }
        (Ok(_), JobAction::Suspend) => {
            am.suspend_reason = Set(job.reason.clone());
            am.suspended_at = Set(Some(now));
            (HostingStatus::Suspended, "hosting_suspended")
        }
        (Ok(_), JobAction::Unsuspend) => {
            am.suspend_reason = Set(String::new());
            am.suspended_at = Set(None);
            (HostingStatus::Active, "hosting_unsuspended")
        }
        (Ok(_), JobAction::Terminate) => {
            am.terminated_at = Set(Some(now));
            (HostingStatus::Terminated, "hosting_terminated")
        }
        // Ended above.
        (Ok(_), JobAction::Check) => {
            (HostingStatus::parse(&row.status).unwrap_or_default(), "hosting_failed")
        }
        // A create that failed leaves no usable account; other actions leave the status as it
        // was (the warnings row names the failed job).
        (Err(_), JobAction::Create) => (HostingStatus::Failed, "hosting_failed"),
        (Err(_), _) => (HostingStatus::parse(&row.status).unwrap_or_default(), "hosting_failed"),
    };
    am.status = Set(new_status.as_str().into());
    am.version = Set(row.version + 1);
    am.updated_at = Set(now);
    am.updated_by = Set(None);
    am.update(txn).await?;
    let mut changes = Vec::new();
    if old != new_status.as_str() {
        changes.push(FieldChange { field: "status".into(), old, new: new_status.as_str().into() });
    }
    // Only a done suspension or unsuspension changes the reason.
    let reason = match (&result, action) {
        (Ok(_), JobAction::Suspend) => job.reason.clone(),
        (Ok(_), JobAction::Unsuspend) => String::new(),
        _ => old_reason.clone(),
    };
    if reason != old_reason {
        changes.push(FieldChange { field: "suspend_reason".into(), old: old_reason, new: reason });
    }
    record_changes(txn, job.customer_id, ENTITY, job.hosting_id, Actor::System, &changes, None).await?;
    let payload = serde_json::json!({
        "action": action.as_str(),
        "username": row.username,
        "domain": row.domain,
        "reason": job.reason,
        "error": error,
    });
    record(txn, NewEvent::new(job.customer_id, kind, Actor::System, payload.to_string())).await?;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(ran)
}

/// Run due jobs until none is left; the customers whose panels changed are told by each commit.
pub async fn drain(ctx: &Ctx, modules: &Modules) -> AppResult<Vec<Ran>> {
    drain_with(ctx, modules, &RunOpts::default()).await
}

async fn drain_with(ctx: &Ctx, modules: &Modules, opts: &RunOpts) -> AppResult<Vec<Ran>> {
    let mut ran = Vec::new();
    while let Some(r) = run_one(ctx, modules, opts).await? {
        // A requeued job is not due again at once: the loop ends when nothing is due.
        if let Ran::Job { customer_id, status: JobStatus::Queued, .. } = r
            && let Some(live) = ctx.live()
        {
            live.publish(crate::live::LiveEvent::new(customer_id, super::AREA.slug, "")).await;
        }
        ran.push(r);
    }
    Ok(ran)
}

/// The worker: `slots` loops that each take one job at a time (the claim is atomic, so two never
/// take the same one). A loop wakes when a job is queued here, when another loop took one (there
/// may be a next), and every five seconds anyway (jobs queued by another instance, retries
/// coming due, leases running out). Aborting the handle stops every loop.
pub fn spawn(ctx: Ctx, wake: Arc<Notify>, modules: Modules, slots: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut loops = tokio::task::JoinSet::new();
        for _ in 0..slots.max(1) {
            let (ctx, wake, modules) = (ctx.clone(), wake.clone(), modules.clone());
            loops.spawn(async move {
                let opts = RunOpts { taken: Some(wake.clone()), ..Default::default() };
                loop {
                    if let Err(e) = drain_with(&ctx, &modules, &opts).await {
                        tracing::error!(error = %e, "provisioning worker");
                    }
                    let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
                }
            });
        }
        while loops.join_next().await.is_some() {}
    })
}
