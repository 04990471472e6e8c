//! Angebote on the server: the quotes table in the records registry, the number of sent quotes
//! as the sidebar figure, sent and answered quotes in the Zeitleiste, and the demo's quotes.
use super::records::QuoteRecords;
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure};
use crate::customers::areas::timeline::model::TimelineItem;
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

pub const SERVER: AreaServer = AreaServer {
    records: &[&QuoteRecords],
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM quotes WHERE customer_id = $1 AND number IS NOT NULL",
        kind: FigureKind::Count,
    }),
    timeline: Some(&Quotes),
    demo: Some(&DemoQuotes),
    ..AreaServer::NONE
};

/// Each sent quote in the Zeitleiste at its latest step (sent, or answered): titled
/// "<state>:<number>", the gross in cents as detail (the browser words and formats both).
struct Quotes;

#[async_trait::async_trait]
impl crate::customers::areas::server::TimelineSource for Quotes {
    async fn items(&self, db: &Db, customer_id: i32, limit: u64) -> AppResult<Vec<TimelineItem>> {
        let rows = db
            .query_all_raw(crate::db::stmt(
                db,
                "SELECT q.state, q.number, q.gross_cents, q.sent_at, q.decided_at, \
                 s.name AS sender, d.name AS decider FROM quotes q \
                 LEFT JOIN staff s ON q.sent_by_kind = 'staff' AND s.id = q.sent_by_id \
                 LEFT JOIN staff d ON q.decided_by_kind = 'staff' AND d.id = q.decided_by_id \
                 WHERE q.customer_id = $1 AND q.number IS NOT NULL ORDER BY q.id DESC LIMIT $2",
                vec![customer_id.into(), (limit as i64).into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let sent: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "sent_at")?;
                let decided: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "decided_at")?;
                let state: String = r.try_get("", "state")?;
                // Answered: by staff (named) or the customer (no staff name); else the sender.
                let actor: Option<String> =
                    if decided.is_some() { r.try_get("", "decider")? } else { r.try_get("", "sender")? };
                Ok(TimelineItem {
                    at: decided.or(sent).unwrap_or_default().to_rfc3339(),
                    kind: "quote".into(),
                    title: format!("{state}:{}", r.try_get::<String>("", "number")?),
                    detail: r.try_get::<i64>("", "gross_cents")?.to_string(),
                    actor: actor.unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// Every fourth demo customer has a quote sent and waiting for an answer (hosting with a
/// setup fee), the first also a draft.
struct DemoQuotes;

#[async_trait::async_trait]
impl DemoSeed for DemoQuotes {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        use crate::billing::model::{QuoteInput, QuoteLineInput, Unit};
        let ctx = crate::write::Ctx::quiet(db);
        let line = |description: &str, price: &str, interval: Option<Unit>| QuoteLineInput {
            description: description.into(),
            quantity: "1".into(),
            unit_price: price.into(),
            interval,
            interval_count: 1,
            ..QuoteLineInput::default()
        };
        for (i, &id) in demo.customers.iter().enumerate().filter(|(i, _)| i % 4 == 0) {
            let staff = crate::events::actor::Actor::Staff(demo.staff_for(i));
            let input = QuoteInput {
                lines: vec![
                    line("Einrichtung Managed Server", "149", None),
                    line("Managed Server L", "59", Some(Unit::Months)),
                ],
                ..QuoteInput::default()
            };
            let quote = crate::billing::quotes::save_draft(&ctx, staff, id, &input).await?;
            crate::billing::quotes::send(&ctx, staff, id, quote).await?;
            if i == 0 {
                let draft = QuoteInput {
                    lines: vec![line("SSL-Zertifikat Wildcard", "89", Some(Unit::Years))],
                    ..input
                };
                crate::billing::quotes::save_draft(&ctx, staff, id, &draft).await?;
            }
        }
        Ok(())
    }
}
