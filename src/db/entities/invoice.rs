use sea_orm::entity::prelude::*;

/// An invoice, cancellation or correction: a numberless draft until it is finalised, then
/// frozen by the database (only its status fields change, its PDF is set once).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub kind: String,
    pub state: String,
    pub series_id: Option<i32>,
    pub number: Option<String>,
    pub counter: Option<i64>,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    pub service_from: Option<Date>,
    pub service_to: Option<Date>,
    pub currency: String,
    pub tax_mode: String,
    pub buyer: String,
    pub seller: String,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub gross_cents: i64,
    pub paid_cents: i64,
    pub corrects_id: Option<i32>,
    pub note: String,
    pub pdf_sha256: Option<String>,
    pub pdf_key: Option<String>,
    pub mail_state: String,
    pub source: String,
    pub created_by_kind: String,
    pub created_by_id: Option<i32>,
    pub finalised_at: Option<DateTimeUtc>,
    pub finalised_by_kind: Option<String>,
    pub finalised_by_id: Option<i32>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The e-invoice frozen with the invoice: none | zugferd | xrechnung.
    pub einvoice: String,
    /// The archived e-invoice XML, set once with the PDF.
    pub xml_sha256: Option<String>,
    pub xml_key: Option<String>,
    /// The highest dunning level sent (None: not dunned); kept with the notices.
    pub dunning_level: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
