use sea_orm::entity::prelude::*;

/// A quote (Angebot): a numberless draft until it is sent, then frozen by the database (its
/// state moves on, its decision and PDF are set once).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    /// draft | sent | accepted | declined | expired
    pub state: String,
    pub series_id: Option<i32>,
    pub number: Option<String>,
    pub counter: Option<i64>,
    pub issue_date: Option<Date>,
    pub valid_until: Date,
    pub currency: String,
    pub tax_mode: String,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub gross_cents: i64,
    pub note: String,
    pub pdf_sha256: Option<String>,
    pub pdf_key: Option<String>,
    /// none | pending (its PDF and mail to come) | queued
    pub mail_state: String,
    pub sent_at: Option<DateTimeUtc>,
    pub sent_by_kind: Option<String>,
    pub sent_by_id: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by_kind: Option<String>,
    pub decided_by_id: Option<i32>,
    pub decided_reason: Option<String>,
    pub decided_ip: Option<String>,
    /// The draft invoice the accepted quote became.
    pub invoice_id: Option<i32>,
    pub version: i64,
    pub created_by_kind: String,
    pub created_by_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
