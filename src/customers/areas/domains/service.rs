//! The customer's domains: the list in pages and ordering one. A name is kept as its A-label
//! under the longest TLD we sell; a live domain of that name refuses a second order, whoever
//! holds it (checked here with a message, and by the partial unique index under a race).
use super::model::*;
use crate::catalogue::tlds::active_tlds;
use crate::customers::areas::history::service::{differing, record_changes};
use crate::db::entities::{change, domain, tld};
use crate::domains::name::DomainName;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// Statuses of a domain that is ours no longer.
const ENDED: [&str; 2] = ["deleted", "transfer_out"];

fn row(d: domain::Model) -> DomainRow {
    DomainRow {
        id: d.id,
        name: d.unicode_name,
        ace: d.ace_name,
        status: DomainStatus::parse(&d.status).unwrap_or_default(),
        order: DomainOrder::parse(&d.order_kind).unwrap_or_default(),
        error_text: d.error_text,
        expires_on: d.expires_on.map(|x| x.to_string()).unwrap_or_default(),
        registry_expires_on: d
            .registry_expires_at
            .map(|x| crate::customers::service::business_day_of(x).to_string())
            .unwrap_or_default(),
        auto_renew: d.auto_renew,
        transfer_lock: d.transfer_lock,
        version: d.version,
    }
}

/// Page `page` of the customer's domains, by name.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<DomainPage> {
    let query = domain::Entity::find().filter(domain::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_asc(domain::Column::AceName)
        .order_by_asc(domain::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(row)
        .collect();
    Ok(DomainPage { rows, total, page, pages })
}

/// The customer's domain `id`; another customer's is not found.
pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<domain::Model> {
    domain::Entity::find_by_id(id)
        .filter(domain::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether a live domain of this A-label exists (at any customer).
async fn live<C: ConnectionTrait>(db: &C, ace: &str) -> AppResult<bool> {
    Ok(domain::Entity::find()
        .filter(domain::Column::AceName.eq(ace))
        .filter(domain::Column::Status.is_not_in(ENDED))
        .count(db)
        .await?
        > 0)
}

/// Order a domain for the customer: it starts as `ordered` (the registrar's job takes it from
/// there). Returns its id.
pub async fn add(ctx: &Ctx, actor: Actor, customer_id: i32, input: &DomainInput) -> AppResult<i32> {
    let refuse = |key: &str| AppError::Validation(vec![FieldError::new("name", key)]);
    let name = DomainName::parse(&input.name).map_err(|e| refuse(e.message_key()))?;
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let tlds = active_tlds(txn).await?;
    let Some(ending) = name.tld_in(tlds.iter().map(String::as_str)) else {
        return Err(refuse("domain.tld_unknown"));
    };
    if !name.registrable_under(ending) {
        return Err(refuse("domain.not_registrable"));
    }
    let ending =
        tld::Entity::find().filter(tld::Column::Tld.eq(ending)).one(txn).await?.ok_or(AppError::NotFound)?;
    // A transfer brings the auth code of the current provider; it is kept sealed until the
    // registrar's job sends it.
    let authcode = match input.order {
        DomainOrder::Register => String::new(),
        DomainOrder::Transfer => {
            let code = input.authcode.trim();
            let mut errors = Vec::new();
            if code.is_empty() && ending.authcode_required {
                errors.push(FieldError::new("authcode", "domain.authcode_required"));
            }
            crate::text::check(&mut errors, "authcode", code, 255, crate::text::Lines::One);
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            if code.is_empty() { String::new() } else { crate::auth::secrets::seal(code) }
        }
    };
    let tld_id = ending.id;
    if live(txn, &name.ace).await? {
        return Err(refuse("domain.taken"));
    }
    let now = Utc::now();
    let by = actor.staff_id();
    let nameservers = own_nameservers(txn, customer_id).await?;
    let inserted = domain::ActiveModel {
        customer_id: Set(customer_id),
        ace_name: Set(name.ace.clone()),
        unicode_name: Set(name.unicode.clone()),
        tld_id: Set(tld_id),
        status: Set(DomainStatus::Ordered.as_str().into()),
        order_kind: Set(input.order.as_str().into()),
        registry_status: Set(String::new()),
        error_text: Set(String::new()),
        auto_renew: Set(input.auto_renew),
        transfer_lock: Set(true),
        nameservers: Set(nameservers),
        search_name: Set(crate::customers::search_text::build(&[&name.unicode, &name.ace])),
        owner_handle: Set(String::new()),
        admin_handle: Set(String::new()),
        tech_handle: Set(String::new()),
        zone_handle: Set(String::new()),
        // The code we set at the registry for this domain (a transfer in gets its own once
        // it arrives; until then the one from the other provider travels).
        authcode: Set(crate::auth::secrets::seal(&crate::domains::authcode::generate())),
        transfer_authcode: Set(authcode),
        version: Set(1),
        created_at: Set(now),
        created_by: Set(by),
        updated_at: Set(now),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(txn)
    .await;
    // Another order of the same name committed in between: the index refuses it.
    let id = match inserted {
        Ok(d) => d.id,
        Err(e) if crate::db::is_unique_violation(&e) => return Err(refuse("domain.taken")),
        Err(e) => return Err(e.into()),
    };
    let payload = serde_json::json!({ "name": name.unicode, "ace": name.ace, "order": input.order.as_str() });
    record(txn, NewEvent::new(customer_id, "domain_ordered", actor, payload.to_string())).await?;
    // Under an ending a registrar module serves, the registrar's job takes it from here; under
    // one without, staff register by hand and confirm.
    if super::jobs::automatic_registrar(txn, ending.registrar_id).await? {
        let ordered = domain::Entity::find_by_id(id).one(txn).await?.ok_or(AppError::NotFound)?;
        let (status, action) = match input.order {
            DomainOrder::Register => (DomainStatus::RegistrationPending, DomainJobAction::Register),
            DomainOrder::Transfer => (DomainStatus::TransferPending, DomainJobAction::Transfer),
        };
        let mut am = ordered.clone().into_active_model();
        am.registrar_id = Set(ending.registrar_id);
        am.status = Set(status.as_str().into());
        am.update(txn).await?;
        super::jobs::enqueue(txn, &ordered, action, 1, actor).await?;
        change.job_queued();
    }
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

/// The customer's own nameservers with their glue, as a domain stores its nameservers
/// (`[{"host", "ips"}]`); `[]` where the customer has none (the registrar's defaults apply).
async fn own_nameservers<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<String> {
    use crate::db::entities::customer;
    let c = customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)?;
    let glue = crate::customers::validate::glue(&c.own_nameserver_glue).unwrap_or_default();
    let list: Vec<serde_json::Value> =
        crate::customers::service::convert::nameserver_list(&c.own_nameservers)
            .into_iter()
            .map(|host| {
                let ips: Vec<String> = glue
                    .iter()
                    .filter(|(h, _)| *h == host)
                    .flat_map(|(_, ips)| ips.iter().map(|ip| ip.to_string()))
                    .collect();
                serde_json::json!({ "host": host, "ips": ips })
            })
            .collect();
    Ok(serde_json::Value::Array(list).to_string())
}

/// The Verlauf's entity for a domain's own terms.
pub const ENTITY: &str = "domain";

fn terms_of(d: &domain::Model) -> DomainTerms {
    DomainTerms {
        auto_renew: d.auto_renew,
        expires_on: d.expires_on.map(|x| x.to_string()).unwrap_or_default(),
        version: d.version,
    }
}

/// Change whether a domain renews on its own and until when it is paid, at the version the
/// staff member saw; both go into the Verlauf.
pub async fn set_terms(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    terms: &DomainTerms,
) -> AppResult<()> {
    set_terms_reverting(ctx, actor, customer_id, id, terms, None).await
}

async fn set_terms_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    terms: &DomainTerms,
    reverts: Option<i32>,
) -> AppResult<()> {
    let expires_on = match terms.expires_on.trim() {
        "" => None,
        text => Some(
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| AppError::Validation(vec![FieldError::new("expires_on", "validation.date")]))?,
        ),
    };
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let current = find(txn, customer_id, id).await?;
    if current.version != terms.version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    let before = terms_of(&current);
    let after = DomainTerms {
        auto_renew: terms.auto_renew,
        expires_on: expires_on.map(|d| d.to_string()).unwrap_or_default(),
        version: current.version + 1,
    };
    let changes = differing(DomainTerms::FIELDS, |f| before.read(f), |f| after.read(f));
    if changes.is_empty() {
        return Ok(());
    }
    let mut am = current.into_active_model();
    am.auto_renew = Set(after.auto_renew);
    am.expires_on = Set(expires_on);
    am.version = Set(after.version);
    am.updated_at = Set(Utc::now());
    am.updated_by = Set(actor.staff_id());
    am.update(txn).await?;
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, reverts).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Undo one recorded change of a domain's terms through the normal change.
pub async fn undo(ctx: &Ctx, staff_id: i32, customer_id: i32, c: &change::Model) -> AppResult<()> {
    let current = find(&ctx.db, customer_id, c.entity_id).await?;
    let mut terms = terms_of(&current);
    if terms.read(&c.field).as_deref() != Some(c.new_value.as_str()) {
        return Err(AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]));
    }
    if !terms.write(&c.field, &c.old_value) {
        return Err(AppError::NotFound);
    }
    set_terms_reverting(ctx, Actor::Staff(staff_id), customer_id, c.entity_id, &terms, Some(c.id)).await
}

/// The customer's domain names by id, for the Verlauf.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
) -> AppResult<std::collections::HashMap<i32, String>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::CustomerId.eq(customer_id))
        .select_only()
        .columns([domain::Column::Id, domain::Column::UnicodeName])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Switch one of the customer's domain flags at the customer's version shown (in the Verlauf as
/// a Daten change).
pub async fn set_flag(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    version: i64,
    flag: DomainFlag,
    on: bool,
) -> AppResult<()> {
    let mut change = crate::customers::service::switch(ctx, actor, customer_id, version, |form| match flag {
        DomainFlag::Contacts => form.domain_contacts_enabled = on,
        DomainFlag::Api => form.domain_api_enabled = on,
        DomainFlag::AuthcodeLocked => form.authcode_locked = on,
    })
    .await?;
    // The self-service view and the panel read the flags.
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Statuses in which a domain waits for the registry.
const WAITING: [&str; 3] = ["ordered", "registration_pending", "transfer_pending"];

/// The manual registrar's step: staff registered (or transferred) the domain by hand and confirm
/// it with the registry's dates, at the version shown. It becomes active; the customer has paid
/// until the registry's expiry, or a year from registration where the registry sells no terms.
pub async fn confirm(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    input: &DomainConfirm,
) -> AppResult<()> {
    let day = |field: &str, text: &str| -> AppResult<Option<chrono::NaiveDate>> {
        match text.trim() {
            "" => Ok(None),
            t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::Validation(vec![FieldError::new(field, "validation.date")])),
        }
    };
    let registered = day("registered_on", &input.registered_on)?
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("registered_on", "validation.required")]))?;
    let registry_expiry = day("registry_expires_on", &input.registry_expires_on)?;
    if registry_expiry.is_some_and(|e| e <= registered) {
        return Err(AppError::Validation(vec![FieldError::new(
            "registry_expires_on",
            "domain.expiry_before_registration",
        )]));
    }
    if registered > crate::customers::service::business_day() {
        return Err(AppError::Validation(vec![FieldError::new(
            "registered_on",
            "domain.registered_in_future",
        )]));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let current = find(txn, customer_id, id).await?;
    if current.version != input.version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    if !WAITING.contains(&current.status.as_str()) {
        return Err(AppError::Validation(vec![FieldError::new("status", "domain.not_waiting")]));
    }
    let paid_until = registry_expiry.or_else(|| registered.checked_add_months(chrono::Months::new(12)));
    let (name, version) = (current.unicode_name.clone(), current.version + 1);
    let mut am = current.into_active_model();
    am.status = Set(DomainStatus::Active.as_str().into());
    am.error_text = Set(String::new());
    am.registered_on = Set(Some(registered));
    // Noon UTC keeps the registry's day the same in Germany.
    am.registry_expires_at = Set(registry_expiry.and_then(|d| d.and_hms_opt(12, 0, 0)).map(|t| t.and_utc()));
    am.expires_on = Set(paid_until);
    am.version = Set(version);
    am.updated_at = Set(Utc::now());
    am.updated_by = Set(actor.staff_id());
    am.update(txn).await?;
    let payload = serde_json::json!({ "name": name, "registered_on": registered.to_string() });
    record(txn, NewEvent::new(customer_id, "domain_registered", actor, payload.to_string())).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Ask the domain's registrar to act (renew for `years`, sync with the registry, delete, or try
/// a failed registration or transfer again), at the domain's version shown. Refused where the
/// domain's registrar is worked by hand, or while another job for it is open.
pub async fn request(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    version: i64,
    action: DomainJobAction,
    years: u8,
) -> AppResult<i32> {
    let refuse = |key: &str| AppError::Validation(vec![FieldError::new("domain", key)]);
    if !(1..=10).contains(&years) {
        return Err(AppError::Validation(vec![FieldError::new("years", "domain.years_invalid")]));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let current = find(txn, customer_id, id).await?;
    if current.version != version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    if !super::jobs::automatic_registrar(txn, current.registrar_id).await? {
        return Err(refuse("domain.registrar_manual"));
    }
    let status = DomainStatus::parse(&current.status).unwrap_or_default();
    let allowed = match action {
        DomainJobAction::Register => status == DomainStatus::Error && current.order_kind == "register",
        DomainJobAction::Transfer => status == DomainStatus::Error && current.order_kind == "transfer",
        DomainJobAction::Renew
        | DomainJobAction::Sync
        | DomainJobAction::Delete
        | DomainJobAction::Update => !status.ended() && !status.waiting(),
    };
    if !allowed {
        return Err(refuse("domain.action_not_now"));
    }
    let job = super::jobs::enqueue(txn, &current, action, years, actor).await?;
    let mut am = current.into_active_model();
    am.version = Set(version + 1);
    am.updated_at = Set(Utc::now());
    am.updated_by = Set(actor.staff_id());
    am.update(txn).await?;
    change.touched(super::AREA.slug);
    change.job_queued();
    change.commit().await?;
    Ok(job)
}

/// A domain's own view with its registrar jobs (newest first, in pages) and their logs.
pub async fn view<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32, page: u32) -> AppResult<DomainView> {
    use crate::db::entities::{domain_job, domain_log, registrar};
    let d = find(db, customer_id, id).await?;
    let reg = match d.registrar_id {
        Some(r) => registrar::Entity::find_by_id(r).one(db).await?,
        None => None,
    };
    let jobs = domain_job::Entity::find().filter(domain_job::Column::DomainId.eq(id));
    let job_total = jobs.clone().count(db).await?;
    let job_pages = job_total.div_ceil(JOB_PAGE_SIZE).max(1) as u32;
    let job_page = page.clamp(1, job_pages);
    let shown = jobs
        .order_by_desc(domain_job::Column::Id)
        .offset(u64::from(job_page - 1) * JOB_PAGE_SIZE)
        .limit(JOB_PAGE_SIZE)
        .all(db)
        .await?;
    let ids: Vec<i32> = shown.iter().map(|j| j.id).collect();
    let lines = domain_log::Entity::find()
        .filter(domain_log::Column::JobId.is_in(ids))
        .order_by_asc(domain_log::Column::Id)
        .all(db)
        .await?;
    let at = |t: chrono::DateTime<Utc>| t.to_rfc3339();
    let jobs = shown
        .into_iter()
        .map(|j| JobRow {
            id: j.id,
            action: DomainJobAction::parse(&j.action).unwrap_or_default(),
            status: j.status,
            attempts: j.attempts,
            created_at: at(j.created_at),
            finished_at: j.finished_at.map(at).unwrap_or_default(),
            last_error: j.last_error,
            lines: lines
                .iter()
                .filter(|l| l.job_id == j.id)
                .map(|l| JobLine {
                    at: at(l.at),
                    attempt: l.attempt,
                    level: l.level.clone(),
                    step: l.step.clone(),
                    message: l.message.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(DomainView {
        registrar: reg.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        automatic: reg.is_some_and(|r| r.active && r.module != "manual"),
        registered_on: d.registered_on.map(|x| x.to_string()).unwrap_or_default(),
        registry_status: d.registry_status.clone(),
        synced_at: d.synced_at.map(at).unwrap_or_default(),
        nameservers: super::authcode::hosts(&d.nameservers),
        handles: [
            d.owner_handle.clone(),
            d.admin_handle.clone(),
            d.tech_handle.clone(),
            d.zone_handle.clone(),
        ],
        row: row(d),
        jobs,
        job_total,
        job_page,
        job_pages,
    })
}

/// The fields of a domain the customer changes in the self-service area, as the Verlauf records
/// them.
const PORTAL_FIELDS: [&str; 3] = ["nameservers", "tech_handle", "zone_handle"];

/// A handle as registries take them: 3–16 letters, digits and dashes (EPP contact ids).
fn handle_valid(h: &str) -> bool {
    (3..=16).contains(&h.len()) && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The customer sets the domain's nameservers (none, or 2 to 13 hostnames) and, with contact
/// management on, its Tech-C and Zone-C handles, at the version shown. The Verlauf records it as
/// the customer's change; a domain with a registrar module gets a job that brings the registry
/// to it.
pub async fn portal_change(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    input: &PortalDomainInput,
) -> AppResult<()> {
    use crate::db::entities::customer;
    let mut errors = Vec::new();
    let mut hosts = Vec::new();
    for line in input.nameservers.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match DomainName::parse(line) {
            Ok(n) if n.ace.contains('.') => hosts.push(n.ace),
            _ => {
                errors.push(FieldError::new("nameservers", "domain.nameserver_invalid").with("name", line));
                break;
            }
        }
    }
    hosts.dedup();
    if hosts.len() == 1 || hosts.len() > 13 {
        errors.push(FieldError::new("nameservers", "domain.nameserver_count"));
    }
    for (field, value) in [("tech_handle", &input.tech_handle), ("zone_handle", &input.zone_handle)] {
        if !value.trim().is_empty() && !handle_valid(value.trim()) {
            errors.push(FieldError::new(field, "domain.handle_invalid"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let contacts =
        customer::Entity::find_by_id(customer_id).one(txn).await?.is_some_and(|c| c.domain_contacts_enabled);
    let current = find(txn, customer_id, id).await?;
    if current.version != input.version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    let status = DomainStatus::parse(&current.status).unwrap_or_default();
    if status.ended() {
        return Err(AppError::Validation(vec![FieldError::new("nameservers", "domain.action_not_now")]));
    }
    // Handles change only with contact management on; otherwise they stay as they are.
    let (tech, zone) = if contacts {
        (input.tech_handle.trim().to_string(), input.zone_handle.trim().to_string())
    } else {
        (current.tech_handle.clone(), current.zone_handle.clone())
    };
    let before_hosts = super::authcode::hosts(&current.nameservers);
    let read = |hosts: &[String], tech: &str, zone: &str, f: &str| match f {
        "nameservers" => Some(hosts.join(" ")),
        "tech_handle" => Some(tech.to_string()),
        "zone_handle" => Some(zone.to_string()),
        _ => None,
    };
    let changes = differing(
        &PORTAL_FIELDS,
        |f| read(&before_hosts, &current.tech_handle, &current.zone_handle, f),
        |f| read(&hosts, &tech, &zone, f),
    );
    if changes.is_empty() {
        return Ok(());
    }
    // Glue the customer gave for a host stays with it.
    let old: Vec<serde_json::Value> = serde_json::from_str(&current.nameservers).unwrap_or_default();
    let stored: Vec<serde_json::Value> = hosts
        .iter()
        .map(|h| {
            let ips = old
                .iter()
                .find(|o| o.get("host").and_then(|x| x.as_str()) == Some(h.as_str()))
                .and_then(|o| o.get("ips").cloned())
                .unwrap_or_else(|| serde_json::json!([]));
            serde_json::json!({ "host": h, "ips": ips })
        })
        .collect();
    let automatic = super::jobs::automatic_registrar(txn, current.registrar_id).await?;
    let held = !status.waiting();
    let mut am = current.clone().into_active_model();
    am.nameservers = Set(serde_json::Value::Array(stored).to_string());
    am.tech_handle = Set(tech);
    am.zone_handle = Set(zone);
    am.version = Set(current.version + 1);
    am.updated_at = Set(Utc::now());
    am.updated_by = Set(actor.staff_id());
    let updated = am.update(txn).await?;
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, None).await?;
    // A domain at the registry gets the change there; one still on its way takes it along.
    if automatic && held {
        super::jobs::enqueue(txn, &updated, DomainJobAction::Update, 1, actor).await?;
        change.job_queued();
    }
    change.touched(super::AREA.slug);
    change.commit().await
}
