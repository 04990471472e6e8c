//! Customers: the list ("Kunden > Auflisten"), the profile shell and its areas.
pub mod api;
pub mod areas;
pub mod countries;
pub mod custom_fields;
pub mod list;
pub mod model;
pub mod new;
pub mod profile;
#[cfg(feature = "ssr")]
pub mod report;
pub mod report_texts;
pub mod search_text;
#[cfg(feature = "ssr")]
pub mod service;
pub mod validate;
