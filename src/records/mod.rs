//! The CustomerRecords registry: every area that stores data about a customer declares its
//! tables and implements the Art. 15 export, merge and erasure for them (the walks over all
//! areas live with the areas: customers::report, areas::merge, areas::erase). A test compares
//! the claims with the live schema, so no table can be forgotten.
#[cfg(feature = "ssr")]
pub mod erasure;
pub mod model;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod report_texts;
