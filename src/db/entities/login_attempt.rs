use sea_orm::entity::prelude::*;

/// One login attempt (staff or customer), kept for throttling.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// "staff" or "customer".
    pub kind: String,
    /// Lower-cased as typed, whether or not such an account exists.
    pub email: String,
    pub ip: String,
    pub at: DateTimeUtc,
    pub success: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
