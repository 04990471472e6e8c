use sea_orm::entity::prelude::*;

/// A host (and path) a licence was checked from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licence_bindings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub licence_id: i32,
    pub customer_id: i32,
    pub host: String,
    pub path: String,
    pub ip: String,
    pub first_seen_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub checks: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
