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

/// What a stored or shown mail text has in place of a link's token (`token=••••••••`): the
/// sender puts the token in at delivery, so no copy staff can read holds a usable link.
pub const REDACTED_TOKEN: &str = "••••••••";

/// The profile area that shows the outbox: the sender names it in its live events.
pub const AREA: &str = "emails";
