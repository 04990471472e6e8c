//! Passwords (argon2id) and database-stored sessions (only a hash of the token is kept).
use super::StaffIdentity;
use crate::db::entities::{session, staff};
use crate::error::{AppError, AppResult, FieldError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "cd_session";
/// Sliding idle timeout and absolute lifetime of a staff session.
pub const IDLE: Duration = Duration::minutes(30);
pub const ABSOLUTE: Duration = Duration::hours(12);

fn argon2() -> Argon2<'static> {
    // OWASP: argon2id, 19 MiB, t=2, p=1.
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid params"),
    )
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password.as_bytes(), &salt).expect("argon2 hashing").to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// SHA-256 (hex) of a secret token: what we store instead of the token itself.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn add_staff<C: ConnectionTrait>(
    db: &C,
    email: &str,
    name: &str,
    password: &str,
) -> AppResult<i32> {
    let email = email.trim().to_lowercase();
    let mut errors = Vec::new();
    if !crate::customers::validate::email_valid(&email) {
        errors.push(FieldError::new("email", "validation.email"));
    }
    if name.trim().is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    if password.chars().count() < 8 {
        errors.push(FieldError::new("password", "validation.password_short"));
    }
    if staff::Entity::find().filter(staff::Column::Email.eq(&email)).one(db).await?.is_some() {
        errors.push(FieldError::new("email", "validation.email_taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let model = staff::ActiveModel {
        email: Set(email),
        name: Set(name.trim().to_string()),
        password_hash: Set(hash_password(password)),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Check a login; the same answer (and roughly the same time) for unknown e-mail and wrong password.
pub async fn check_login<C: ConnectionTrait>(
    db: &C,
    email: &str,
    password: &str,
) -> AppResult<Option<StaffIdentity>> {
    let found =
        staff::Entity::find().filter(staff::Column::Email.eq(email.trim().to_lowercase())).one(db).await?;
    let Some(member) = found.filter(|s| s.active) else {
        // Spend the same work as a real check so timing does not reveal accounts.
        let _ = verify_password(
            password,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWg",
        );
        return Ok(None);
    };
    Ok(verify_password(password, &member.password_hash).then_some(StaffIdentity {
        id: member.id,
        name: member.name,
        email: member.email,
    }))
}

/// Start a session; returns the token for the cookie (256 random bits).
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    staff_id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    session::ActiveModel {
        id_hash: Set(token_hash(&token)),
        principal_kind: Set("staff".into()),
        principal_id: Set(staff_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(300).collect())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The staff member behind a session token, if the session is alive; touches its last activity.
pub async fn resolve_session<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<Option<StaffIdentity>> {
    let now = Utc::now();
    let Some(sess) = session::Entity::find_by_id(token_hash(token)).one(db).await? else { return Ok(None) };
    if sess.principal_kind != "staff" || sess.expires_at <= now || sess.last_seen_at + IDLE <= now {
        return Ok(None);
    }
    let Some(member) = staff::Entity::find_by_id(sess.principal_id).one(db).await?.filter(|s| s.active)
    else {
        return Ok(None);
    };
    // Touch at most once a minute: sessions are read on every request.
    if now - sess.last_seen_at > Duration::minutes(1) {
        let mut am: session::ActiveModel = sess.into();
        am.last_seen_at = Set(now);
        am.update(db).await?;
    }
    Ok(Some(StaffIdentity { id: member.id, name: member.name, email: member.email }))
}

pub async fn end_session<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<()> {
    session::Entity::delete_by_id(token_hash(token)).exec(db).await?;
    Ok(())
}
