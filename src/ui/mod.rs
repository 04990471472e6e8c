//! The small UI kit every page uses.
pub mod confirm;
pub mod errors;
pub mod fields;
pub mod format;
pub mod messages;
pub mod panel;
pub mod progress;
pub mod save;
