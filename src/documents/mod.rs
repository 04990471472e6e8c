//! Documents made from a customer's data: the vCard and the Art. 15 report as PDF and ZIP.
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod invoice_archive;
#[cfg(feature = "ssr")]
pub mod invoice_pdf;
#[cfg(feature = "ssr")]
pub mod report_pdf;
#[cfg(feature = "ssr")]
pub mod typst_world;
#[cfg(feature = "ssr")]
pub mod vcard;
