use sea_orm::entity::prelude::*;

/// A mail in the outbox: queued, sending, sent or failed; the text is kept as sent.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: Option<i32>,
    pub template: String,
    /// general | invoices | dunning | tickets | products | system: decides CC and retention.
    pub kind: String,
    pub to_addr: String,
    pub cc: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub staff_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The token of a set-password link while the mail waits for delivery; the stored `body`
    /// shows it as `mail::REDACTED_TOKEN`. Cleared once the mail is sent or has failed.
    pub secret: Option<String>,
    /// While `sending`: until when the sender that took it holds it. A mail whose lease ran out
    /// (its sender died) is taken again.
    pub lease_until: Option<DateTimeUtc>,
    /// Files the mail carries, as JSON (`mail::model::Attachment`); read from the store at delivery.
    pub attachments: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
