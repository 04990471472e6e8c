//! Staff management for administrators: members, their roles, activation and sessions,
//! operator-defined roles, and the audit log of what staff did (/settings/staff,
//! /settings/roles, /settings/audit).
pub mod api;
pub mod audit_api;
pub mod audit_view;
pub mod model;
pub mod roles_view;
#[cfg(feature = "ssr")]
pub mod service;
pub mod view;
