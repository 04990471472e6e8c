//! The CustomerRecords registry: every area that stores data about a customer declares its
//! tables here and implements the Art. 15 export, merge and erasure for them. A test compares
//! the claims with the live schema, so no table can be forgotten.
#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
pub mod merge;
pub mod model;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod report_texts;
#[cfg(feature = "ssr")]
pub mod retention;
