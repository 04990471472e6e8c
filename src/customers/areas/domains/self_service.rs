//! What the customer changes on a domain in the self-service area: nameservers and, with
//! contact management on, Tech-C and Zone-C; a domain at a registrar module gets an update job.
use super::model::*;
use super::service::{ENTITY, find};
use crate::customers::areas::history::service::{differing, record_changes};
use crate::domains::name::DomainName;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};

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
    let before_hosts = super::service::hosts(&current.nameservers);
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
