//! Documents made from a customer's data: the vCard, the Art. 15 report as PDF and ZIP, invoices,
//! quotes, dunning notices and account statements.
#[cfg(feature = "ssr")]
pub mod dunning_archive;
#[cfg(feature = "ssr")]
pub mod dunning_pdf;
#[cfg(feature = "ssr")]
pub mod facturx;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod invoice_archive;
#[cfg(feature = "ssr")]
pub mod invoice_pdf;
#[cfg(feature = "ssr")]
pub mod quote_archive;
#[cfg(feature = "ssr")]
pub mod quote_pdf;
#[cfg(feature = "ssr")]
pub mod report_pdf;
#[cfg(feature = "ssr")]
pub mod statement;
#[cfg(feature = "ssr")]
pub mod statement_pdf;
#[cfg(feature = "ssr")]
pub mod typst_world;
#[cfg(feature = "ssr")]
pub mod vcard;
