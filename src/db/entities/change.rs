use sea_orm::entity::prelude::*;

/// One field of one change (the Verlauf); never updated or deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub entity: String,
    pub entity_id: i32,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub actor_kind: String,
    pub actor_id: Option<i32>,
    pub on_behalf_of: Option<i32>,
    pub at: DateTimeUtc,
    pub reverts_change_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
