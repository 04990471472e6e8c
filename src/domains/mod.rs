//! Domains as registries know them: names in their one stored spelling and the TLD they are
//! sold under. Knows no customer (the Domains area in customers owns the customer's domains).
#[cfg(feature = "ssr")]
pub mod authcode;
#[cfg(feature = "ssr")]
pub mod epp;
#[cfg(feature = "ssr")]
pub mod name;
