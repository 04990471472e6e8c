use sea_orm::entity::prelude::*;

/// A login to the self-service area: the customer's own (later also a contact's).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_logins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub contact_id: Option<i32>,
    #[sea_orm(unique)]
    pub email: String,
    /// None until the first password is set through a reset link.
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_last_step: i64,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    /// A TOTP secret being enrolled, until the first code confirms it.
    pub totp_pending: Option<String>,
    /// SHA-256 hashes of unused recovery codes, comma-separated.
    pub recovery_codes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
