//! TOTP two-factor login for staff (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock skew),
//! with recovery codes. Enrolment needs the password again and is confirmed by a first code;
//! each code is accepted once.
use super::service::{token_hash, verify_password};
use crate::db::entities::staff;
use crate::error::{AppError, AppResult, FieldError};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Builder, Secret, Totp};

pub const RECOVERY_CODES: usize = 10;
const STEP: u64 = 30;

/// What the enrolment page shows: the QR code (SVG) and the secret for manual entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

fn totp(secret_base32: &str, account: &str) -> AppResult<Totp> {
    let secret = Secret::try_from_base32(secret_base32).map_err(|_| AppError::Internal)?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP)
        .with_secret(secret)
        .with_issuer(Some("clientdesk"))
        .with_account_name(account.replace(':', "_"))
        .build()
        .map_err(|_| AppError::Internal)
}

/// The time step of `code` if it is valid now (one step of skew either way) and newer than
/// `last_step`; a code therefore works only once.
pub fn accepted_step(secret: &str, account: &str, code: &str, last_step: i64, unix: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let t = totp(secret, account).ok()?;
    let now = unix / STEP;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|step| *step as i64 > last_step)
        .find(|step| t.generate(step * STEP).to_string() == code)
        .map(|step| step as i64)
}

/// The code of a secret at a time: for tests and the CLI.
pub fn code_at(secret: &str, unix: u64) -> String {
    totp(secret, "x").map(|t| t.generate(unix).to_string()).unwrap_or_default()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

async fn member<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<staff::Model> {
    staff::Entity::find_by_id(id).one(db).await?.filter(|s| s.active).ok_or(AppError::NotFound)
}

/// Start enrolment after checking the password again; replaces an unfinished enrolment.
pub async fn start<C: ConnectionTrait>(db: &C, staff_id: i32, password: &str) -> AppResult<Enrolment> {
    let m = member(db, staff_id).await?;
    if !verify_password(password, &m.password_hash) {
        return Err(invalid("password", "account.wrong_password"));
    }
    let mut raw = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = Secret::from(raw).to_base32();
    let url = totp(&secret, &m.email)?.to_url().map_err(|_| AppError::Internal)?;
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let mut am = m.into_active_model();
    am.totp_pending = Set(Some(secret.clone()));
    am.update(db).await?;
    Ok(Enrolment { secret, otpauth_url: url, qr_svg })
}

fn new_recovery_codes() -> (Vec<String>, String) {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String =
                (0..10).map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect();
    let hashes = codes.iter().map(|c| token_hash(c)).collect::<Vec<_>>().join(",");
    (codes, hashes)
}

/// Confirm enrolment with a first code; returns the recovery codes, shown once.
pub async fn confirm<C: ConnectionTrait>(db: &C, staff_id: i32, code: &str) -> AppResult<Vec<String>> {
    let m = member(db, staff_id).await?;
    let Some(pending) = m.totp_pending.clone() else { return Err(invalid("code", "account.no_enrolment")) };
    let Some(step) = accepted_step(&pending, &m.email, code, 0, unix_now()) else {
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
    if !verify_password(password, &m.password_hash) {
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
/// then used up).
pub async fn check<C: ConnectionTrait>(db: &C, staff_id: i32, code: &str) -> AppResult<bool> {
    let m = member(db, staff_id).await?;
    let Some(secret) = m.totp_secret.clone() else { return Ok(false) };
    if let Some(step) = accepted_step(&secret, &m.email, code, m.totp_last_step, unix_now()) {
        let mut am = m.into_active_model();
        am.totp_last_step = Set(step);
        am.update(db).await?;
        return Ok(true);
    }
    let hash = token_hash(code.trim().to_lowercase().as_str());
    let mut remaining: Vec<&str> = m.recovery_codes.split(',').filter(|h| !h.is_empty()).collect();
    let Some(pos) = remaining.iter().position(|h| *h == hash) else { return Ok(false) };
    remaining.remove(pos);
    let left = remaining.join(",");
    let mut am = m.into_active_model();
    am.recovery_codes = Set(left);
    am.update(db).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_accepted_once_and_only_near_their_time() {
        let secret = Secret::from(*b"12345678901234567890").to_base32();
        // RFC 6238 test vector (SHA-1, T = 59 s) in its last six digits.
        assert_eq!(code_at(&secret, 59), "287082");
        let now = 1_800_000_000;
        let code = code_at(&secret, now);
        let step = accepted_step(&secret, "a", &code, 0, now).expect("valid now");
        assert_eq!(accepted_step(&secret, "a", &code, step, now), None, "used once");
        assert!(accepted_step(&secret, "a", &code, 0, now + 30).is_some(), "one step of skew");
        assert_eq!(accepted_step(&secret, "a", &code, 0, now + 90), None, "too old");
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(!hashes.contains(&codes[0]));
    }
}
