use sea_orm::entity::prelude::*;

/// One privileged act of staff (append-only; see the audit module).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    /// None for a failed login to an unknown address.
    pub staff_id: Option<i32>,
    pub staff_name: String,
    pub ip: Option<String>,
    pub action: String,
    pub target: String,
    pub customer_id: Option<i32>,
    pub before: String,
    pub after: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
