use sea_orm::entity::prelude::*;

/// A software product of the catalogue, with the Ed25519 key its licences are signed with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub active: bool,
    pub update_term_months: i32,
    pub max_bindings: i32,
    pub public_key: String,
    /// PKCS#8, sealed by `auth::secrets`.
    pub signing_key: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
