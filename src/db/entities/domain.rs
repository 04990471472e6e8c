use sea_orm::entity::prelude::*;

/// A customer's domain: its name in both spellings, where it stands, and both expiries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domains")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub ace_name: String,
    pub unicode_name: String,
    pub tld_id: i32,
    pub registrar_id: Option<i32>,
    pub status: String,
    /// register | transfer.
    pub order_kind: String,
    pub registry_status: String,
    pub error_text: String,
    pub registered_on: Option<Date>,
    /// The customer's expiry (paid until).
    pub expires_on: Option<Date>,
    pub registry_expires_at: Option<DateTimeUtc>,
    pub auto_renew: bool,
    pub transfer_lock: bool,
    /// JSON `[{"host", "ips"}]`.
    pub nameservers: String,
    pub owner_handle: String,
    pub admin_handle: String,
    pub tech_handle: String,
    pub zone_handle: String,
    /// Sealed; empty for none.
    pub authcode: String,
    pub transfer_authcode: String,
    pub included_hosting_id: Option<i32>,
    /// Folded for the top search: Unicode name (umlauts spelled out and plain) and the A-label.
    pub search_name: String,
    pub synced_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
