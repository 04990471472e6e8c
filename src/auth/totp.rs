//! TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock skew) and recovery codes, shared by
//! the staff login and the portal login. Each code is accepted once: callers store the last
//! accepted time step.
use super::service::token_hash;
use crate::error::{AppError, AppResult};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Builder, Secret, Totp};

pub const RECOVERY_CODES: usize = 10;
const STEP: u64 = 30;

/// What an enrolment page shows: the QR code (SVG) and the secret for manual entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
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

/// A new random secret (160 bits) with its otpauth URL and QR code for `account`.
pub fn new_enrolment(account: &str) -> AppResult<Enrolment> {
    let mut raw = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = Secret::from(raw).to_base32();
    let url = totp(&secret, account)?.to_url().map_err(|_| AppError::Internal)?;
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(Enrolment { secret, otpauth_url: url, qr_svg })
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

/// The code of a secret at a time: for tests.
pub fn code_at(secret: &str, unix: u64) -> String {
    totp(secret, "x").map(|t| t.generate(unix).to_string()).unwrap_or_default()
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Ten new recovery codes (shown once) and their hashes (stored, comma-separated).
pub fn new_recovery_codes() -> (Vec<String>, String) {
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

/// If `code` is one of the stored recovery codes: the stored list without it.
pub fn use_recovery_code(stored: &str, code: &str) -> Option<String> {
    let hash = token_hash(code.trim().to_lowercase().as_str());
    let mut remaining: Vec<&str> = stored.split(',').filter(|h| !h.is_empty()).collect();
    let pos = remaining.iter().position(|h| *h == hash)?;
    remaining.remove(pos);
    Some(remaining.join(","))
}

/// Whose second factor a code is checked against: the row of `table` with `id`.
pub struct Holder<'a> {
    pub table: &'static str,
    pub id: i32,
    pub secret: &'a str,
    pub account: &'a str,
    pub last_step: i64,
    pub recovery_codes: &'a str,
}

/// Use a TOTP or recovery code once. The update is conditional (the step must still be newer,
/// the recovery codes still those read), and its affected-row count decides: of parallel
/// requests with the same code exactly one succeeds.
pub async fn consume<C: sea_orm::ConnectionTrait>(db: &C, holder: Holder<'_>, code: &str) -> AppResult<bool> {
    use crate::db::stmt;
    let Holder { table, id, secret, account, last_step, recovery_codes } = holder;
    if let Some(step) = accepted_step(secret, account, code, last_step, unix_now()) {
        let sql = format!("UPDATE {table} SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2");
        let done = db.execute_raw(stmt(db, &sql, vec![id.into(), step.into()])).await?;
        return Ok(done.rows_affected() == 1);
    }
    let Some(left) = use_recovery_code(recovery_codes, code) else { return Ok(false) };
    let sql = format!("UPDATE {table} SET recovery_codes = $2 WHERE id = $1 AND recovery_codes = $3");
    let done = db.execute_raw(stmt(db, &sql, vec![id.into(), left.into(), recovery_codes.into()])).await?;
    Ok(done.rows_affected() == 1)
}

pub fn recovery_codes_left(stored: &str) -> u32 {
    stored.split(',').filter(|h| !h.is_empty()).count() as u32
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
    }

    #[test]
    fn recovery_codes_work_once() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(!hashes.contains(&codes[0]));
        let left = use_recovery_code(&hashes, &codes[2].to_uppercase()).expect("valid");
        assert_eq!(recovery_codes_left(&left), 9);
        assert_eq!(use_recovery_code(&left, &codes[2]), None);
    }
}
