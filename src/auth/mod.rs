//! Who is asking: staff login, sessions, permissions and the identity of a request.
pub mod api;
#[cfg(feature = "ssr")]
pub mod audit_trail;
pub mod guard;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod permissions;
#[cfg(feature = "ssr")]
pub mod portal_logins;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub mod two_factor;
pub mod view;

pub use permissions::Permission;
use serde::{Deserialize, Serialize};

/// The logged-in staff member of a request, with what their role allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffIdentity {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub role_name: String,
    pub permissions: Vec<Permission>,
    /// Two-factor login is required and not set up yet: only the account page answers.
    #[serde(default)]
    pub must_enrol_2fa: bool,
}

impl StaffIdentity {
    pub fn can(&self, permission: Permission) -> bool {
        !self.must_enrol_2fa && self.permissions.contains(&permission)
    }
}

/// The staff member of the current request, or `Unauthenticated`.
#[cfg(feature = "ssr")]
pub fn require_staff() -> crate::error::AppResult<StaffIdentity> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<StaffIdentity>().cloned())
        .ok_or(crate::error::AppError::Unauthenticated)
}

/// The staff member of the current request if their role holds `permission`; every server
/// function starts with this (or with `require_staff` when any logged-in member may call it).
#[cfg(feature = "ssr")]
pub fn require(permission: Permission) -> crate::error::AppResult<StaffIdentity> {
    let staff = require_staff()?;
    if staff.can(permission) { Ok(staff) } else { Err(crate::error::AppError::Forbidden) }
}

/// The logged-in staff member with their permissions, loaded once per page for the top bar,
/// the sidebar and the panels (the server checks again on every call).
#[derive(Clone, Copy)]
pub struct CurrentStaff(pub leptos::prelude::Resource<Result<StaffIdentity, crate::error::AppError>>);
