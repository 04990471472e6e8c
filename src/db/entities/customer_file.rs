use sea_orm::entity::prelude::*;

/// A file kept for a customer: what people see of it; the bytes lie in the object store.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub storage_key: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub customer_may_download: bool,
    pub expires_on: Option<Date>,
    pub uploaded_by: Option<i32>,
    pub uploaded_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
