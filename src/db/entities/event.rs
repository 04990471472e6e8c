use sea_orm::entity::prelude::*;

/// One entry of a customer's log (append-only): who did what, from where.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: Option<i32>,
    pub at: DateTimeUtc,
    pub kind: String,
    pub actor_kind: String,
    pub actor_id: Option<i32>,
    pub impersonator_staff_id: Option<i32>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub payload: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
