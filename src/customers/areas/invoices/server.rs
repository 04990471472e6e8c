//! Rechnungen on the server: the money tables in the records registry, the number of final
//! invoices as the sidebar figure, and the demo operator's company data for invoices.
use super::records::MoneyRecords;
use crate::billing::parties::{Party, SellerSettings};
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure};
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

pub const SERVER: AreaServer = AreaServer {
    records: &[&MoneyRecords],
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM invoices WHERE customer_id = $1 AND number IS NOT NULL",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoSeller),
    timeline: Some(&Issued),
    ..AreaServer::NONE
};

/// Final invoices and cancellations in the Zeitleiste, when they were finalised: titled
/// "<kind>:<number>", the gross in cents as detail (the browser words and formats both); and
/// the dunning notices sent.
struct Issued;

#[async_trait::async_trait]
impl crate::customers::areas::server::TimelineSource for Issued {
    async fn items(
        &self,
        db: &Db,
        customer_id: i32,
        limit: u64,
    ) -> AppResult<Vec<crate::customers::areas::timeline::model::TimelineItem>> {
        use sea_orm::ConnectionTrait;
        let rows = db
            .query_all_raw(crate::db::stmt(
                db,
                "SELECT i.kind, i.number, i.gross_cents, i.finalised_at, s.name FROM invoices i \
                 LEFT JOIN staff s ON i.finalised_by_kind = 'staff' AND s.id = i.finalised_by_id \
                 WHERE i.customer_id = $1 AND i.number IS NOT NULL ORDER BY i.id DESC LIMIT $2",
                vec![customer_id.into(), (limit as i64).into()],
            ))
            .await?;
        let mut rows = rows
            .iter()
            .map(|r| {
                let at: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "finalised_at")?;
                Ok(crate::customers::areas::timeline::model::TimelineItem {
                    at: at.unwrap_or_default().to_rfc3339(),
                    kind: "invoice".into(),
                    title: format!(
                        "{}:{}",
                        r.try_get::<String>("", "kind")?,
                        r.try_get::<String>("", "number")?
                    ),
                    detail: r.try_get::<i64>("", "gross_cents")?.to_string(),
                    actor: r.try_get::<Option<String>>("", "name")?.unwrap_or_default(),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        // The dunning history: each notice, titled "dunning<level>:<invoice number>", with what it
        // charged (fees, flat, interest) as detail.
        let notices = db
            .query_all_raw(crate::db::stmt(
                db,
                "SELECT n.level, n.created_at, n.fee_cents + n.flat_cents + n.interest_cents AS charged, i.number \
                 FROM dunning_notices n JOIN invoices i ON i.id = n.invoice_id \
                 WHERE n.customer_id = $1 ORDER BY n.id DESC LIMIT $2",
                vec![customer_id.into(), (limit as i64).into()],
            ))
            .await?;
        for r in &notices {
            let at: chrono::DateTime<chrono::Utc> = r.try_get("", "created_at")?;
            rows.push(crate::customers::areas::timeline::model::TimelineItem {
                at: at.to_rfc3339(),
                kind: "invoice".into(),
                title: format!(
                    "dunning{}:{}",
                    r.try_get::<i32>("", "level")?,
                    r.try_get::<Option<String>>("", "number")?.unwrap_or_default()
                ),
                detail: r.try_get::<i64>("", "charged")?.to_string(),
                actor: String::new(),
            });
        }
        Ok(rows)
    }
}

/// The demo operator's company data, so invoices can be finalised from the first start.
struct DemoSeller;

#[async_trait::async_trait]
impl DemoSeed for DemoSeller {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        if crate::db::settings::get(db, crate::billing::parties::SELLER_KEY).await?.is_none() {
            demo_seller().save(db).await?;
        }
        // Every second demo customer has monthly hosting since two months ago: the run bills
        // its periods, and the first invoice is paid by transfer.
        let ctx = crate::write::Ctx::quiet(db);
        let today = crate::clock::business_day();
        let anchor =
            chrono::Datelike::with_day(&today, 1).and_then(|d| d.checked_sub_months(chrono::Months::new(2)));
        // The overdue invoices first, so invoice numbers follow their dates.
        demo_overdue(&ctx, demo, today).await?;
        let Some(anchor) = anchor else { return Ok(()) };
        for (i, &id) in demo.customers.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
            let staff = crate::events::actor::Actor::Staff(demo.staff_for(i));
            // Two of them get e-invoices: an XRechnung and a ZUGFeRD.
            if let Some(kind) =
                [(1, "xrechnung"), (3, "zugferd")].iter().find(|(n, _)| *n == i).map(|(_, k)| *k)
            {
                db.execute_raw(crate::db::stmt(
                    db,
                    "UPDATE customers SET einvoice = $1 WHERE id = $2",
                    vec![kind.into(), id.into()],
                ))
                .await?;
            }
            let item = crate::billing::model::ItemInput {
                description: "Webhosting M".into(),
                quantity: "1".into(),
                unit_price: "9,99".into(),
                interval_count: 1,
                first_due: anchor.to_string(),
                ..Default::default()
            };
            crate::billing::items::save(&ctx, staff, id, &item).await?;
            crate::billing::run::run_customer(&ctx, id, today).await?;
            let payment = crate::billing::ledger::Payment {
                amount_cents: 1_189,
                fee_cents: 0,
                method: "transfer".into(),
                booked_on: today.to_string(),
                reference: format!("DEMO-{id}"),
                invoices: Vec::new(),
                idempotency_key: String::new(),
            };
            crate::billing::ledger::book_payment(&ctx, staff, id, &payment).await?;
        }
        Ok(())
    }
}

/// Two demo customers with an invoice 26 days overdue: the 37th was reminded a week after the
/// due date (the scheduler's first round sends the first notice with its fees), the 39th has
/// dunning off and gets nothing.
async fn demo_overdue(ctx: &crate::write::Ctx, demo: &Demo, today: chrono::NaiveDate) -> AppResult<()> {
    let issued = today - chrono::Days::new(40);
    for (i, off) in [(36, false), (38, true)] {
        let Some(&id) = demo.customers.get(i) else { continue };
        ctx.db
            .execute_raw(crate::db::stmt(
                &ctx.db,
                "UPDATE customers SET payment_term_days = 14, dunning_off = $2 WHERE id = $1",
                vec![id.into(), off.into()],
            ))
            .await?;
        let staff = crate::events::actor::Actor::Staff(demo.staff_for(i));
        let input = crate::billing::model::DraftInput {
            lines: vec![crate::billing::model::LineInput {
                description: "Domain-Paket Business (12 Monate)".into(),
                quantity: "1".into(),
                unit_price: "49".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let draft = crate::billing::drafts::save_draft(ctx, staff, id, &input).await?;
        let change = ctx.begin(id).await?;
        crate::billing::invoices::finalise_in(&change.txn, staff, id, draft, issued).await?;
        change.commit().await?;
    }
    crate::billing::dunning_run::run(ctx, issued + chrono::Days::new(14 + 7)).await?;
    Ok(())
}

fn demo_seller() -> SellerSettings {
    SellerSettings {
        party: Party {
            name: "Hostwerk Demo GmbH".into(),
            street: "Hafenstraße 12".into(),
            postcode: "20457".into(),
            city: "Hamburg".into(),
            country: "DE".into(),
            vat_id: "DE999999999".into(),
            tax_number: "22/815/08150".into(),
            email: "buchhaltung@hostwerk.example".into(),
            ..Party::default()
        },
        phone: "+49 40 1234567".into(),
        iban: "DE02120300000000202051".into(),
        bic: "BYLADEM1001".into(),
        bank: "Demo Bank".into(),
        // The Bundesbank's creditor identifier for tests.
        creditor_id: "DE98ZZZ09999999999".into(),
        ..SellerSettings::default()
    }
}
