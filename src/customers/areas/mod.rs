//! The profile areas, one folder each. Each folder exports its `AREA` definition (see `def`);
//! `registry::AREAS` lists them once, in sidebar order, and everything that walks the areas
//! reads that list.
pub mod billing;
pub mod contacts;
pub mod data;
pub mod def;
pub mod domains;
pub mod emails;
pub mod erase;
pub mod files;
pub mod history;
pub mod invoices;
pub mod ips;
pub mod log;
pub mod merge;
pub mod notes;
pub mod products;
pub mod projects;
pub mod quotes;
pub mod registry;
pub mod reseller;
#[cfg(feature = "ssr")]
pub mod server;
pub mod sessions;
pub mod switch;
pub mod timeline;
pub mod transactions;

pub use def::{AreaAction, AreaDef, PanelCtx, Placement};
pub use registry::{AREAS, find, visible};
