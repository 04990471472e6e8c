//! Staff and the registrar: the manual registrar's confirmation with the registry's dates, and
//! requests to a registrar module (renew, sync, delete, retry) queued as jobs.
use super::model::*;
use super::service::find;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, IntoActiveModel};

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
