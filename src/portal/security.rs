//! The customer's own login security in the portal: password change and optional two-factor
//! login, each after re-entering the password. Staff acting as the customer may not change them.
use super::CustomerIdentity;
use super::SecurityStatus;
use crate::auth::service::{MIN_PASSWORD_CHARS, end_sessions_except, hash_password, verify_password};
use crate::auth::totp::{
    Enrolment, Holder, accepted_step, consume, new_enrolment, new_recovery_codes, recovery_codes_left,
    unix_now,
};
use crate::db::Db;
use crate::db::entities::portal_login;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{NewEvent, record};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// The caller's own login, refusing staff who act as the customer.
async fn own<C: ConnectionTrait>(db: &C, who: &CustomerIdentity) -> AppResult<portal_login::Model> {
    if who.impersonator_id.is_some() {
        return Err(AppError::Forbidden);
    }
    portal_login::Entity::find_by_id(who.login_id).one(db).await?.ok_or(AppError::NotFound)
}

async fn log<C: ConnectionTrait>(db: &C, who: &CustomerIdentity, kind: &str) -> AppResult<()> {
    record(db, NewEvent::new(who.customer_id, kind, who.actor(), "")).await
}

async fn password_ok(login: &portal_login::Model, password: &str) -> bool {
    match &login.password_hash {
        Some(hash) => verify_password(password, hash).await,
        None => false,
    }
}

pub async fn status(db: &Db, who: &CustomerIdentity) -> AppResult<SecurityStatus> {
    let login = portal_login::Entity::find_by_id(who.login_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(SecurityStatus {
        totp_enabled: login.totp_secret.is_some(),
        recovery_codes_left: recovery_codes_left(&login.recovery_codes),
    })
}

/// Change the password; the customer's other sessions end (`keep` is the caller's).
pub async fn change_password(
    db: &Db,
    who: &CustomerIdentity,
    current: &str,
    new: &str,
    keep: Option<&str>,
) -> AppResult<()> {
    // The password work happens before the write transaction (on SQLite it holds the one write
    // lock); the write then only goes over the password that was checked.
    let checked = own(db, who).await?;
    if !password_ok(&checked, current).await {
        return Err(invalid("current", "account.wrong_password"));
    }
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("new", "validation.password_short"));
    }
    if new == current {
        return Err(invalid("new", "account.same_password"));
    }
    let hash = hash_password(new).await;
    let txn = crate::db::begin_write(db).await?;
    let login = own(&txn, who).await?;
    if login.password_hash != checked.password_hash {
        return Err(invalid("current", "account.wrong_password"));
    }
    let mut am = login.into_active_model();
    am.password_hash = Set(Some(hash));
    am.update(&txn).await?;
    end_sessions_except(&txn, "customer", who.login_id, keep).await?;
    log(&txn, who, "password_changed").await?;
    txn.commit().await?;
    Ok(())
}

pub async fn start_totp(db: &Db, who: &CustomerIdentity, password: &str) -> AppResult<Enrolment> {
    let login = own(db, who).await?;
    if !password_ok(&login, password).await {
        return Err(invalid("password", "account.wrong_password"));
    }
    let enrolment = new_enrolment(&login.email)?;
    let mut am = login.into_active_model();
    am.totp_pending = Set(Some(crate::auth::secrets::seal(&enrolment.secret)));
    am.update(db).await?;
    Ok(enrolment)
}

pub async fn confirm_totp(db: &Db, who: &CustomerIdentity, code: &str) -> AppResult<Vec<String>> {
    let txn = crate::db::begin_write(db).await?;
    let login = own(&txn, who).await?;
    let Some(pending) = login.totp_pending.clone() else {
        return Err(invalid("code", "account.no_enrolment"));
    };
    let Some(step) = accepted_step(&crate::auth::secrets::open(&pending)?, &login.email, code, 0, unix_now())
    else {
        return Err(invalid("code", "account.wrong_code"));
    };
    let (codes, hashes) = new_recovery_codes();
    let mut am = login.into_active_model();
    am.totp_secret = Set(Some(pending));
    am.totp_pending = Set(None);
    am.recovery_codes = Set(hashes);
    am.totp_last_step = Set(step);
    am.update(&txn).await?;
    log(&txn, who, "two_factor_enabled").await?;
    txn.commit().await?;
    Ok(codes)
}

pub async fn disable_totp(db: &Db, who: &CustomerIdentity, password: &str) -> AppResult<()> {
    let checked = own(db, who).await?;
    if !password_ok(&checked, password).await {
        return Err(invalid("password", "account.wrong_password"));
    }
    let txn = crate::db::begin_write(db).await?;
    let login = own(&txn, who).await?;
    if login.password_hash != checked.password_hash {
        return Err(invalid("password", "account.wrong_password"));
    }
    let mut am = login.into_active_model();
    am.totp_secret = Set(None);
    am.totp_pending = Set(None);
    am.recovery_codes = Set(String::new());
    am.update(&txn).await?;
    log(&txn, who, "two_factor_disabled").await?;
    txn.commit().await?;
    Ok(())
}

/// The second step of a portal login: a current code or an unused recovery code, each usable
/// once, also for requests at the same moment.
pub async fn check_second_factor<C: ConnectionTrait>(db: &C, login_id: i32, code: &str) -> AppResult<bool> {
    let login = portal_login::Entity::find_by_id(login_id).one(db).await?.ok_or(AppError::NotFound)?;
    let Some(secret) = login.totp_secret.as_deref().map(crate::auth::secrets::open).transpose()? else {
        return Ok(false);
    };
    let holder = Holder {
        table: "portal_logins",
        id: login.id,
        secret: &secret,
        account: &login.email,
        last_step: login.totp_last_step,
        recovery_codes: &login.recovery_codes,
    };
    consume(db, holder, code).await
}
