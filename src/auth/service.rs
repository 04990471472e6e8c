//! Passwords (argon2id) and database-stored sessions (only a hash of the token is kept).
use super::StaffIdentity;
use super::permissions::{BuiltinRole, Permission};
use crate::db::entities::{role, role_permission, session, staff};
use crate::error::AppResult;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// The session cookie's name: `__Host-` prefixed over HTTPS, so no subdomain can set or scope it.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure { "__Host-cd_session" } else { "cd_session" }
}
/// Sliding idle timeout (default; `CLIENTDESK_IDLE_MINUTES` overrides) and absolute lifetime of
/// a staff session.
pub use crate::web::config::IDLE;
pub const ABSOLUTE: Duration = Duration::hours(12);

fn argon2() -> Argon2<'static> {
    // OWASP: argon2id, 19 MiB, t=2, p=1.
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid params"),
    )
}

/// Hashing takes tens of milliseconds of CPU: it runs on the blocking pool, at most as many at
/// once as there are cores, so a flood of logins queues here instead of starving the async
/// workers that serve every other request.
static ARGON2_SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _slot = ARGON2_SLOTS.acquire().await.expect("the semaphore is never closed");
    tokio::task::spawn_blocking(work).await.expect("argon2 does not panic")
}

pub async fn hash_password(password: &str) -> String {
    let password = password.to_string();
    off_the_workers(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).expect("argon2 hashing").to_string()
    })
    .await
}

pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    off_the_workers(move || {
        PasswordHash::new(&hash).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
}

/// SHA-256 (hex) of a secret token: what we store instead of the token itself.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Check a login; the same answer (and roughly the same time) for unknown e-mail and wrong password.
/// Returns the staff member.
pub async fn check_login<C: ConnectionTrait>(
    db: &C,
    email: &str,
    password: &str,
) -> AppResult<Option<staff::Model>> {
    let found =
        staff::Entity::find().filter(staff::Column::Email.eq(email.trim().to_lowercase())).one(db).await?;
    let Some(member) = found.filter(|s| s.active) else {
        // Spend the same work as a real check so timing does not reveal accounts.
        let _ = verify_password(
            password,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWg",
        )
        .await;
        return Ok(None);
    };
    Ok(verify_password(password, &member.password_hash).await.then_some(member))
}

/// The minimum length of a staff or customer password (ASVS 2.1.1).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What a role allows: built-in roles from code, operator-defined ones from the database.
pub async fn role_permissions<C: ConnectionTrait>(db: &C, role: &role::Model) -> AppResult<Vec<Permission>> {
    if role.builtin {
        return Ok(BuiltinRole::from_key(&role.key).map(BuiltinRole::permissions).unwrap_or_default());
    }
    let rows =
        role_permission::Entity::find().filter(role_permission::Column::RoleId.eq(role.id)).all(db).await?;
    let mut permissions: Vec<Permission> =
        rows.iter().filter_map(|r| Permission::from_key(&r.permission)).collect();
    permissions.sort();
    Ok(permissions)
}

/// A staff row with its role's name and permissions.
pub async fn identity<C: ConnectionTrait>(db: &C, member: staff::Model) -> AppResult<StaffIdentity> {
    let role = match member.role_id {
        Some(id) => role::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let (role_name, permissions) = match role {
        Some(r) => (r.name.clone(), role_permissions(db, &r).await?),
        None => (String::new(), Vec::new()),
    };
    let must_enrol_2fa = member.totp_secret.is_none()
        && crate::db::settings::flag(db, crate::db::settings::REQUIRE_STAFF_2FA).await?;
    Ok(StaffIdentity {
        id: member.id,
        name: member.name,
        email: member.email,
        role_name,
        permissions,
        must_enrol_2fa,
    })
}

/// Start a session; returns the token for the cookie (256 random bits).
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    staff_id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    insert_session(db, "staff", staff_id, ABSOLUTE, ip, user_agent).await
}

/// Between password and second factor: a short-lived session that allows nothing but the
/// second step of the login.
pub const PENDING_2FA: Duration = Duration::minutes(5);
/// The cookie of that step: `__Host-` prefixed over HTTPS like the session's.
pub fn pending_cookie(secure: bool) -> &'static str {
    if secure { "__Host-cd_2fa" } else { "cd_2fa" }
}

pub async fn create_pending_2fa<C: ConnectionTrait>(
    db: &C,
    staff_id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    insert_session(db, "staff_2fa", staff_id, PENDING_2FA, ip, user_agent).await
}

/// The staff member waiting for their second factor, if that step has not expired.
pub async fn resolve_pending_2fa<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<Option<i32>> {
    resolve_pending(db, token, "staff_2fa").await
}

/// A pending (between password and second factor) session of `kind`.
pub async fn create_pending<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    insert_session(db, kind, id, PENDING_2FA, ip, user_agent).await
}

/// Who waits in a pending session of `kind`, if it has not expired.
pub async fn resolve_pending<C: ConnectionTrait>(db: &C, token: &str, kind: &str) -> AppResult<Option<i32>> {
    let found = session::Entity::find_by_id(token_hash(token)).one(db).await?;
    Ok(found.filter(|s| s.principal_kind == kind && s.expires_at > Utc::now()).map(|s| s.principal_id))
}

/// A new session row of any principal kind; returns the cookie token (256 random bits).
pub async fn insert_session<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    id: i32,
    lifetime: Duration,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    session::ActiveModel {
        id_hash: Set(token_hash(&token)),
        principal_kind: Set(kind.into()),
        principal_id: Set(id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + lifetime),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(300).collect())),
        impersonator_staff_id: Set(None),
        reason: Set(String::new()),
        parent_id_hash: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The staff member behind a session token, if the session is alive; touches its last activity.
pub async fn resolve_session<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<Option<StaffIdentity>> {
    resolve_session_with(db, token, IDLE).await
}

/// As `resolve_session`, with the configured idle timeout.
pub async fn resolve_session_with<C: ConnectionTrait>(
    db: &C,
    token: &str,
    idle: Duration,
) -> AppResult<Option<StaffIdentity>> {
    resolve_session_hash(db, &token_hash(token), idle).await
}

/// As `resolve_session_with`, for the stored hash of a token (the staff session an impersonation
/// was opened from).
pub async fn resolve_session_hash<C: ConnectionTrait>(
    db: &C,
    id_hash: &str,
    idle: Duration,
) -> AppResult<Option<StaffIdentity>> {
    session_by_hash(db, id_hash, idle, true).await
}

/// Whether a session still lives and as whom, without counting as activity (an open live
/// stream must not keep its session from timing out).
pub async fn check_session_hash<C: ConnectionTrait>(
    db: &C,
    id_hash: &str,
    idle: Duration,
) -> AppResult<Option<StaffIdentity>> {
    session_by_hash(db, id_hash, idle, false).await
}

async fn session_by_hash<C: ConnectionTrait>(
    db: &C,
    id_hash: &str,
    idle: Duration,
    touch: bool,
) -> AppResult<Option<StaffIdentity>> {
    let now = Utc::now();
    let Some(sess) = session::Entity::find_by_id(id_hash.to_string()).one(db).await? else { return Ok(None) };
    if sess.principal_kind != "staff" || sess.expires_at <= now || sess.last_seen_at + idle <= now {
        return Ok(None);
    }
    let Some(member) = staff::Entity::find_by_id(sess.principal_id).one(db).await?.filter(|s| s.active)
    else {
        return Ok(None);
    };
    // Touch at most once a minute: sessions are read on every request.
    if touch && now - sess.last_seen_at > Duration::minutes(1) {
        let mut am: session::ActiveModel = sess.into();
        am.last_seen_at = Set(now);
        am.update(db).await?;
    }
    Ok(Some(identity(db, member).await?))
}

pub async fn end_session<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<()> {
    session::Entity::delete_by_id(token_hash(token)).exec(db).await?;
    Ok(())
}

/// End every session of a principal (deactivation, "log out everywhere", password change).
pub async fn end_sessions_of<C: ConnectionTrait>(db: &C, kind: &str, id: i32) -> AppResult<u64> {
    end_sessions_except(db, kind, id, None).await
}

/// End every customer session a staff member opened by acting as the customer. (Ending a staff
/// session ends those opened from it by itself: ON DELETE CASCADE.)
pub async fn end_impersonations_by<C: ConnectionTrait>(db: &C, staff_id: i32) -> AppResult<u64> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ImpersonatorStaffId.eq(staff_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// End a principal's sessions but the one with token `keep` (the one asking).
pub async fn end_sessions_except<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    id: i32,
    keep: Option<&str>,
) -> AppResult<u64> {
    let mut q = session::Entity::delete_many()
        .filter(session::Column::PrincipalKind.eq(kind))
        .filter(session::Column::PrincipalId.eq(id));
    if let Some(token) = keep {
        q = q.filter(session::Column::IdHash.ne(token_hash(token)));
    }
    Ok(q.exec(db).await?.rows_affected)
}
