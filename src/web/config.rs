//! Configuration from the environment (and CLI flags that override it).
use std::net::SocketAddr;
use std::path::PathBuf;

/// A staff session's default sliding idle timeout.
pub const IDLE: chrono::Duration = chrono::Duration::minutes(30);
/// The largest file one upload takes by default, in MiB.
pub const UPLOAD_MAX_MB: u64 = 100;
/// Files in one upload by default.
pub const UPLOAD_MAX_FILES: usize = 10;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default: a file in the data folder) or `postgres://…`.
    pub database_url: String,
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Mark cookies Secure and `__Host-` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Staff sessions end after this long without a request.
    pub session_idle: chrono::Duration,
    /// Where users reach this app (links in mails), e.g. `https://crm.example.com`.
    pub base_url: String,
    /// `smtp://…` or `smtps://user:pass@host`; without it mails become .eml files in the data folder.
    pub smtp_url: Option<String>,
    /// Sender of every mail.
    pub mail_from: String,
    /// Seed demo staff, customers and lived-in profiles into an empty database (`serve --demo`,
    /// `CLIENTDESK_DEMO=1`). Off by default: a production start never creates known logins.
    pub demo: bool,
    /// The reverse proxies in front of the app (`CLIENTDESK_TRUSTED_PROXIES`, addresses or
    /// networks, comma-separated): only a request from one of them may name the client in
    /// `X-Forwarded-For`. Empty: the peer address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where customer files lie (`CLIENTDESK_STORAGE`): unset for `files` in the data folder,
    /// or `s3://bucket/prefix` (endpoint and keys from `AWS_ENDPOINT`, `AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
    pub storage: Option<String>,
    /// The largest file one upload takes, in MiB (`CLIENTDESK_UPLOAD_MAX_MB`, 100).
    pub upload_max_mb: u64,
    /// Files in one upload (`CLIENTDESK_UPLOAD_MAX_FILES`, 10).
    pub upload_max_files: usize,
}

impl Config {
    /// A configuration for tests and benchmarks: the given address, defaults otherwise.
    pub fn for_tests(listen: SocketAddr, data_dir: PathBuf) -> Config {
        Config {
            database_url: String::new(),
            data_dir,
            listen,
            secure_cookies: false,
            session_idle: IDLE,
            base_url: format!("http://{listen}"),
            smtp_url: None,
            mail_from: "clientdesk <no-reply@clientdesk.invalid>".into(),
            demo: false,
            trusted_proxies: Vec::new(),
            storage: None,
            upload_max_mb: UPLOAD_MAX_MB,
            upload_max_files: UPLOAD_MAX_FILES,
        }
    }

    pub fn from_env() -> Config {
        let data_dir = PathBuf::from(std::env::var("CLIENTDESK_DATA_DIR").unwrap_or_else(|_| "data".into()));
        let database_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}/clientdesk.db?mode=rwc", data_dir.display()));
        let listen = std::env::var("CLIENTDESK_LISTEN")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
        let session_idle = std::env::var("CLIENTDESK_IDLE_MINUTES")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|m| (1..=24 * 60).contains(m))
            .map_or(IDLE, chrono::Duration::minutes);
        let base_url = std::env::var("CLIENTDESK_BASE_URL").unwrap_or_else(|_| format!("http://{listen}"));
        let secure_cookies = served_over_https(&base_url);
        let smtp_url = std::env::var("SMTP_URL").ok().filter(|v| !v.is_empty());
        let mail_from = std::env::var("CLIENTDESK_MAIL_FROM")
            .unwrap_or_else(|_| "clientdesk <no-reply@clientdesk.invalid>".into());
        let demo = std::env::var("CLIENTDESK_DEMO").is_ok_and(|v| v == "1" || v == "true");
        let trusted_proxies = std::env::var("CLIENTDESK_TRUSTED_PROXIES")
            .map(|v| parse_proxies(&v).unwrap_or_else(|e| panic!("CLIENTDESK_TRUSTED_PROXIES: {e}")))
            .unwrap_or_default();
        let number = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        Config {
            storage: std::env::var("CLIENTDESK_STORAGE").ok().filter(|v| !v.trim().is_empty()),
            upload_max_mb: number("CLIENTDESK_UPLOAD_MAX_MB", UPLOAD_MAX_MB),
            upload_max_files: number("CLIENTDESK_UPLOAD_MAX_FILES", UPLOAD_MAX_FILES as u64) as usize,
            database_url,
            data_dir,
            listen,
            secure_cookies,
            session_idle,
            base_url,
            smtp_url,
            mail_from,
            demo,
            trusted_proxies,
        }
    }

    /// The largest file one upload takes, in bytes.
    pub fn upload_max_bytes(&self) -> u64 {
        self.upload_max_mb * 1024 * 1024
    }

    /// The largest upload request: every file at its largest, and room for the form around them.
    pub fn upload_request_max(&self) -> usize {
        (self.upload_max_bytes() * self.upload_max_files as u64 + 1024 * 1024) as usize
    }

    /// Create the data folder when the database lives there.
    pub fn prepare_data_dir(&self) -> std::io::Result<()> {
        if self.database_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&self.data_dir)?;
        }
        Ok(())
    }
}

/// Whether users reach the app over HTTPS: then cookies are `Secure` with the `__Host-` prefix
/// and responses carry HSTS. Follows the base URL, so it cannot be forgotten behind a proxy.
pub fn served_over_https(base_url: &str) -> bool {
    base_url.trim().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

/// `10.0.0.1, 192.168.0.0/16, ::1`: single addresses or networks.
pub fn parse_proxies(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("not an address or network: {s}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn https_follows_the_base_url() {
        assert!(super::served_over_https("https://desk.example.com"));
        assert!(super::served_over_https("HTTPS://desk.example.com/"));
        assert!(!super::served_over_https("http://127.0.0.1:3000"));
        assert!(!super::served_over_https("desk.example.com"));
    }
}
