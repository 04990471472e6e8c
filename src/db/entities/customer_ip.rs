use sea_orm::entity::prelude::*;

/// An IP address a customer used, per source (login, order, API).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_ips")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub ip: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub source: String,
    pub first_seen: DateTimeUtc,
    pub last_seen: DateTimeUtc,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
