use sea_orm::entity::prelude::*;

/// A note on a customer; its earlier versions are in `note_versions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub title: String,
    pub body: String,
    pub priority: String,
    pub assigned_staff_id: Option<i32>,
    pub visibility: String,
    pub pinned: bool,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
