//! The module trait, the errors and the context a job attempt hands a module.
use super::job;
use super::redact::Redactor;
use super::{manual, mariadb, powerdns};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why a module call did not succeed. Transient errors are retried with backoff; permanent ones
/// end the job as failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProvError {
    #[error("{0}")]
    Transient(String),
    #[error("{0}")]
    Permanent(String),
    #[error("not supported by this module")]
    Unsupported,
    /// Another worker holds the job now (this one's lease ran out): stop without a trace.
    #[error("the job was taken over")]
    Fenced,
    /// The test hook stopped the job after a step, as if the process had died.
    #[error("stopped after a step")]
    Stopped,
}

/// A server as a module sees it: the admin credential opened (never printed by Debug).
#[derive(Clone)]
pub struct ServerConf {
    pub id: i32,
    pub host: String,
    pub port: u16,
    pub username: String,
    pub secret: String,
    pub settings: serde_json::Value,
}

/// A sealed secret opened ('' stays ''), or a message for the job's log.
pub fn open_secret(sealed: &str) -> Result<String, String> {
    if sealed.is_empty() {
        return Ok(String::new());
    }
    crate::auth::secrets::open(sealed).map_err(|_| "a stored secret could not be opened".to_string())
}

impl ServerConf {
    /// A server or registrar row as a module sees it: the secret opened, the settings read.
    pub fn from_stored(
        id: i32,
        host: &str,
        port: i32,
        username: &str,
        sealed_secret: &str,
        settings: &str,
    ) -> Result<ServerConf, String> {
        Ok(ServerConf {
            id,
            host: host.to_string(),
            port: u16::try_from(port).map_err(|_| "the port is not valid".to_string())?,
            username: username.to_string(),
            secret: open_secret(sealed_secret)?,
            settings: serde_json::from_str(settings).unwrap_or(serde_json::Value::Null),
        })
    }
}

/// The account a job works on (its password never printed by Debug).
#[derive(Clone)]
pub struct Account {
    pub hosting_id: i32,
    /// Fixed on the hosting row: `[a-z][a-z0-9]{0,31}`.
    pub username: String,
    /// A-label or empty.
    pub domain: String,
    pub password: String,
    pub package: serde_json::Value,
    /// The customer's own nameservers (hostnames); empty: the server's.
    pub nameservers: Vec<String>,
    /// Glue addresses of those nameservers.
    pub glue: Vec<(String, Vec<std::net::IpAddr>)>,
}

impl std::fmt::Debug for ServerConf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConf")
            .field("id", &self.id)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("secret", &super::redact::MASK)
            .field("settings", &self.settings)
            .finish()
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("hosting_id", &self.hosting_id)
            .field("username", &self.username)
            .field("domain", &self.domain)
            .field("password", &super::redact::MASK)
            .finish()
    }
}

/// What the server says about an account (reconciliation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remote {
    Active,
    Suspended,
    Missing,
    /// Some of it is there (e.g. the database without its user).
    Partial(String),
}

impl Remote {
    /// How it is stored on the hosting (`hostings.remote_state`).
    pub fn word(&self) -> &'static str {
        match self {
            Remote::Active => "active",
            Remote::Suspended => "suspended",
            Remote::Missing => "missing",
            Remote::Partial(_) => "partial",
        }
    }
}

/// A provisioning module. Every method is idempotent: a retry after a crash between the remote
/// effect and its record must end in the same state, never in a second account.
#[async_trait::async_trait]
pub trait Provisioner: Send + Sync {
    /// The `servers.module` value; never renamed.
    fn module(&self) -> &'static str;
    /// Whether the module needs a domain on each hosting (DNS zones).
    fn needs_domain(&self) -> bool {
        false
    }
    async fn test_connection(&self, server: &ServerConf) -> Result<String, ProvError>;
    /// Create the account; returns the external reference shown to staff.
    async fn create(&self, j: &JobCtx, a: &Account) -> Result<String, ProvError>;
    async fn suspend(&self, j: &JobCtx, a: &Account, reason: &str) -> Result<(), ProvError>;
    async fn unsuspend(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError>;
    /// Remove the account; one already gone counts as removed.
    async fn terminate(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError>;
    async fn status(&self, j: &JobCtx, a: &Account) -> Result<Remote, ProvError>;
}

/// The modules a worker may run, by name.
#[derive(Clone)]
pub struct Modules(HashMap<&'static str, Arc<dyn Provisioner>>);

impl Modules {
    /// The modules that ship.
    pub fn standard() -> Modules {
        Modules(HashMap::new())
            .with(Arc::new(manual::Manual))
            .with(Arc::new(mariadb::MariaDb))
            .with(Arc::new(powerdns::PowerDns))
    }

    /// These modules plus `module` (tests add their own).
    pub fn with(mut self, module: Arc<dyn Provisioner>) -> Modules {
        self.0.insert(module.module(), module);
        self
    }

    pub fn get(&self, name: &str) -> Option<Arc<dyn Provisioner>> {
        self.0.get(name).cloned()
    }

    /// The names staff may choose for a server.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.0.keys().copied().collect();
        names.sort_unstable();
        names
    }
}

/// A taken job as `JobCtx` needs it, whatever its queue.
pub struct JobRef<'a> {
    pub id: i32,
    /// The attempt taken (the job's `attempts`).
    pub attempt: i32,
    /// The hosting or domain.
    pub subject_id: i32,
    pub customer_id: i32,
    pub steps_done: &'a str,
}

impl<'a> From<&'a crate::db::entities::provisioning_job::Model> for JobRef<'a> {
    fn from(job: &'a crate::db::entities::provisioning_job::Model) -> JobRef<'a> {
        JobRef {
            id: job.id,
            attempt: job.attempts,
            subject_id: job.hosting_id,
            customer_id: job.customer_id,
            steps_done: &job.steps_done,
        }
    }
}

/// One attempt of a job as the module sees it: its steps, its log, its secrets.
pub struct JobCtx {
    pub db: crate::db::Db,
    pub queue: &'static job::Queue,
    pub job_id: i32,
    pub attempt: i32,
    /// The hosting or domain.
    pub subject_id: i32,
    pub customer_id: i32,
    pub server: ServerConf,
    steps: Mutex<Vec<String>>,
    redactor: Mutex<Redactor>,
    /// Test hook: end the attempt right after recording this step, as a killed process would.
    stop_after: Option<String>,
}

impl JobCtx {
    pub fn new(
        db: crate::db::Db,
        queue: &'static job::Queue,
        job: JobRef<'_>,
        server: ServerConf,
        secrets: &[&str],
        stop_after: Option<String>,
    ) -> JobCtx {
        let mut redactor = Redactor::default();
        for s in secrets.iter().chain([&server.secret.as_str()]) {
            redactor.add(s);
        }
        JobCtx {
            db,
            queue,
            job_id: job.id,
            attempt: job.attempt,
            subject_id: job.subject_id,
            customer_id: job.customer_id,
            server,
            steps: Mutex::new(job::steps_of(job.steps_done)),
            redactor: Mutex::new(redactor),
            stop_after,
        }
    }

    /// Something else that must never reach a log (a password's hash).
    pub fn redact_also(&self, secret: &str) {
        self.redactor.lock().expect("redactor").add(secret);
    }

    /// `text` with every known secret replaced.
    pub fn redact(&self, text: &str) -> String {
        self.redactor.lock().expect("redactor").apply(text)
    }

    pub fn done(&self, step: &str) -> bool {
        self.steps.lock().expect("steps").iter().any(|s| s == step)
    }

    /// Run `step` unless an earlier attempt recorded it; record it after success under the fence
    /// (a worker that lost the job stops here) and renew the lease.
    pub async fn step<F, Fut>(&self, name: &str, run: F) -> Result<(), ProvError>
    where
        F: FnOnce() -> Fut + Send,
        Fut: std::future::Future<Output = Result<(), ProvError>> + Send,
    {
        if self.done(name) {
            self.log(name, "skipped: done in an earlier attempt").await;
            return Ok(());
        }
        run().await?;
        let steps = {
            let mut steps = self.steps.lock().expect("steps");
            steps.push(name.to_string());
            steps.join(",")
        };
        match job::record_step(&self.db, self.queue, self.job_id, self.attempt, &steps).await {
            Ok(true) => {}
            Ok(false) => return Err(ProvError::Fenced),
            Err(_) => return Err(ProvError::Transient("could not record the step".into())),
        }
        self.log(name, "done").await;
        if self.stop_after.as_deref() == Some(name) {
            return Err(ProvError::Stopped);
        }
        Ok(())
    }

    /// A line in the job's log, redacted. A log that cannot be written does not stop the job.
    pub async fn log(&self, step: &str, message: &str) {
        self.write_log(step, "info", message).await;
    }

    pub async fn log_error(&self, step: &str, message: &str) {
        self.write_log(step, "error", message).await;
    }

    async fn write_log(&self, step: &str, level: &str, message: &str) {
        let line = job::LogLine {
            job_id: self.job_id,
            subject_id: self.subject_id,
            customer_id: self.customer_id,
            attempt: self.attempt,
            step,
            level,
            message: &self.redact(message),
        };
        if let Err(e) = job::append_log(&self.db, self.queue, line).await {
            tracing::warn!(job = self.job_id, error = %e, "could not write a provisioning log line");
        }
    }
}
