//! The customer's log: append-only events (logins, failed logins, password resets, profile
//! changes, staff actions on the customer) with IP, user agent and who acted.
pub mod actor;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
