//! Hostings: added for a package (a fixed account name and a sealed generated password),
//! provisioned, suspended, unsuspended and terminated through jobs. A request only queues a job;
//! the status changes when the job is done (`hosting_run`), so the status says what the server has.
//! Every status change is in the Verlauf (entity "hosting") with who and when; the job's log
//! says how.
use super::hosting_model::*;
use crate::customers::areas::history::service::{FieldChange, record_changes};
use crate::customers::validate::parse_date;
use crate::db::entities::{customer, hosting, hosting_package, provisioning_job, server};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::provisioning::job::{NewJob, enqueue};
use crate::write::Ctx;
use chrono::{NaiveDate, Utc};
use rand::Rng;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};

/// The Verlauf's entity name of a hosting; never renamed.
pub const ENTITY: &str = "hosting";

pub use super::hosting_read::{choices, for_portal, list, log};

/// A new account password: 24 letters and digits from the OS's generator (143 bits).
fn new_password() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..24).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect()
}

/// The account-name prefix of a server (`prefix` in its settings, default `cd`): `[a-z][a-z0-9]{0,15}`.
pub fn name_prefix(settings: &serde_json::Value) -> String {
    let prefix = settings.get("prefix").and_then(|p| p.as_str()).unwrap_or("cd");
    if crate::provisioning::mariadb::valid_name(prefix) && prefix.len() <= 16 {
        prefix.to_string()
    } else {
        "cd".into()
    }
}

fn settings_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// Add a hosting of `input.package_id` for the customer; with the package's automatic
/// provisioning its create job is queued at once.
pub async fn add(ctx: &Ctx, actor: Actor, customer_id: i32, input: &HostingInput) -> AppResult<i32> {
    // Stored as its A-label: `müller.de` and `xn--mller-kva.de` are one domain.
    let typed = input.domain.trim();
    let parsed = crate::domains::name::DomainName::parse(typed);
    let domain = parsed.as_ref().map(|n| n.ace.clone()).unwrap_or_default();
    let contract = parse_date(&input.contract_date).and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let package = hosting_package::Entity::find_by_id(input.package_id).one(txn).await?.filter(|p| p.active);
    let server = match &package {
        Some(p) => server::Entity::find_by_id(p.server_id).one(txn).await?,
        None => None,
    };
    let mut errors = Vec::new();
    let (Some(package), Some(server)) = (package, server) else {
        return Err(AppError::Validation(vec![FieldError::new("package_id", "hosting.package_unknown")]));
    };
    let needs_domain =
        crate::provisioning::Modules::standard().get(&server.module).is_some_and(|m| m.needs_domain());
    if needs_domain && typed.is_empty() {
        errors.push(FieldError::new("domain", "validation.required"));
    }
    if !typed.is_empty() && parsed.is_err() {
        errors.push(FieldError::new("domain", "hosting.domain_invalid"));
    }
    if contract.is_none() {
        errors.push(FieldError::new("contract_date", "validation.date"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if !domain.is_empty() {
        let taken = hosting::Entity::find()
            .filter(hosting::Column::ServerId.eq(server.id))
            .filter(hosting::Column::Domain.eq(domain.as_str()))
            .filter(hosting::Column::Status.ne(HostingStatus::Terminated.as_str()))
            .count(txn)
            .await?;
        if taken > 0 {
            return Err(AppError::Validation(vec![FieldError::new("domain", "hosting.domain_taken")]));
        }
    }
    let staff = actor.staff_id();
    let now = Utc::now();
    let placeholder: String = format!("new{}", rand::random::<u32>());
    let row = hosting::ActiveModel {
        customer_id: Set(customer_id),
        package_id: Set(package.id),
        server_id: Set(server.id),
        username: Set(placeholder),
        domain: Set(domain.clone()),
        status: Set(HostingStatus::Pending.as_str().into()),
        suspend_reason: Set(String::new()),
        suspended_at: Set(None),
        terminated_at: Set(None),
        external_ref: Set(String::new()),
        secret: Set(crate::auth::secrets::seal(&new_password())),
        contract_date: Set(contract.expect("validated")),
        billing_cycle: Set(input.billing_cycle.as_str().into()),
        reseller_id: Set(c.reseller_id),
        version: Set(1),
        created_at: Set(now),
        created_by: Set(staff),
        updated_at: Set(now),
        updated_by: Set(staff),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // The account name is fixed here, from the row's id: a job never makes one up.
    let username = format!("{}{}", name_prefix(&settings_of(&server.settings)), row.id);
    let mut am = row.into_active_model();
    am.username = Set(username.clone());
    let row = am.update(txn).await?;
    let id = row.id;
    let mut changes = vec![FieldChange { field: "status".into(), old: String::new(), new: "pending".into() }];
    let payload = serde_json::json!({ "package": package.name, "username": username, "domain": domain });
    record(txn, NewEvent::new(customer_id, "hosting_added", actor, payload.to_string())).await?;
    if package.auto_provision {
        queue(txn, &row, JobAction::Create, "", actor).await?;
        set_status(txn, row, HostingStatus::Provisioning, staff).await?;
        changes.push(FieldChange {
            field: "status".into(),
            old: "pending".into(),
            new: "provisioning".into(),
        });
        change.job_queued();
    }
    record_changes(&change.txn, customer_id, ENTITY, id, actor, &changes, None).await?;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

async fn set_status<C: ConnectionTrait>(
    db: &C,
    row: hosting::Model,
    status: HostingStatus,
    staff: Option<i32>,
) -> AppResult<hosting::Model> {
    let version = row.version;
    let mut am = row.into_active_model();
    am.status = Set(status.as_str().into());
    am.version = Set(version + 1);
    am.updated_at = Set(Utc::now());
    am.updated_by = Set(staff);
    Ok(am.update(db).await?)
}

async fn queue<C: ConnectionTrait>(
    db: &C,
    row: &hosting::Model,
    action: JobAction,
    reason: &str,
    actor: Actor,
) -> AppResult<provisioning_job::Model> {
    let (kind, id, _) = actor.columns();
    enqueue(
        db,
        NewJob {
            hosting_id: row.id,
            customer_id: row.customer_id,
            action,
            idempotency_key: format!("hosting:{}:{}:{}", row.id, action.as_str(), row.version),
            reason,
            requested_by: (kind, id),
        },
    )
    .await
}

/// The daily reconciliation: a check for every active or suspended hosting on a server whose
/// module can report, unless a job of it is open; at most one per hosting and day. Returns how
/// many were queued (the worker takes them).
pub async fn queue_checks<C: ConnectionTrait>(txn: &C, today: NaiveDate) -> AppResult<u64> {
    let sql = "SELECT h.id, h.customer_id FROM hostings h JOIN servers s ON s.id = h.server_id \
               WHERE h.status IN ('active', 'suspended') AND s.module <> 'manual' \
               AND NOT EXISTS (SELECT 1 FROM provisioning_jobs j WHERE j.hosting_id = h.id \
                 AND (j.status IN ('queued', 'running') OR j.idempotency_key = 'check:' || h.id || ':' || $1))";
    let due = txn.query_all_raw(crate::db::stmt(txn, sql, vec![today.to_string().into()])).await?;
    for row in &due {
        let (id, customer_id): (i32, i32) = (row.try_get("", "id")?, row.try_get("", "customer_id")?);
        let (kind, by, _) = Actor::System.columns();
        let job = NewJob {
            hosting_id: id,
            customer_id,
            action: JobAction::Check,
            idempotency_key: format!("check:{id}:{today}"),
            reason: "",
            requested_by: (kind, by),
        };
        enqueue(txn, job).await?;
    }
    Ok(due.len() as u64)
}

/// The customer's hosting `id`, or NotFound (also for another customer's).
pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<hosting::Model> {
    hosting::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|h| h.customer_id == customer_id)
        .ok_or(AppError::NotFound)
}

async fn last_job<C: ConnectionTrait>(db: &C, hosting_id: i32) -> AppResult<Option<provisioning_job::Model>> {
    Ok(provisioning_job::Entity::find()
        .filter(provisioning_job::Column::HostingId.eq(hosting_id))
        .order_by_desc(provisioning_job::Column::Id)
        .one(db)
        .await?)
}

/// Ask for `request` on the customer's hosting `id` at `version`: queues its job (or, for a
/// hosting never created, terminates it at once). Refused while a job runs and where the status
/// does not allow it.
pub async fn request(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    (id, version): (i32, i64),
    request: HostingRequest,
    reason: &str,
) -> AppResult<()> {
    let reason = reason.trim();
    if request == HostingRequest::Suspend && reason.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("reason", "hosting.reason_required")]));
    }
    let mut errors = Vec::new();
    crate::text::check(&mut errors, "reason", reason, 500, crate::text::Lines::One);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let row = find(txn, customer_id, id).await?;
    if row.version != version {
        return Err(AppError::Conflict { current_version: row.version });
    }
    let status = HostingStatus::parse(&row.status).unwrap_or_default();
    let last = last_job(txn, id).await?;
    let last_status = last.as_ref().and_then(|j| JobStatus::parse(&j.status));
    if !request.allowed(status, last_status) {
        let key = if matches!(last_status, Some(JobStatus::Queued | JobStatus::Running)) {
            "hosting.busy"
        } else {
            "hosting.not_now"
        };
        return Err(AppError::Validation(vec![FieldError::new("request", key)]));
    }
    let staff = actor.staff_id();
    let action = match request {
        HostingRequest::Provision => JobAction::Create,
        HostingRequest::Suspend => JobAction::Suspend,
        HostingRequest::Unsuspend => JobAction::Unsuspend,
        HostingRequest::Terminate => JobAction::Terminate,
        HostingRequest::Retry => {
            last.as_ref().and_then(|j| JobAction::parse(&j.action)).unwrap_or(JobAction::Create)
        }
        HostingRequest::Check => JobAction::Check,
    };
    if action == JobAction::Check {
        let server = crate::db::entities::server::Entity::find_by_id(row.server_id).one(txn).await?;
        if server.is_none_or(|s| s.module == "manual") {
            return Err(AppError::Validation(vec![FieldError::new("request", "hosting.check_unsupported")]));
        }
    }
    // A retry repeats the failed request, with its reason.
    let reason = match (request, &last) {
        (HostingRequest::Retry, Some(j)) if reason.is_empty() => j.reason.as_str(),
        _ => reason,
    };
    // Never created remotely (no create job ever ran): ending it needs no job.
    let never_created = status == HostingStatus::Pending && action == JobAction::Terminate;
    let mut changes = Vec::new();
    if never_created {
        let mut am = row.clone().into_active_model();
        am.status = Set(HostingStatus::Terminated.as_str().into());
        am.terminated_at = Set(Some(Utc::now()));
        am.version = Set(row.version + 1);
        am.updated_at = Set(Utc::now());
        am.updated_by = Set(staff);
        am.update(txn).await?;
        changes.push(FieldChange {
            field: "status".into(),
            old: row.status.clone(),
            new: "terminated".into(),
        });
        let payload = serde_json::json!({ "username": row.username, "domain": row.domain });
        record(txn, NewEvent::new(customer_id, "hosting_terminated", actor, payload.to_string())).await?;
    } else {
        let bumped = set_status(
            txn,
            row.clone(),
            if action == JobAction::Create { HostingStatus::Provisioning } else { status },
            staff,
        )
        .await?;
        queue(txn, &bumped, action, reason, actor).await?;
        if bumped.status != row.status {
            changes.push(FieldChange {
                field: "status".into(),
                old: row.status.clone(),
                new: bumped.status.clone(),
            });
        }
        change.job_queued();
    }
    record_changes(&change.txn, customer_id, ENTITY, id, actor, &changes, None).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}
