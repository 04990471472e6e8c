//! Secrets the server has to read back (the TOTP seeds of staff and portal logins) are stored
//! encrypted with XChaCha20-Poly1305, under a key that is not in the database: a copy of the
//! database alone reveals no second factor. The key is `CLIENTDESK_SECRET_KEY` (64 hex digits;
//! the same on every instance of one installation) or else the file `secret.key` in the data
//! folder, created on the first start. Stored form: `v1:` and the hex of nonce and ciphertext.
use crate::error::{AppError, AppResult};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::sync::OnceLock;

static KEY: OnceLock<[u8; 32]> = OnceLock::new();
const PREFIX: &str = "v1:";

/// Set the key for this process from the environment or the data folder (server start).
pub fn init(data_dir: &std::path::Path) -> Result<(), String> {
    let key = match std::env::var("CLIENTDESK_SECRET_KEY") {
        Ok(hex_key) => parse(&hex_key).ok_or("CLIENTDESK_SECRET_KEY: 64 hex digits expected")?,
        Err(_) => from_file(&data_dir.join("secret.key"))?,
    };
    if KEY.set(key).is_err() && KEY.get() != Some(&key) {
        return Err("the secret key was already set to another value".into());
    }
    Ok(())
}

fn parse(hex_key: &str) -> Option<[u8; 32]> {
    hex::decode(hex_key.trim()).ok()?.try_into().ok()
}

fn from_file(path: &std::path::Path) -> Result<[u8; 32], String> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return parse(&text).ok_or_else(|| format!("{}: 64 hex digits expected", path.display()));
    }
    let key = random_key();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    write_private(path, &hex::encode(key)).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(key)
}

/// Written readable by the owner only.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

/// The key of this process. Without `init` (tests, tools that store no secret for later) a
/// random key for this process only.
fn key() -> &'static [u8; 32] {
    KEY.get_or_init(random_key)
}

pub fn seal(plain: &str) -> String {
    let cipher = XChaCha20Poly1305::new(key().into());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed =
        cipher.encrypt(XNonce::from_slice(&nonce), plain.as_bytes()).expect("encryption cannot fail");
    format!("{PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed))
}

/// The plain secret. A value stored before encryption (no prefix) is returned as it is until
/// `seal_stored` has run.
pub fn open(stored: &str) -> AppResult<String> {
    let Some(body) = stored.strip_prefix(PREFIX) else { return Ok(stored.to_string()) };
    let bytes = hex::decode(body).map_err(|_| AppError::Internal)?;
    if bytes.len() < 24 {
        return Err(AppError::Internal);
    }
    let (nonce, sealed) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new(key().into());
    let plain = cipher.decrypt(XNonce::from_slice(nonce), sealed).map_err(|_| {
        tracing::error!("a stored secret does not open with this key (CLIENTDESK_SECRET_KEY / secret.key)");
        AppError::Internal
    })?;
    String::from_utf8(plain).map_err(|_| AppError::Internal)
}

/// Encrypt the TOTP seeds stored in plain text before this existed (at server start).
pub async fn seal_stored<C: sea_orm::ConnectionTrait>(db: &C) -> AppResult<u64> {
    use crate::db::stmt;
    let mut sealed = 0;
    for table in ["staff", "portal_logins"] {
        for column in ["totp_secret", "totp_pending"] {
            let sql = format!(
                "SELECT id, {column} AS s FROM {table} WHERE {column} IS NOT NULL AND {column} NOT LIKE 'v1:%'"
            );
            for row in db.query_all_raw(stmt(db, &sql, vec![])).await? {
                let (id, plain): (i32, String) = (row.try_get("", "id")?, row.try_get("", "s")?);
                // Only if it is still the value read (an enrolment at the same moment wins).
                let update = format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3");
                let values = vec![seal(&plain).into(), id.into(), plain.into()];
                sealed += db.execute_raw(stmt(db, &update, values)).await?.rows_affected();
            }
        }
    }
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sealed_secret_opens_only_whole() {
        let sealed = super::seal("JBSWY3DPEHPK3PXP");
        assert!(sealed.starts_with("v1:") && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(sealed, super::seal("JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(super::open(&sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        let last = if sealed.ends_with('0') { "1" } else { "0" };
        let tampered = format!("{}{last}", &sealed[..sealed.len() - 1]);
        assert!(super::open(&tampered).is_err());
        assert_eq!(super::open("LEGACYPLAIN").unwrap(), "LEGACYPLAIN");
    }
}
