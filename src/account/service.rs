//! The member's own account: password change and two-factor login, each after re-entering the
//! current password.
use super::model::AccountInfo;
use crate::auth::service::{MIN_PASSWORD_CHARS, end_sessions_except, hash_password, verify_password};
use crate::auth::two_factor;
use crate::db::Db;
use crate::db::entities::staff;
use crate::db::settings::{self, REQUIRE_STAFF_2FA};
use crate::error::{AppError, AppResult, FieldError};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

pub async fn info(db: &Db, staff_id: i32, role_name: String) -> AppResult<AccountInfo> {
    let m = staff::Entity::find_by_id(staff_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(AccountInfo {
        name: m.name,
        email: m.email,
        role_name,
        totp_enabled: m.totp_secret.is_some(),
        totp_required: settings::flag(db, REQUIRE_STAFF_2FA).await?,
        recovery_codes_left: crate::auth::totp::recovery_codes_left(&m.recovery_codes),
    })
}

/// Change the own password; every other session of the member ends (`keep` is the caller's).
pub async fn change_password(
    db: &Db,
    staff_id: i32,
    current: &str,
    new: &str,
    keep: Option<&str>,
) -> AppResult<()> {
    // The password work happens before the write transaction: on SQLite it would hold the one
    // write lock for its whole length.
    let m = staff::Entity::find_by_id(staff_id).one(db).await?.ok_or(AppError::NotFound)?;
    if !verify_password(current, &m.password_hash).await {
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
    // Only over the password just checked: a change in between wins and this one is refused.
    let sql = "UPDATE staff SET password_hash = $1 WHERE id = $2 AND password_hash = $3";
    let changed = txn
        .execute_raw(crate::db::stmt(&txn, sql, vec![hash.into(), staff_id.into(), m.password_hash.into()]))
        .await?;
    if changed.rows_affected() != 1 {
        return Err(invalid("current", "account.wrong_password"));
    }
    end_sessions_except(&txn, "staff", staff_id, keep).await?;
    // Acting as a customer ends too, also from the session that stays.
    crate::auth::service::end_impersonations_by(&txn, staff_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Change the own login e-mail address after re-entering the password.
pub async fn change_email(db: &Db, staff_id: i32, password: &str, email: &str) -> AppResult<()> {
    let email = email.trim().to_lowercase();
    let checked = staff::Entity::find_by_id(staff_id).one(db).await?.ok_or(AppError::NotFound)?;
    if !verify_password(password, &checked.password_hash).await {
        return Err(invalid("password", "account.wrong_password"));
    }
    let txn = crate::db::begin_write(db).await?;
    let m = staff::Entity::find_by_id(staff_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if m.password_hash != checked.password_hash {
        return Err(invalid("password", "account.wrong_password"));
    }
    if !crate::customers::validate::email_valid(&email) {
        return Err(invalid("email", "validation.email"));
    }
    let taken = staff::Entity::find()
        .filter(staff::Column::Email.eq(&email))
        .filter(staff::Column::Id.ne(staff_id))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(invalid("email", "validation.email_taken"));
    }
    let mut am = m.into_active_model();
    am.email = Set(email);
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Turn two-factor login off, unless an administrator requires it.
pub async fn disable_totp(db: &Db, staff_id: i32, password: &str) -> AppResult<()> {
    if settings::flag(db, REQUIRE_STAFF_2FA).await? {
        return Err(invalid("password", "account.2fa_required"));
    }
    two_factor::disable(db, staff_id, password).await
}
