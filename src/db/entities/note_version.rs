use sea_orm::entity::prelude::*;

/// A note as it was before an edit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "note_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub note_id: i32,
    pub customer_id: i32,
    pub title: String,
    pub body: String,
    pub priority: String,
    pub assigned_staff_id: Option<i32>,
    pub visibility: String,
    pub pinned: bool,
    pub version: i64,
    pub edited_at: DateTimeUtc,
    pub edited_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
