//! Staff members and roles as the settings pages show and edit them.
use crate::auth::Permission;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role_id: Option<i32>,
    pub role_name: String,
    pub active: bool,
    /// Sessions alive now.
    pub sessions: u64,
    /// Two-factor login is set up.
    pub totp: bool,
    /// RFC 3339.
    pub created_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role_id: i32,
}

/// A member's role and activation; deactivation ends their sessions at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChange {
    pub id: i32,
    pub role_id: i32,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    pub id: i32,
    pub key: String,
    pub name: String,
    /// Built-in roles are fixed; their permissions come with the product.
    pub builtin: bool,
    pub permissions: Vec<Permission>,
    pub members: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleInput {
    /// None creates a role.
    pub id: Option<i32>,
    pub name: String,
    pub permissions: Vec<Permission>,
}

/// Rules for all staff logins.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPolicy {
    pub require_2fa: bool,
}
