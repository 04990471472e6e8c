use sea_orm::entity::prelude::*;

/// A customer's software licence.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub product_id: i32,
    pub key_norm: String,
    pub version_bought: String,
    pub current_version: String,
    pub contract_date: Date,
    pub status: String,
    pub lock_reason: String,
    pub locked_at: Option<DateTimeUtc>,
    pub cancelled_on: Option<Date>,
    pub billing_cycle: String,
    pub update_service: bool,
    pub updates_until: Option<Date>,
    pub reseller_id: Option<i32>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
