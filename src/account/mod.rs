//! /account: the logged-in staff member's own password and two-factor login. Every change here
//! asks for the current password again (re-authentication).
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod view;
