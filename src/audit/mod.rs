//! The staff audit log: every privileged act (logins and failed logins, staff members, roles,
//! the login policy, 2FA resets, API keys, new customers, impersonation, data reports, merges,
//! erasures) with who, when, from which address and, where it applies, before and after.
//! Append-only (database triggers); administrators read it at /settings/audit (its page and
//! server function live with staff management, `auth::audit_trail` records from requests).
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
