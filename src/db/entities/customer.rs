use sea_orm::entity::prelude::*;

/// The customer's master record. Enum-like columns are strings (portable schema);
/// `search_text` and `sort_name` are derived in Rust on every write.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    pub status: String,
    pub kind: String,
    pub salutation: String,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub email: String,
    pub phone: String,
    pub fax: String,
    pub birth_date: Option<Date>,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub language: String,
    pub currency: String,
    pub website: String,
    pub vat_id: String,
    pub group_id: Option<i32>,
    pub price_level: String,
    pub invoice_address_enabled: bool,
    pub invoice_company: String,
    pub invoice_name: String,
    pub invoice_street: String,
    pub invoice_house_number: String,
    pub invoice_postcode: String,
    pub invoice_city: String,
    pub invoice_country: String,
    pub payment_term_days: i32,
    pub taxation: String,
    pub is_reseller: bool,
    pub reseller_id: Option<i32>,
    pub newsletter: bool,
    pub account_locked: bool,
    pub orders_allowed: bool,
    pub products_downloadable: bool,
    pub api_access: bool,
    pub api_key_hash: Option<String>,
    pub dunning_off: bool,
    pub licence_transfer_locked: bool,
    pub update_service: bool,
    pub domain_contacts_enabled: bool,
    pub domain_api_enabled: bool,
    pub authcode_locked: bool,
    /// Hostnames, comma separated, in the order given.
    pub own_nameservers: String,
    /// One own nameserver per line with its glue addresses.
    pub own_nameserver_glue: String,
    pub pending_email: Option<String>,
    pub source: String,
    pub last_login_at: Option<DateTimeUtc>,
    pub last_ip: Option<String>,
    pub search_text: String,
    pub sort_name: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the customer was erased (the record is anonymised, the number stays).
    pub erased_at: Option<DateTimeUtc>,
    /// "Positions-Gruppierung deaktivieren": one invoice per recurring item.
    pub grouping_off: bool,
    /// The day of the month planned items are invoiced together (None: with the next run).
    pub collective_day: Option<i32>,
    /// How far the account may go below zero when invoices are paid from it.
    pub postpaid_limit_cents: i64,
    /// Keys of the payment methods this customer may use, comma separated (empty: all).
    pub payment_methods: String,
    /// The e-invoice the customer gets: none | zugferd | xrechnung.
    pub einvoice: String,
    /// BT-10 for public-sector buyers (with its check digits).
    pub leitweg_id: String,
    /// BT-49: an e-mail address or a Peppol participant id `scheme:id` (empty: see `einvoice`).
    pub einvoice_address: String,
    /// A public-sector buyer: an XRechnung needs their Leitweg-ID.
    pub public_sector: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
