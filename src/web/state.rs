//! What every handler and server function can reach: the database, the configuration, and
//! Leptos' options.
use super::config::Config;
use crate::db::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Live streams one staff session may hold open (one per open profile tab; a browser keeps at
/// most six connections to a site anyway).
pub const STREAMS_PER_SESSION: usize = 8;
/// Reports rendered at once; more wait their turn.
pub const RENDERS_AT_ONCE: usize = 2;
/// Uploads streamed at once.
pub const UPLOADS_AT_ONCE: usize = 4;
/// Licence checks (`/api/licences/verify`) per client address and minute.
pub const LICENCE_CHECKS_PER_MINUTE: u32 = 60;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    /// Wakes the mail sender when a mail was queued.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// Wakes the provisioning worker when a change queued a job.
    #[from_ref(skip)]
    pub jobs_wakeup: Arc<tokio::sync::Notify>,
    /// Live change events for open profiles.
    pub live: Arc<crate::live::bus::Bus>,
    /// Our own site (the base URL's scheme, host and port), read once for the origin check.
    pub site: Arc<crate::web::respond::Site>,
    /// Live streams open per staff session.
    pub streams: Arc<super::limits::PerKey>,
    /// Reports typeset at once (a PDF takes seconds of CPU).
    pub renders: Arc<tokio::sync::Semaphore>,
    /// Licence checks per client address and minute.
    pub licence_checks: Arc<super::limits::Rate>,
    /// Where customer files lie.
    pub store: crate::storage::Store,
    /// Uploads streamed at once; more wait their turn (each holds a few parts in memory).
    #[from_ref(skip)]
    pub uploads: Arc<tokio::sync::Semaphore>,
    /// Wakes the clean-up of stored objects (a file deleted).
    #[from_ref(skip)]
    pub cleanup_wakeup: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> super::anyhow_lite::Result<AppState> {
        // Without cargo-leptos' environment (a plain binary, tests) read Cargo.toml's metadata.
        let file = std::env::var("LEPTOS_OUTPUT_NAME").is_err().then_some("Cargo.toml");
        let mut leptos_options = leptos::prelude::get_configuration(file)?.leptos_options;
        leptos_options.site_addr = config.listen;
        let live = crate::live::bus::Bus::new(db.clone());
        let site = Arc::new(crate::web::respond::Site::of(&config.base_url));
        let store = crate::storage::Store::configured(config.storage.as_deref(), &config.data_dir)?;
        Ok(AppState {
            leptos_options,
            db,
            config: Arc::new(config),
            mail_wakeup: Default::default(),
            jobs_wakeup: Default::default(),
            live,
            site,
            streams: super::limits::PerKey::new(STREAMS_PER_SESSION),
            renders: Arc::new(tokio::sync::Semaphore::new(RENDERS_AT_ONCE)),
            licence_checks: Arc::new(super::limits::Rate::new(
                LICENCE_CHECKS_PER_MINUTE,
                std::time::Duration::from_secs(60),
            )),
            store,
            uploads: Arc::new(tokio::sync::Semaphore::new(UPLOADS_AT_ONCE)),
            cleanup_wakeup: Default::default(),
        })
    }

    /// The same state with its files in another store (tests: an S3 server).
    pub fn with_store(self, store: crate::storage::Store) -> AppState {
        AppState { store, ..self }
    }

    /// The write path's context for a change made by `by` (a name): its live events go to this
    /// instance's bus, a queued mail wakes this instance's sender.
    pub fn ctx(&self, by: &str) -> crate::write::Ctx {
        crate::write::Ctx::new(self.db.clone(), self.live.clone(), self.mail_wakeup.clone(), by)
            .with_jobs(self.jobs_wakeup.clone())
            .with_mail_files(self.config.data_dir.join("mail"))
            .with_base_url(&self.config.base_url)
    }
}

/// The state inside a server function.
pub fn app_state() -> crate::error::AppResult<AppState> {
    leptos::prelude::use_context::<AppState>().ok_or(crate::error::AppError::Internal)
}
