//! E-Mails on the server: the outbox in the records registry, mails in the Zeitleiste, and their
//! number beside the area's name.
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure, TimelineSource};
use crate::customers::areas::timeline::model::TimelineItem;
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::error::AppResult;

pub const SERVER: AreaServer = AreaServer {
    records: &[&crate::mail::outbox::RECORDS],
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
            let mail = |kind: &str, subject: &str, body: &str| NewMail {
                customer_id: Some(id),
                template: "written".into(),
                kind: kind.into(),
                to: to.clone(),
                cc: Vec::new(),
                subject: subject.into(),
                body: body.into(),
                staff_id: Some(demo.staff_for(i)),
            };
            let welcome =
                enqueue(db, mail("general", "Willkommen bei uns", "Ihre Zugangsdaten folgen separat."))
                    .await?;
            mark_sent(db, welcome).await?;
            let invoice = enqueue(
                db,
                mail("invoices", "Ihre Rechnung", "Anbei Ihre Rechnung für den laufenden Monat."),
            )
            .await?;
            mark_sent(db, invoice).await?;
            if i % 4 == 1 {
                let bounced = enqueue(db, mail("general", "Wartungsfenster", "Am Sonntag ab 2 Uhr.")).await?;
                mark_failed(db, bounced, MAX_ATTEMPTS, "550 5.1.1 mailbox unavailable").await?;
            }
            if i % 4 == 2 {
                enqueue(db, mail("products", "Ihr Paket ist bereit", "Die Einrichtung ist abgeschlossen."))
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
                detail: m.status,
                actor: m.to_addr,
            })
            .collect())
    }
}
