use sea_orm::entity::prelude::*;

/// A customer's own price per year for an ending; a `None` leaves that action at the list price.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_domain_prices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub tld_id: i32,
    pub register_cents: Option<i64>,
    pub transfer_cents: Option<i64>,
    pub renew_cents: Option<i64>,
    pub version: i64,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
