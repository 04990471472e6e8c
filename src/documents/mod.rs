//! Documents made from a customer's data: the vCard (and later the PDFs).
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod vcard;
