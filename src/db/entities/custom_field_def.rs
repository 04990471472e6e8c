use sea_orm::entity::prelude::*;

/// An operator-defined extra field on the customer's master data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "custom_field_defs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub key: String,
    pub label_de: String,
    pub label_en: String,
    /// text | number | date | bool | select
    pub kind: String,
    /// Choices of a select field, one per line.
    pub options: String,
    pub required: bool,
    pub position: i32,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
