use sea_orm::entity::prelude::*;

/// An offer to move a licence to another customer, and its answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "licence_transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub licence_id: i32,
    pub from_customer_id: i32,
    pub to_customer_id: i32,
    pub status: String,
    pub offered_at: DateTimeUtc,
    pub offered_by: Option<i32>,
    pub expires_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by_login: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
