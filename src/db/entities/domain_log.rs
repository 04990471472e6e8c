use sea_orm::entity::prelude::*;

/// A line of a domain job's log: the command, the registry's code and message, never a secret.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub job_id: i32,
    pub domain_id: i32,
    pub customer_id: i32,
    pub at: DateTimeUtc,
    pub attempt: i32,
    pub step: String,
    pub level: String,
    pub message: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
