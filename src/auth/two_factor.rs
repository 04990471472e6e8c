//! Two-factor login for staff: enrolment needs the password again and is confirmed by a first
//! code; at login a current code or an unused recovery code completes it.
use super::service::verify_password;
use super::totp::{Holder, accepted_step, consume, new_enrolment, new_recovery_codes, unix_now};
use crate::db::entities::staff;
use crate::error::{AppError, AppResult, FieldError};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

pub use super::totp::{Enrolment, code_at};

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

async fn member<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<staff::Model> {
    staff::Entity::find_by_id(id).one(db).await?.filter(|s| s.active).ok_or(AppError::NotFound)
}

/// Start enrolment after checking the password again; replaces an unfinished enrolment.
pub async fn start<C: ConnectionTrait>(db: &C, staff_id: i32, password: &str) -> AppResult<Enrolment> {
    let m = member(db, staff_id).await?;
    if !verify_password(password, &m.password_hash).await {
        return Err(invalid("password", "account.wrong_password"));
    }
    let enrolment = new_enrolment(&m.email)?;
    let mut am = m.into_active_model();
    am.totp_pending = Set(Some(super::secrets::seal(&enrolment.secret)));
    am.update(db).await?;
    Ok(enrolment)
}

/// Confirm enrolment with a first code; returns the recovery codes, shown once.
pub async fn confirm<C: ConnectionTrait>(db: &C, staff_id: i32, code: &str) -> AppResult<Vec<String>> {
    let m = member(db, staff_id).await?;
    let Some(pending) = m.totp_pending.clone() else { return Err(invalid("code", "account.no_enrolment")) };
    let Some(step) = accepted_step(&super::secrets::open(&pending)?, &m.email, code, 0, unix_now()) else {
        return Err(invalid("code", "account.wrong_code"));
    };
    let (codes, hashes) = new_recovery_codes();
    let mut am = m.into_active_model();
    am.totp_secret = Set(Some(pending));
    am.totp_pending = Set(None);
    am.recovery_codes = Set(hashes);
    am.totp_last_step = Set(step);
    am.update(db).await?;
    Ok(codes)
}

/// Turn two-factor login off (needs the password; the caller checks whether it is required).
pub async fn disable<C: ConnectionTrait>(db: &C, staff_id: i32, password: &str) -> AppResult<()> {
    let m = member(db, staff_id).await?;
    if !verify_password(password, &m.password_hash).await {
        return Err(invalid("password", "account.wrong_password"));
    }
    reset(db, staff_id).await
}

/// Remove a member's second factor (an administrator, after a lost phone).
pub async fn reset<C: ConnectionTrait>(db: &C, staff_id: i32) -> AppResult<()> {
    let m = staff::Entity::find_by_id(staff_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut am = m.into_active_model();
    am.totp_secret = Set(None);
    am.totp_pending = Set(None);
    am.recovery_codes = Set(String::new());
    am.update(db).await?;
    Ok(())
}

/// Check the second factor at login: a current TOTP code, or an unused recovery code (which is
/// then used up). Each code works once, also for requests at the same moment.
pub async fn check<C: ConnectionTrait>(db: &C, staff_id: i32, code: &str) -> AppResult<bool> {
    let m = member(db, staff_id).await?;
    let Some(secret) = m.totp_secret.as_deref().map(super::secrets::open).transpose()? else {
        return Ok(false);
    };
    let holder = Holder {
        table: "staff",
        id: m.id,
        secret: &secret,
        account: &m.email,
        last_step: m.totp_last_step,
        recovery_codes: &m.recovery_codes,
    };
    consume(db, holder, code).await
}
