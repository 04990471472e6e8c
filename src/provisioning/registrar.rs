//! The registrar interface: what a registry can be asked about a domain, free of any protocol.
//! A module answers with what the registry says now; the Domains area's jobs turn that into the
//! domain's status. Every call is idempotent: asked again after an unknown outcome (a lost
//! answer), it ends in the same state (a second create finds the domain ours, a second renew
//! finds the expiry moved). Errors are `ProvError`: transient ones are retried with backoff,
//! permanent ones carry the registry's code and message for staff.
use super::{JobCtx, ProvError, ServerConf};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

/// The handles of a domain (owner, admin, tech, zone); '' for none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handles {
    pub owner: String,
    pub admin: String,
    pub tech: String,
    pub zone: String,
}

/// A registration as the registry gets it.
#[derive(Clone, PartialEq, Eq)]
pub struct Registration {
    /// The A-label.
    pub name: String,
    pub years: u8,
    pub nameservers: Vec<String>,
    pub handles: Handles,
    /// The code we set for the domain (moves it away later); never logged.
    pub auth_code: String,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("name", &self.name)
            .field("years", &self.years)
            .field("nameservers", &self.nameservers)
            .field("handles", &self.handles)
            .field("auth_code", &crate::provisioning::redact::MASK)
            .finish()
    }
}

/// What the registry says about a domain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistryState {
    /// The registry's own status words (`ok`, `clientTransferProhibited`, `pendingTransfer`…).
    pub statuses: Vec<String>,
    pub created: Option<NaiveDate>,
    /// None where the registry keeps no term.
    pub expires: Option<NaiveDate>,
    pub nameservers: Vec<String>,
    /// (type, handle): `admin`, `tech`, `billing`.
    pub contacts: Vec<(String, String)>,
    /// Sponsored by us (our registrar account).
    pub ours: bool,
}

/// Whether a name can be registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    Free,
    /// Taken, with the registry's reason.
    Taken(String),
}

/// How a transfer request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transfer {
    /// The domain is ours now.
    Done(RegistryState),
    /// The losing registrar or the owner still has to agree (days, at most gTLDs).
    Pending,
}

/// A registrar module. `JobCtx` carries the registrar's connection (`server`), the job's steps
/// and its redacted log.
#[async_trait::async_trait]
pub trait Registrar: Send + Sync {
    /// The `registrars.module` value; never renamed.
    fn module(&self) -> &'static str;
    /// Whether jobs call this module; false for the manual registrar, where staff act at the
    /// registrar themselves and confirm here.
    fn automatic(&self) -> bool {
        true
    }
    async fn test_connection(&self, conf: &ServerConf) -> Result<String, ProvError>;
    async fn check(&self, j: &JobCtx, names: &[String]) -> Result<Vec<(String, Availability)>, ProvError>;
    async fn register(&self, j: &JobCtx, r: &Registration) -> Result<RegistryState, ProvError>;
    async fn transfer(
        &self,
        j: &JobCtx,
        name: &str,
        auth_code: &str,
        years: u8,
    ) -> Result<Transfer, ProvError>;
    /// Renew from `current_expiry` (the registry's, so a repeat cannot renew twice).
    async fn renew(
        &self,
        j: &JobCtx,
        name: &str,
        current_expiry: NaiveDate,
        years: u8,
    ) -> Result<RegistryState, ProvError>;
    /// Delete; one already gone counts as deleted.
    async fn delete(&self, j: &JobCtx, name: &str) -> Result<(), ProvError>;
    /// What the registry says now; None when it does not know the name.
    async fn info(&self, j: &JobCtx, name: &str) -> Result<Option<RegistryState>, ProvError>;
    async fn update_nameservers(
        &self,
        j: &JobCtx,
        name: &str,
        add: &[String],
        remove: &[String],
    ) -> Result<(), ProvError>;
    async fn update_handles(
        &self,
        j: &JobCtx,
        name: &str,
        before: &Handles,
        after: &Handles,
    ) -> Result<(), ProvError>;
    /// Set or lift the transfer lock.
    async fn set_lock(&self, j: &JobCtx, name: &str, locked: bool) -> Result<(), ProvError>;
    /// Set a new auth code at the registry (we keep it sealed).
    async fn set_auth_code(&self, j: &JobCtx, name: &str, code: &str) -> Result<(), ProvError>;
}

/// The manual registrar: nothing is sent anywhere; staff register at the registrar by hand and
/// confirm here with the registry's dates, and the system tracks states and dates.
pub struct Manual;

#[async_trait::async_trait]
impl Registrar for Manual {
    fn module(&self) -> &'static str {
        "manual"
    }
    fn automatic(&self) -> bool {
        false
    }
    async fn test_connection(&self, _: &ServerConf) -> Result<String, ProvError> {
        Ok("manual: nothing to connect to".into())
    }
    async fn check(&self, _: &JobCtx, _: &[String]) -> Result<Vec<(String, Availability)>, ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn register(&self, _: &JobCtx, _: &Registration) -> Result<RegistryState, ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn transfer(&self, _: &JobCtx, _: &str, _: &str, _: u8) -> Result<Transfer, ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn renew(&self, _: &JobCtx, _: &str, _: NaiveDate, _: u8) -> Result<RegistryState, ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn delete(&self, _: &JobCtx, _: &str) -> Result<(), ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn info(&self, _: &JobCtx, _: &str) -> Result<Option<RegistryState>, ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn update_nameservers(
        &self,
        _: &JobCtx,
        _: &str,
        _: &[String],
        _: &[String],
    ) -> Result<(), ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn update_handles(&self, _: &JobCtx, _: &str, _: &Handles, _: &Handles) -> Result<(), ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn set_lock(&self, _: &JobCtx, _: &str, _: bool) -> Result<(), ProvError> {
        Err(ProvError::Unsupported)
    }
    async fn set_auth_code(&self, _: &JobCtx, _: &str, _: &str) -> Result<(), ProvError> {
        Err(ProvError::Unsupported)
    }
}

/// The registrar modules a worker may run, by name.
#[derive(Clone)]
pub struct Registrars(HashMap<&'static str, Arc<dyn Registrar>>);

impl Registrars {
    pub fn standard() -> Registrars {
        Registrars(HashMap::new()).with(Arc::new(Manual)).with(Arc::new(super::epp_registrar::Epp))
    }

    pub fn with(mut self, module: Arc<dyn Registrar>) -> Registrars {
        self.0.insert(module.module(), module);
        self
    }

    pub fn get(&self, name: &str) -> Option<Arc<dyn Registrar>> {
        self.0.get(name).cloned()
    }

    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.0.keys().copied().collect();
        names.sort_unstable();
        names
    }
}
