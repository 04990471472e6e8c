//! Operator-defined custom fields of the customer master data: their definitions are managed
//! at /settings/custom-fields; the values are edited in Daten.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod view;
