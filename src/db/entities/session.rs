use sea_orm::entity::prelude::*;

/// A login session. Only the SHA-256 of the cookie token is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub principal_kind: String,
    pub principal_id: i32,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Staff acting as the customer of this (portal) session.
    pub impersonator_staff_id: Option<i32>,
    /// Why staff act as the customer.
    pub reason: String,
    /// The staff session an impersonation was opened from: it ends with it (ON DELETE CASCADE).
    pub parent_id_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
