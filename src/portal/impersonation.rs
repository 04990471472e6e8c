//! "Als Kunde einloggen": a staff member opens the self-service area as the customer, with a
//! reason, for at most an hour. The session names the staff member; everything done in it is
//! logged with them; no customer IP is recorded. It belongs to the staff session it was opened
//! from and ends with it (logout, deactivation, a password change, "end sessions"), and at once
//! when they lose the permission. The customer's second factor is respected unless the role may bypass it.
use crate::auth::service::token_hash;
use crate::auth::{Permission, StaffIdentity};
use crate::db::entities::{customer, portal_login, session};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{Actor, NewEvent, record};
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// How long staff may act as a customer in one go.
pub const LIMIT: Duration = Duration::hours(1);

fn refused(key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new("reason", key)])
}

/// Start acting as a customer; returns the portal session token for the cookie.
pub async fn start(
    ctx: &crate::write::Ctx,
    (staff, staff_session, ip): (&StaffIdentity, &str, Option<String>),
    customer_id: i32,
    reason: &str,
) -> AppResult<String> {
    if !staff.can(Permission::Impersonate) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.chars().count() < 3 {
        return Err(refused("impersonate.reason_required"));
    }
    use crate::text::{Lines, problem};
    if let Some(error) = problem("reason", reason, 500, Lines::One) {
        return Err(AppError::Validation(vec![error]));
    }
    let mut change = ctx.begin_append(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    if c.erased_at.is_some() {
        return Err(refused("impersonate.erased"));
    }
    if c.account_locked {
        return Err(refused("impersonate.locked"));
    }
    let now = Utc::now();
    // One customer at a time per staff session (another browser of the same member may act as
    // someone else).
    let running = session::Entity::find()
        .filter(session::Column::ParentIdHash.eq(token_hash(staff_session)))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(txn)
        .await?;
    if running.is_some() {
        return Err(refused("impersonate.already"));
    }
    let login = own_login(txn, &c).await?;
    if login.totp_secret.is_some() && !staff.can(Permission::ImpersonateBypass2fa) {
        return Err(refused("impersonate.second_factor"));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    session::ActiveModel {
        id_hash: Set(token_hash(&token)),
        principal_kind: Set("customer".into()),
        principal_id: Set(login.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + LIMIT),
        // No address: it would be the staff member's, not the customer's.
        ip: Set(None),
        user_agent: Set(None),
        impersonator_staff_id: Set(Some(staff.id)),
        reason: Set(reason.chars().take(500).collect()),
        parent_id_hash: Set(Some(token_hash(staff_session))),
    }
    .insert(txn)
    .await?;
    record(
        txn,
        NewEvent::new(customer_id, "impersonation_started", Actor::Staff(staff.id), reason.to_string()),
    )
    .await?;
    let act = crate::audit::service::Act::new("impersonation_started", c.number.clone())
        .customer(customer_id)
        .change("", reason);
    crate::audit::service::record(txn, &crate::audit::service::Who::staff(staff.id, &staff.name, ip), act)
        .await?;
    change.touched(crate::customers::areas::sessions::AREA.slug);
    change.touched(crate::customers::areas::log::AREA.slug);
    change.commit().await?;
    Ok(token)
}

/// The customer's own portal login; created (without a password) if there is none yet.
async fn own_login<C: ConnectionTrait>(db: &C, c: &customer::Model) -> AppResult<portal_login::Model> {
    let existing = portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(c.id))
        .filter(portal_login::Column::ContactId.is_null())
        .one(db)
        .await?;
    if let Some(login) = existing {
        return Ok(login);
    }
    let email = c.email.trim().to_lowercase();
    let taken = portal_login::Entity::find().filter(portal_login::Column::Email.eq(&email)).one(db).await?;
    if email.is_empty() || taken.is_some() {
        return Err(refused("impersonate.no_login"));
    }
    super::service::create_own_login(db, c.id, &email).await
}

/// End an impersonation session ("Zurück zu clientdesk"); returns the customer's id.
pub async fn stop(ctx: &crate::write::Ctx, token: &str) -> AppResult<Option<i32>> {
    let db = &ctx.db;
    let Some(s) = session::Entity::find_by_id(token_hash(token)).one(db).await? else { return Ok(None) };
    let Some(staff_id) = s.impersonator_staff_id else { return Ok(None) };
    let login = portal_login::Entity::find_by_id(s.principal_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut change = ctx.begin_append(login.customer_id).await?;
    session::Entity::delete_by_id(s.id_hash).exec(&change.txn).await?;
    record(&change.txn, NewEvent::new(login.customer_id, "impersonation_ended", Actor::Staff(staff_id), ""))
        .await?;
    change.touched(crate::customers::areas::sessions::AREA.slug);
    change.touched(crate::customers::areas::log::AREA.slug);
    change.commit().await?;
    Ok(Some(login.customer_id))
}
