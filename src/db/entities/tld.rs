use sea_orm::entity::prelude::*;

/// A TLD we sell, with its grace and redemption periods.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tlds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The A-label without a leading dot.
    pub tld: String,
    pub currency: String,
    pub grace_days: i32,
    pub redemption_days: i32,
    pub authcode_required: bool,
    pub terms: bool,
    pub active: bool,
    /// Who registers domains under the ending; None: staff by hand.
    pub registrar_id: Option<i32>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
