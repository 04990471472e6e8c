//! Staff management for administrators: members, their roles, activation and sessions, and
//! operator-defined roles (/settings/staff, /settings/roles).
pub mod api;
pub mod model;
pub mod roles_view;
#[cfg(feature = "ssr")]
pub mod service;
pub mod view;
