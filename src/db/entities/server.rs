use sea_orm::entity::prelude::*;

/// A server a provisioning module talks to, with its sealed admin credential.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "servers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub module: String,
    pub host: String,
    pub port: i32,
    pub username: String,
    /// Sealed by `auth::secrets`; empty for none.
    pub secret: String,
    /// The module's settings as JSON.
    pub settings: String,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
