//! The small UI kit every page uses.
pub mod choice;
pub mod confirm;
pub mod errors;
pub mod fields;
pub mod format;
pub mod lazy;
pub mod messages;
pub mod pager;
pub mod panel;
pub mod progress;
pub mod save;
