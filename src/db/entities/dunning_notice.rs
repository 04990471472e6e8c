use sea_orm::entity::prelude::*;

/// A dunning notice (payment reminder or Mahnung) as it was sent: once per invoice and level,
/// never changed but for its archived PDF (set once) and its mail and letter state.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dunning_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub invoice_id: i32,
    /// 0: payment reminder, 1..3: notices.
    pub level: i32,
    pub issued_on: Date,
    pub pay_by: Date,
    pub business: bool,
    pub open_cents: i64,
    /// The level's fee as configured when sent (0 for an invoice's first, free notice).
    pub level_fee_cents: i64,
    pub fee_cents: i64,
    pub flat_cents: i64,
    pub interest_cents: i64,
    pub interest_from: Option<Date>,
    pub interest_to: Option<Date>,
    pub fee_invoice_id: Option<i32>,
    pub by_mail: bool,
    pub by_letter: bool,
    pub pdf_sha256: Option<String>,
    pub pdf_key: Option<String>,
    /// none | pending (its PDF and mail to come) | queued
    pub mail_state: String,
    /// none | to_print | printed
    pub letter_state: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
