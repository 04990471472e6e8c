//! The rules of money that every billing area shares: amounts and rounding, tax modes and
//! rate groups, the interval calendar of recurring items, invoice number patterns (pure
//! functions, each rule tested with the numbers the law or the issue names), and on the server
//! the parties an invoice names.
pub mod amount;
pub mod einvoice_rules;
pub mod model;
pub mod seller;
pub mod sepa;
pub mod tax;

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod bank;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod cancellation;
#[cfg(feature = "ssr")]
pub mod correction;
#[cfg(feature = "ssr")]
pub mod drafts;
#[cfg(feature = "ssr")]
pub mod dunning;
#[cfg(feature = "ssr")]
pub mod dunning_fees;
#[cfg(feature = "ssr")]
pub mod dunning_run;
#[cfg(feature = "ssr")]
pub mod einvoice;
#[cfg(feature = "ssr")]
pub mod invoices;
#[cfg(feature = "ssr")]
pub mod issue;
#[cfg(feature = "ssr")]
pub mod item_periods;
#[cfg(feature = "ssr")]
pub mod items;
#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod numbering;
#[cfg(feature = "ssr")]
pub mod parties;
#[cfg(feature = "ssr")]
pub mod planned;
#[cfg(feature = "ssr")]
pub mod quote_decision;
#[cfg(feature = "ssr")]
pub mod quotes;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod statement;
#[cfg(feature = "ssr")]
pub mod stored;
