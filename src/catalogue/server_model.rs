//! Servers and hosting packages as the settings pages edit them. A server's admin secret is
//! write-only: it is never sent back, only whether one is stored.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInput {
    /// None adds a server.
    pub id: Option<i32>,
    pub version: i64,
    pub name: String,
    /// One of the modules this installation runs (`manual`, `mariadb`).
    pub module: String,
    pub host: String,
    pub port: i32,
    pub username: String,
    /// A new admin password or API key; empty keeps the stored one.
    pub secret: String,
    /// The module's settings as a JSON object, e.g. `{"prefix": "cd", "user_host": "%"}`.
    pub settings: String,
    /// The module's settings as the form's fields (`provisioning::fields`), read over `settings`.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRow {
    pub input: ServerInput,
    pub has_secret: bool,
    pub hostings: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageInput {
    pub id: Option<i32>,
    pub version: i64,
    pub name: String,
    pub server_id: i32,
    /// The package's settings for its module as a JSON object.
    pub settings: String,
    /// The module's package settings as the form's fields, read over `settings`.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// Create a new hosting on the server at once.
    pub auto_provision: bool,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRow {
    pub input: PackageInput,
    pub server_name: String,
    pub hostings: u64,
}

/// The settings page: servers, packages and the modules a server may use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSettings {
    pub servers: Vec<ServerRow>,
    pub packages: Vec<PackageRow>,
    pub modules: Vec<String>,
}
