//! Registrar jobs: queued in the transaction that asks for them (one open job per domain, a
//! unique index), taken under a lease by the worker, handed to the domain's registrar module, and
//! their outcome written to the domain in the same transaction as the job's end (fenced: a worker
//! that lost the job changes nothing), with the Log. A transient error queues the job again
//! after a backoff; a permanent one, or the last attempt, puts the domain in error with the
//! registry's own words.
use super::model::{DomainJobAction, DomainStatus};
use crate::db::entities::{domain, domain_job, registrar};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::provisioning::job::{DOMAINS, MAX_ATTEMPTS, RUN_LIMIT, Take, claim_next_at, finish};
use crate::provisioning::registrar::{Handles, Registrars, Registration, RegistryState, Transfer};
use crate::provisioning::{JobCtx, JobRef, JobStatus, ProvError, ServerConf, open_secret};
use crate::write::Ctx;
use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Queue `action` for the domain in the caller's transaction; `years` for register, transfer,
/// renew. A second open job for the domain is refused (the index decides under a race).
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    d: &domain::Model,
    action: DomainJobAction,
    years: u8,
    by: Actor,
) -> AppResult<i32> {
    let now = Utc::now();
    let (kind, id, _) = by.columns();
    let inserted = domain_job::ActiveModel {
        domain_id: Set(d.id),
        customer_id: Set(d.customer_id),
        action: Set(action.as_str().into()),
        params: Set(serde_json::json!({ "years": years }).to_string()),
        status: Set(JobStatus::Queued.as_str().into()),
        attempts: Set(0),
        max_attempts: Set(MAX_ATTEMPTS),
        run_after: Set(now),
        lease_until: Set(None),
        steps_done: Set(String::new()),
        idempotency_key: Set(format!("domain:{}:{}:{}", d.id, action.as_str(), d.version)),
        requested_by_kind: Set(kind.into()),
        requested_by_id: Set(id),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        last_error: Set(String::new()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(job) => Ok(job.id),
        Err(e) if crate::db::is_unique_violation(&e) => {
            Err(AppError::Validation(vec![FieldError::new("domain", "domain.job_open")]))
        }
        Err(e) => Err(e.into()),
    }
}

/// What one round did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ran {
    Job { id: i32, customer_id: i32, status: JobStatus },
    Stopped { id: i32 },
}

/// What the registry's answer means for the domain.
enum Outcome {
    /// Ours at the registry (registered, transferred in, renewed, or found so by a sync).
    Held(RegistryState),
    TransferPending,
    /// A sync found it held by another registrar.
    GoneAway,
    Deleted,
}

/// Take and run the next due domain job; None when none is due.
pub async fn run_one(
    ctx: &Ctx,
    registrars: &Registrars,
    now: Option<DateTime<Utc>>,
) -> AppResult<Option<Ran>> {
    let db = &ctx.db;
    let now = now.unwrap_or_else(Utc::now);
    let Some(job) = claim_next_at::<_, domain_job::Model>(db, &DOMAINS, now).await? else { return Ok(None) };
    let take = Take { id: job.id, attempt: job.attempts };
    let action = DomainJobAction::parse(&job.action).unwrap_or_default();
    let fail = |message: String| Err::<Outcome, ProvError>(ProvError::Permanent(message));
    if job.attempts > job.max_attempts {
        let r = fail("interrupted too often (the worker stopped while running it)".into());
        return Ok(Some(end(ctx, &job, take, action, r).await?));
    }
    let d = match domain::Entity::find_by_id(job.domain_id).one(db).await? {
        Some(d) => d,
        None => return Ok(Some(end(ctx, &job, take, action, fail("the domain is gone".into())).await?)),
    };
    let reg = match d.registrar_id {
        Some(id) => registrar::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let Some(reg) = reg else {
        return Ok(Some(end(ctx, &job, take, action, fail("the domain has no registrar".into())).await?));
    };
    let conf =
        ServerConf::from_stored(reg.id, &reg.host, reg.port, &reg.username, &reg.secret, &reg.settings);
    let (conf, module) = match (conf, registrars.get(&reg.module)) {
        (Ok(conf), Some(module)) if module.automatic() => (conf, module),
        (Err(message), _) => return Ok(Some(end(ctx, &job, take, action, fail(message)).await?)),
        _ => {
            let message = format!("the registrar module {:?} does not run jobs here", reg.module);
            return Ok(Some(end(ctx, &job, take, action, fail(message)).await?));
        }
    };
    let codes = match (open_secret(&d.authcode), open_secret(&d.transfer_authcode)) {
        (Ok(own), Ok(transfer)) => (own, transfer),
        (Err(m), _) | (_, Err(m)) => return Ok(Some(end(ctx, &job, take, action, fail(m)).await?)),
    };
    let years = serde_json::from_str::<serde_json::Value>(&job.params)
        .ok()
        .and_then(|p| p.get("years").and_then(|y| y.as_u64()))
        .unwrap_or(1)
        .clamp(1, 10) as u8;
    let job_ref = JobRef {
        id: job.id,
        attempt: job.attempts,
        subject_id: d.id,
        customer_id: d.customer_id,
        steps_done: &job.steps_done,
    };
    let j = JobCtx::new(db.clone(), &DOMAINS, job_ref, conf, &[&codes.0, &codes.1], None);
    j.log(action.as_str(), &format!("attempt {} of {} for {}", job.attempts, job.max_attempts, d.ace_name))
        .await;
    let call = async {
        match action {
            DomainJobAction::Register => {
                let r = Registration {
                    name: d.ace_name.clone(),
                    years,
                    nameservers: super::service::hosts(&d.nameservers),
                    handles: Handles {
                        owner: d.owner_handle.clone(),
                        admin: d.admin_handle.clone(),
                        tech: d.tech_handle.clone(),
                        zone: d.zone_handle.clone(),
                    },
                    auth_code: codes.0.clone(),
                };
                module.register(&j, &r).await.map(Outcome::Held)
            }
            // The code the domain came with is known to its former registrar and owner: once
            // it is ours, it gets our own (idempotent, so a retry sets the same one).
            DomainJobAction::Transfer => match module.transfer(&j, &d.ace_name, &codes.1, years).await? {
                Transfer::Done(state) => {
                    module.set_auth_code(&j, &d.ace_name, &codes.0).await?;
                    Ok(Outcome::Held(state))
                }
                Transfer::Pending => Ok(Outcome::TransferPending),
            },
            DomainJobAction::Renew => {
                let Some(current) = d.registry_expires_at.map(|t| t.date_naive()) else {
                    return Err(ProvError::Permanent("the registry keeps no term for this domain".into()));
                };
                module.renew(&j, &d.ace_name, current, years).await.map(Outcome::Held)
            }
            DomainJobAction::Sync => match module.info(&j, &d.ace_name).await? {
                // A transfer that was pending has come through since.
                Some(state) if state.ours && d.status == DomainStatus::TransferPending.as_str() => {
                    module.set_auth_code(&j, &d.ace_name, &codes.0).await?;
                    Ok(Outcome::Held(state))
                }
                Some(state) if state.ours => Ok(Outcome::Held(state)),
                Some(_) => Ok(Outcome::GoneAway),
                None => Err(ProvError::Permanent("2303 Object does not exist".into())),
            },
            DomainJobAction::Delete => module.delete(&j, &d.ace_name).await.map(|()| Outcome::Deleted),
            DomainJobAction::Update => {
                let missing = || ProvError::Permanent("2303 Object does not exist".into());
                let state = module.info(&j, &d.ace_name).await?.ok_or_else(missing)?;
                let want = super::service::hosts(&d.nameservers);
                let has = |list: &[String], h: &String| list.iter().any(|x| x.eq_ignore_ascii_case(h));
                let add: Vec<String> = want.iter().filter(|h| !has(&state.nameservers, h)).cloned().collect();
                let remove: Vec<String> =
                    state.nameservers.iter().filter(|h| !has(&want, h)).cloned().collect();
                // No nameservers of its own: the registry's stay (the provider's defaults).
                let differs = !add.is_empty() || !remove.is_empty();
                if !want.is_empty() && differs {
                    module.update_nameservers(&j, &d.ace_name, &add, &remove).await?;
                }
                let contact = |kind: &str| {
                    state
                        .contacts
                        .iter()
                        .find(|(t, _)| t == kind)
                        .map(|(_, id)| id.clone())
                        .unwrap_or_default()
                };
                let before = Handles { admin: contact("admin"), tech: contact("tech"), ..Default::default() };
                let after = Handles { tech: d.tech_handle.clone(), ..before.clone() };
                if !d.tech_handle.is_empty() && before != after {
                    module.update_handles(&j, &d.ace_name, &before, &after).await?;
                }
                module.info(&j, &d.ace_name).await?.ok_or_else(missing).map(Outcome::Held)
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
    let result = result.map_err(|e| match e {
        ProvError::Transient(m) => ProvError::Transient(j.redact(&m)),
        ProvError::Permanent(m) => ProvError::Permanent(j.redact(&m)),
        other => other,
    });
    Ok(Some(end(ctx, &job, take, action, result).await?))
}

/// Noon UTC keeps the registry's day the same in Germany.
fn at_noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).map(|t| t.and_utc()).unwrap_or_default()
}

/// End the attempt and write what it means for the domain, in one transaction.
async fn end(
    ctx: &Ctx,
    job: &domain_job::Model,
    take: Take,
    action: DomainJobAction,
    result: Result<Outcome, ProvError>,
) -> AppResult<Ran> {
    let last = job.attempts >= job.max_attempts;
    let (status, error) = match &result {
        Ok(_) => (JobStatus::Done, String::new()),
        Err(ProvError::Transient(m)) if !last => (JobStatus::Queued, m.clone()),
        Err(e) => (JobStatus::Failed, e.to_string()),
    };
    let ran = Ran::Job { id: job.id, customer_id: job.customer_id, status };
    if status == JobStatus::Queued {
        // Nothing changes on the domain; the job waits for its next attempt.
        finish(&ctx.db, &DOMAINS, take, status, &error).await?;
        return Ok(ran);
    }
    let mut change = ctx.begin(job.customer_id).await?;
    let txn = &change.txn;
    if !finish(txn, &DOMAINS, take, status, &error).await? {
        return Ok(Ran::Stopped { id: job.id });
    }
    let Some(d) = domain::Entity::find_by_id(job.domain_id).one(txn).await? else {
        change.commit().await?;
        return Ok(ran);
    };
    let now = Utc::now();
    let (name, version, paid_until) = (d.unicode_name.clone(), d.version + 1, d.expires_on);
    let mut am = d.into_active_model();
    let kind = match result {
        Ok(Outcome::Held(state)) => {
            am.status = Set(DomainStatus::Active.as_str().into());
            am.error_text = Set(String::new());
            am.registry_status = Set(state.statuses.join(" "));
            am.registry_expires_at = Set(state.expires.map(at_noon));
            if let Some(created) = state.created {
                am.registered_on = Set(Some(created));
            }
            am.synced_at = Set(Some(now));
            // The customer has paid until the registry's expiry once it is ours; a renewal
            // moves both.
            let renewed = state.expires.filter(|e| paid_until.is_none_or(|p| *e > p));
            if !matches!(action, DomainJobAction::Sync | DomainJobAction::Update)
                && let Some(until) =
                    renewed.or(paid_until.and_then(|p| p.checked_add_months(Months::new(12))))
            {
                am.expires_on = Set(Some(until));
            }
            match action {
                DomainJobAction::Register => "domain_registered",
                DomainJobAction::Transfer => "domain_transferred",
                DomainJobAction::Renew => "domain_renewed",
                DomainJobAction::Update => "domain_updated",
                _ => "domain_synced",
            }
        }
        Ok(Outcome::TransferPending) => {
            am.status = Set(DomainStatus::TransferPending.as_str().into());
            "domain_transfer_pending"
        }
        Ok(Outcome::GoneAway) => {
            am.status = Set(DomainStatus::TransferOut.as_str().into());
            am.ended_at = Set(Some(now));
            "domain_transferred_away"
        }
        Ok(Outcome::Deleted) => {
            am.status = Set(DomainStatus::Deleted.as_str().into());
            am.ended_at = Set(Some(now));
            "domain_deleted"
        }
        Err(_) => {
            am.status = Set(DomainStatus::Error.as_str().into());
            am.error_text = Set(error.chars().take(500).collect());
            "domain_failed"
        }
    };
    am.version = Set(version);
    am.updated_at = Set(now);
    am.updated_by = Set(None);
    am.update(txn).await?;
    let payload = serde_json::json!({ "name": name, "action": action.as_str(), "error": error });
    record(txn, NewEvent::new(job.customer_id, kind, Actor::System, payload.to_string())).await?;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(ran)
}

/// Run due domain jobs until none is left.
pub async fn drain(ctx: &Ctx, registrars: &Registrars) -> AppResult<Vec<Ran>> {
    let mut ran = Vec::new();
    while let Some(r) = run_one(ctx, registrars, None).await? {
        ran.push(r);
    }
    Ok(ran)
}

/// The worker: one loop taking one domain job at a time, woken when a job is queued here and
/// every five seconds anyway (jobs of other instances, retries coming due, leases running out).
pub fn spawn(ctx: Ctx, wake: Arc<Notify>, registrars: Registrars) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = drain(&ctx, &registrars).await {
                tracing::error!(error = %e, "domain worker");
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    })
}

/// The domain's registrar row and whether its module runs jobs, for queueing.
pub async fn automatic_registrar<C: ConnectionTrait>(db: &C, registrar_id: Option<i32>) -> AppResult<bool> {
    let Some(id) = registrar_id else { return Ok(false) };
    Ok(registrar::Entity::find_by_id(id).one(db).await?.is_some_and(|r| r.active && r.module != "manual"))
}
