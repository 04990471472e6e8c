//! E-Mails on the server: the outbox in the records registry, mails in the Zeitleiste, and their
//! number beside the area's name.
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure, TimelineSource};
use crate::customers::areas::timeline::model::TimelineItem;
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::db::entities::mail_outbox;
use crate::error::AppResult;
use crate::mail::model::{MailKind, MailStatus};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

pub const SERVER: AreaServer = AreaServer {
    records: &[&RECORDS],
    timeline: Some(&Mails),
    figure: Some(Figure {
        // Mails kept only for a retention duty after an erasure are not counted.
        sql: "SELECT COUNT(*) FROM mail_outbox m WHERE m.customer_id = $1 AND NOT EXISTS \
              (SELECT 1 FROM retention r WHERE r.table_name = 'mail_outbox' AND r.row_id = m.id)",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoMails),
    ..AreaServer::NONE
};

/// Mails in every status: a sent welcome for each demo customer, a sent invoice mail, and for
/// some one that failed for good or one still waiting in the outbox.
struct DemoMails;

#[async_trait::async_trait]
impl DemoSeed for DemoMails {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        use crate::mail::outbox::{MAX_ATTEMPTS, NewMail, enqueue, mark_failed, mark_sent};
        for (i, &id) in demo.customers.iter().enumerate() {
            let to = crate::customers::service::detail(db, id).await?.form.email;
            let mail = |kind: MailKind, subject: &str, body: &str| NewMail {
                customer_id: Some(id),
                template: "written".into(),
                kind,
                to: to.clone(),
                cc: Vec::new(),
                subject: subject.into(),
                body: body.into(),
                staff_id: Some(demo.staff_for(i)),
                secret: None,
                attachments: Vec::new(),
            };
            let welcome = enqueue(
                db,
                mail(MailKind::General, "Willkommen bei uns", "Ihre Zugangsdaten folgen separat."),
            )
            .await?;
            mark_sent(db, welcome).await?;
            let invoice = enqueue(
                db,
                mail(MailKind::Invoices, "Ihre Rechnung", "Anbei Ihre Rechnung für den laufenden Monat."),
            )
            .await?;
            mark_sent(db, invoice).await?;
            if i % 4 == 1 {
                let bounced =
                    enqueue(db, mail(MailKind::General, "Wartungsfenster", "Am Sonntag ab 2 Uhr.")).await?;
                mark_failed(db, bounced, MAX_ATTEMPTS, "550 5.1.1 mailbox unavailable").await?;
            }
            if i % 4 == 2 {
                enqueue(
                    db,
                    mail(MailKind::Products, "Ihr Paket ist bereit", "Die Einrichtung ist abgeschlossen."),
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// Mails in the Zeitleiste: the subject, the status as detail, the recipient as who.
struct Mails;

#[async_trait::async_trait]
impl TimelineSource for Mails {
    async fn items(&self, db: &Db, customer_id: i32, limit: u64) -> AppResult<Vec<TimelineItem>> {
        Ok(crate::mail::outbox::for_customer(db, customer_id, limit, false)
            .await?
            .into_iter()
            .map(|m| TimelineItem {
                at: m.created_at,
                kind: "mail".into(),
                title: m.subject,
                detail: m.status.to_string(),
                actor: m.to_addr,
            })
            .collect())
    }
}

/// E-Mails in the customer-records registry.
pub struct MailRecords;
const RECORDS: MailRecords = MailRecords;

const CLAIMS: &[crate::records::registry::TableClaim] =
    // A queued link's token stays out of the report like everywhere else.
    &[crate::records::registry::TableClaim {
        table: "mail_outbox",
        column: "customer_id",
        export: crate::records::registry::Export::Rows { withheld: &["secret"] },
    }];

#[async_trait::async_trait]
impl crate::records::registry::CustomerRecords for MailRecords {
    fn area(&self) -> &'static str {
        "emails"
    }
    fn claims(&self) -> &'static [crate::records::registry::TableClaim] {
        CLAIMS
    }

    /// Sent invoice and dunning mails carry accounting documents (8 years), as do sent mails
    /// from before kinds were stored (`legacy`: what they were is unknown, so the longest duty
    /// applies); sent product mails concern a contract and are business letters (6 years).
    /// Everything else (general and ticket mails, account mails, mails never sent) has no
    /// retention duty. A mail's year is its calendar year in Germany.
    async fn erase(&self, eraser: &mut crate::records::registry::Eraser<'_>) -> AppResult<()> {
        use crate::records::erasure::RetentionClass;
        let sent = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::CustomerId.eq(eraser.customer_id))
            .filter(mail_outbox::Column::Status.eq(MailStatus::Sent.as_str()))
            .select_only()
            .columns([mail_outbox::Column::Id, mail_outbox::Column::Kind, mail_outbox::Column::CreatedAt])
            .column(mail_outbox::Column::SentAt)
            .into_tuple::<(i32, String, chrono::DateTime<Utc>, Option<chrono::DateTime<Utc>>)>()
            .all(eraser.txn)
            .await?;
        let mut accounting = Vec::new();
        let mut letters = Vec::new();
        for (id, kind, created, sent_at) in sent {
            let dated = crate::customers::service::business_day_of(sent_at.unwrap_or(created));
            match MailKind::parse(&kind) {
                Some(MailKind::Invoices | MailKind::Dunning | MailKind::Legacy) => {
                    accounting.push((id, dated))
                }
                Some(MailKind::Products) => letters.push((id, dated)),
                _ => {}
            }
        }
        eraser.retain("emails", "mail_outbox", RetentionClass::Accounting, accounting).await?;
        eraser.retain("emails", "mail_outbox", RetentionClass::BusinessLetters, letters).await?;
        eraser
            .delete(
                "emails",
                "mail_outbox",
                "customer_id = $1 AND NOT (status = 'sent' AND kind IN ('invoices', 'dunning', 'legacy', 'products'))",
            )
            .await?;
        Ok(())
    }
}
