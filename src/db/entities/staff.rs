use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// NULL only for rows from before roles existed; such a member may do nothing.
    pub role_id: Option<i32>,
    /// Base32 TOTP secret; two-factor login is on when set.
    pub totp_secret: Option<String>,
    /// A secret being enrolled, until the first code confirms it.
    pub totp_pending: Option<String>,
    /// SHA-256 hashes of unused recovery codes, comma-separated.
    pub recovery_codes: String,
    /// The last TOTP time step accepted: a code works only once.
    pub totp_last_step: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
