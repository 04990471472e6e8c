//! Registrars as the settings page edits them. Like a server's, a registrar's password is
//! write-only: it is never sent back, only whether one is stored.
use serde::{Deserialize, Serialize};

/// A registrar is edited as a server is: name, module, address (port 0: the module's default,
/// EPP 700), account (EPP: the clID), a write-only password and the module's settings.
pub type RegistrarInput = super::server_model::ServerInput;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrarRow {
    pub input: RegistrarInput,
    pub has_secret: bool,
    /// Domains that are not deleted.
    pub domains: u64,
    /// The endings it registers under, as people read them (`de`, `рф`).
    pub tlds: Vec<String>,
}

/// The settings page: the registrars and the modules a registrar may use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrarSettings {
    pub registrars: Vec<RegistrarRow>,
    pub modules: Vec<String>,
}
