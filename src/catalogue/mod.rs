//! The product catalogue (Einstellungen > Produkte): software products with their releases and
//! signing keys, and who gets each release; the servers and registrars modules talk to, and the
//! TLD price list. Customer licences refer to it; it holds nothing about customers itself.
pub mod api;
pub mod connection_form;
#[cfg(feature = "ssr")]
pub mod downloads;
pub mod model;
pub mod module_fields;
#[cfg(feature = "ssr")]
pub mod recipients;
pub mod registrar_model;
#[cfg(feature = "ssr")]
pub mod registrars;
pub mod registrars_api;
pub mod registrars_view;
pub mod release_view;
pub mod server_model;
#[cfg(feature = "ssr")]
pub mod servers;
pub mod servers_api;
pub mod servers_view;
#[cfg(feature = "ssr")]
pub mod service;
pub mod tld_model;
#[cfg(feature = "ssr")]
pub mod tlds;
pub mod tlds_api;
pub mod tlds_view;
pub mod view;
