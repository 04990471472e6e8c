use sea_orm::entity::prelude::*;

/// A released version of a product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_releases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    pub version: String,
    pub released_on: Date,
    pub notes: String,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    /// The download's object key in the store; None while the release has no file.
    pub file_key: Option<String>,
    pub file_name: String,
    pub file_size: Option<i64>,
    pub file_type: String,
    pub file_sha256: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
