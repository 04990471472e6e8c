//! SEPA direct debit: the customers' mandates, the collections exported as pain.008 files, and
//! the identifiers they name (IBAN, BIC, creditor id, mandate reference).
pub mod model;

#[cfg(feature = "ssr")]
pub mod collect;
#[cfg(feature = "ssr")]
pub mod ids;
#[cfg(feature = "ssr")]
pub mod mandates;
#[cfg(feature = "ssr")]
pub mod pain008;
