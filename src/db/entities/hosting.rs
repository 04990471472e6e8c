use sea_orm::entity::prelude::*;

/// A customer's hosting account on a server, with where it stands remotely.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hostings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub package_id: i32,
    pub server_id: i32,
    pub username: String,
    pub domain: String,
    pub status: String,
    pub suspend_reason: String,
    pub suspended_at: Option<DateTimeUtc>,
    pub terminated_at: Option<DateTimeUtc>,
    pub external_ref: String,
    /// The account password, sealed by `auth::secrets`.
    pub secret: String,
    pub contract_date: Date,
    pub billing_cycle: String,
    pub reseller_id: Option<i32>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
    /// What the server reported at the last check: active | suspended | missing | partial; ''
    /// before any.
    pub remote_state: String,
    pub checked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
