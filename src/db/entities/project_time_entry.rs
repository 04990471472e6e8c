use sea_orm::entity::prelude::*;

/// Time a staff member spent on a project.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_time_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub customer_id: i32,
    pub staff_id: i32,
    pub worked_on: Date,
    pub minutes: i32,
    pub note: String,
    pub invoice_item_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
