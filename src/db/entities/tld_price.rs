use sea_orm::entity::prelude::*;

/// The list price of one action on a TLD for a term, in cents.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tld_prices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tld_id: i32,
    /// register | transfer | renew | restore
    pub action: String,
    pub years: i32,
    pub cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
