//! Mail: every mail goes through the outbox table; a sender task delivers it by SMTP (lettre)
//! when `SMTP_URL` is set, otherwise writes it as an .eml file into the data folder. Templates
//! are translation keys (`mail.<template>.subject` / `.body`) in German and English.
pub mod model;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod sender;
#[cfg(feature = "ssr")]
pub mod templates;

/// The profile area that shows the outbox: the sender names it in its live events.
pub const AREA: &str = "emails";
