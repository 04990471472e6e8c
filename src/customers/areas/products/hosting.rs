//! Hostings: added for a package (a fixed account name and a sealed generated password),
//! provisioned, suspended, unsuspended and terminated through jobs. A request only queues a job;
//! the status changes when the job is done (`hosting_run`), so the status says what the server has.
//! Every status change is in the Verlauf (entity "hosting") with who and when; the job's log
//! says how.
use super::hosting_model::*;
use super::model::BillingCycle;
use super::service::today;
use crate::customers::areas::history::service::{FieldChange, record_changes};
use crate::customers::validate::parse_date;
use crate::db::entities::{customer, hosting, hosting_package, provisioning_job, provisioning_log, server};
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
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The Verlauf's entity name of a hosting; never renamed.
pub const ENTITY: &str = "hosting";

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

/// A host name as DNS takes it: lower case, labels of letters, digits and inner hyphens, at
/// least two labels. Unicode names come with the domains issue (IDNA).
pub fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn settings_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// Add a hosting of `input.package_id` for the customer; with the package's automatic
/// provisioning its create job is queued at once.
pub async fn add(ctx: &Ctx, actor: Actor, customer_id: i32, input: &HostingInput) -> AppResult<i32> {
    let domain = input.domain.trim().trim_end_matches('.').to_lowercase();
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
    if needs_domain && domain.is_empty() {
        errors.push(FieldError::new("domain", "validation.required"));
    }
    if !domain.is_empty() && !valid_domain(&domain) {
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
    let staff = match actor {
        Actor::Staff(id) => Some(id),
        _ => None,
    };
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
    let staff = match actor {
        Actor::Staff(id) => Some(id),
        _ => None,
    };
    let action = match request {
        HostingRequest::Provision => JobAction::Create,
        HostingRequest::Suspend => JobAction::Suspend,
        HostingRequest::Unsuspend => JobAction::Unsuspend,
        HostingRequest::Terminate => JobAction::Terminate,
        HostingRequest::Retry => {
            last.as_ref().and_then(|j| JobAction::parse(&j.action)).unwrap_or(JobAction::Create)
        }
    };
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

fn job_row(j: &provisioning_job::Model) -> JobRow {
    JobRow {
        id: j.id,
        action: JobAction::parse(&j.action).unwrap_or_default(),
        status: JobStatus::parse(&j.status).unwrap_or_default(),
        attempts: j.attempts,
        last_error: j.last_error.clone(),
        created_at: j.created_at.to_rfc3339(),
        finished_at: j.finished_at.map(|t| t.to_rfc3339()),
    }
}

/// Page `page` (from 1) of a customer's hostings, newest first, each with its latest job.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<HostingPage> {
    let query = hosting::Entity::find().filter(hosting::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(HOSTING_PAGE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(hosting::Column::Id)
        .offset(u64::from(page - 1) * HOSTING_PAGE)
        .limit(HOSTING_PAGE)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|h| h.id).collect();
    // The latest job of each hosting on the page, in one statement.
    let jobs: HashMap<i32, provisioning_job::Model> = provisioning_job::Entity::find()
        .filter(provisioning_job::Column::HostingId.is_in(ids.clone()))
        .filter(
            provisioning_job::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .expr(provisioning_job::Column::Id.max())
                    .from(provisioning_job::Entity)
                    .and_where(provisioning_job::Column::HostingId.is_in(ids))
                    .group_by_col(provisioning_job::Column::HostingId)
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|j| (j.hosting_id, j))
        .collect();
    let packages: HashMap<i32, String> = hosting_package::Entity::find()
        .select_only()
        .columns([hosting_package::Column::Id, hosting_package::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let servers: HashMap<i32, (String, String)> = server::Entity::find()
        .select_only()
        .columns([server::Column::Id, server::Column::Name, server::Column::Module])
        .into_tuple::<(i32, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, module)| (id, (name, module)))
        .collect();
    let rows = rows
        .into_iter()
        .map(|h| {
            let (server, module) = servers.get(&h.server_id).cloned().unwrap_or_default();
            HostingRow {
                id: h.id,
                version: h.version,
                package: packages.get(&h.package_id).cloned().unwrap_or_default(),
                server,
                module,
                status: HostingStatus::parse(&h.status).unwrap_or_default(),
                suspend_reason: h.suspend_reason,
                suspended_at: h.suspended_at.map(|t| t.to_rfc3339()),
                terminated_at: h.terminated_at.map(|t| t.to_rfc3339()),
                external_ref: h.external_ref,
                contract_date: h.contract_date.to_string(),
                billing_cycle: BillingCycle::parse(&h.billing_cycle).unwrap_or_default(),
                last_job: jobs.get(&h.id).map(job_row),
                username: h.username,
                domain: h.domain,
            }
        })
        .collect();
    Ok(HostingPage { rows, total, page, pages })
}

/// Page `page` of the log of the customer's hosting `id`, newest first.
pub async fn log<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32, page: u32) -> AppResult<LogPage> {
    find(db, customer_id, id).await?;
    let query = provisioning_log::Entity::find().filter(provisioning_log::Column::HostingId.eq(id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(LOG_PAGE).max(1) as u32;
    let page = page.clamp(1, pages);
    let lines = query
        .order_by_desc(provisioning_log::Column::Id)
        .offset(u64::from(page - 1) * LOG_PAGE)
        .limit(LOG_PAGE)
        .all(db)
        .await?;
    let actions: HashMap<i32, JobAction> = provisioning_job::Entity::find()
        .filter(provisioning_job::Column::Id.is_in(lines.iter().map(|l| l.job_id).collect::<Vec<_>>()))
        .select_only()
        .columns([provisioning_job::Column::Id, provisioning_job::Column::Action])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, a)| (id, JobAction::parse(&a).unwrap_or_default()))
        .collect();
    let rows = lines
        .into_iter()
        .map(|l| LogRow {
            at: l.at.to_rfc3339(),
            job_id: l.job_id,
            action: actions.get(&l.job_id).copied().unwrap_or_default(),
            attempt: l.attempt,
            step: l.step,
            level: l.level,
            message: l.message,
        })
        .collect();
    Ok(LogPage { rows, total, page, pages })
}

/// What the hosting form offers: the active packages.
pub async fn choices<C: ConnectionTrait>(db: &C) -> AppResult<HostingChoices> {
    let modules = crate::provisioning::Modules::standard();
    let servers: HashMap<i32, String> = server::Entity::find()
        .select_only()
        .columns([server::Column::Id, server::Column::Module])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let packages = hosting_package::Entity::find()
        .filter(hosting_package::Column::Active.eq(true))
        .order_by_asc(hosting_package::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PackageChoice {
            id: p.id,
            needs_domain: servers
                .get(&p.server_id)
                .and_then(|m| modules.get(m))
                .is_some_and(|m| m.needs_domain()),
            name: p.name,
        })
        .collect();
    Ok(HostingChoices { packages, today: today().to_string() })
}

/// Page `page` of the customer's hostings for the self-service area.
pub async fn for_portal<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<PortalHostingPage> {
    let HostingPage { rows, total, page, pages } = list(db, customer_id, page).await?;
    let rows = rows
        .into_iter()
        .map(|h| PortalHosting {
            since: match h.status {
                HostingStatus::Suspended => h.suspended_at,
                HostingStatus::Terminated => h.terminated_at,
                _ => None,
            },
            name: if h.domain.is_empty() { h.username } else { h.domain },
            package: h.package,
            status: h.status,
            reason: h.suspend_reason,
        })
        .collect();
    Ok(PortalHostingPage { rows, total, page, pages })
}
