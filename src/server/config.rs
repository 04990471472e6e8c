//! Configuration from the environment (and CLI flags that override it).
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default: a file in the data folder) or `postgres://…`.
    pub database_url: String,
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Mark cookies Secure (set when served over HTTPS).
    pub secure_cookies: bool,
}

impl Config {
    pub fn from_env() -> Config {
        let data_dir = PathBuf::from(std::env::var("CLIENTDESK_DATA_DIR").unwrap_or_else(|_| "data".into()));
        let database_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}/clientdesk.db?mode=rwc", data_dir.display()));
        let listen = std::env::var("CLIENTDESK_LISTEN")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
        let secure_cookies =
            std::env::var("CLIENTDESK_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true");
        Config { database_url, data_dir, listen, secure_cookies }
    }

    /// Create the data folder when the database lives there.
    pub fn prepare_data_dir(&self) -> std::io::Result<()> {
        if self.database_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&self.data_dir)?;
        }
        Ok(())
    }
}
