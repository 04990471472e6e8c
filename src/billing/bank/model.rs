//! A bank statement's lines as every format reads into them (CAMT.053, MT940): what the import
//! previews, matches and books.
use chrono::NaiveDate;

/// One entry of a statement: a credit (money in) or a debit, a return debit among them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementLine {
    /// The account the statement is for (IBAN, or the MT940 account as given).
    pub account: String,
    /// The statement's own id (CAMT `Stmt/Id`; MT940 `:20:` + `:28C:` + the opening balance's
    /// date, since banks reuse the first two).
    pub statement: String,
    /// The entry's reference, unique within the statement: the bank's entry reference, else its
    /// servicer reference, else the entry's position ("#3").
    pub entry: String,
    pub booked_on: Option<NaiveDate>,
    pub value_on: Option<NaiveDate>,
    /// Signed cents: positive is money in.
    pub amount_cents: i64,
    pub currency: String,
    /// The other party (the payer of a credit, the debtor of a return).
    pub counterparty: String,
    pub counterparty_iban: String,
    /// The remittance text (Verwendungszweck), its parts joined by spaces.
    pub remittance: String,
    /// The end-to-end id (ours for a direct debit we collected).
    pub end_to_end_id: String,
    pub mandate_id: String,
    /// A return debit (Rücklastschrift) of a direct debit we collected.
    pub is_return: bool,
    /// Its reason code (ISO, e.g. MS03, AC04) or the bank's as given.
    pub return_reason: String,
    /// What the bank charged for it (cents, positive), where the statement says.
    pub charges_cents: i64,
    /// The bank's transaction code as given (CAMT domain/family/sub-family or proprietary, MT940
    /// GVC), kept for the preview.
    pub code: String,
}

/// What a statement file could not be read as.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not a bank statement in a known format")]
    Unknown,
    #[error("{0}")]
    Malformed(String),
}
