//! The small UI kit every page uses.
pub mod errors;
pub mod fields;
pub mod format;
pub mod guard;
pub mod messages;
pub mod panel;
pub mod progress;
pub mod topbar;
