//! Domains on the server: the table in the records registry (auth codes never in the report;
//! erasure refused while a domain is registered with us, an ended one kept as a business letter),
//! the live domains as the sidebar figure.
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure, HistoryEntity, UndoBy};
use crate::customers::model::FigureKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::records::erasure::{Eraser, RetentionClass};
use crate::records::registry::{CustomerRecords, Export, TableClaim};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

pub struct DomainRecords;

const CLAIMS: &[TableClaim] = &[TableClaim {
    table: "domains",
    column: "customer_id",
    export: Export::Rows { withheld: &["authcode", "transfer_authcode"] },
}];

#[async_trait::async_trait]
impl CustomerRecords for DomainRecords {
    fn area(&self) -> &'static str {
        "domains"
    }

    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    /// A domain still registered with us (or on its way) refuses the erasure: it must be
    /// deleted or transferred away first. An ended one was a contract and is kept from its end;
    /// one only ordered goes.
    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        use crate::db::entities::domain;
        let mine = domain::Entity::find().filter(domain::Column::CustomerId.eq(eraser.customer_id));
        let live = mine
            .clone()
            .filter(domain::Column::Status.is_not_in(["ordered", "deleted", "transfer_out"]))
            .all(eraser.txn)
            .await?
            .len();
        if live > 0 {
            return Err(AppError::Validation(vec![
                FieldError::new("customer", "erase.live_domains").with("count", live.to_string()),
            ]));
        }
        let ended = mine
            .filter(domain::Column::Status.is_in(["deleted", "transfer_out"]))
            .select_only()
            .columns([domain::Column::Id, domain::Column::EndedAt])
            .into_tuple::<(i32, Option<chrono::DateTime<chrono::Utc>>)>()
            .all(eraser.txn)
            .await?;
        let today = crate::customers::service::business_day();
        let kept = ended
            .into_iter()
            .map(|(id, at)| (id, at.map(crate::customers::service::business_day_of).unwrap_or(today)))
            .collect();
        eraser.retain("domains", "domains", RetentionClass::BusinessLetters, kept).await?;
        eraser.delete("domains", "domains", "customer_id = $1 AND status = 'ordered'").await?;
        Ok(())
    }
}

pub const SERVER: AreaServer = AreaServer {
    records: &[&DomainRecords],
    entities: &[&DomainFields],
    demo: Some(&DemoDomains),
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM domains WHERE customer_id = $1 AND status NOT IN ('deleted', 'transfer_out')",
        kind: FigureKind::Count,
    }),
    ..AreaServer::NONE
};

/// The endings a demo shop sells, with list prices (register, renew for one year; transfer;
/// restore), and a domain or two for every third demo customer.
struct DemoDomains;

const DEMO_TLDS: &[(&str, &str, &str, &str, bool)] = &[
    // (ending, register = renew, transfer, restore, the registry sells terms)
    ("de", "0,99", "0,99", "19,90", false),
    ("com", "12,90", "12,90", "89,00", true),
    ("net", "14,90", "14,90", "89,00", true),
    ("co.uk", "9,90", "9,90", "49,00", true),
];

#[async_trait::async_trait]
impl DemoSeed for DemoDomains {
    async fn seed(&self, db: &crate::db::Db, demo: &Demo) -> AppResult<()> {
        use super::model::{DomainInput, DomainOrder};
        use crate::catalogue::tld_model::{PriceCell, TldInput};
        let known = crate::catalogue::tlds::active_tlds(db).await?;
        for (tld, register, transfer, restore, terms) in DEMO_TLDS {
            if known.iter().any(|k| k == tld) {
                continue;
            }
            let cell = |action: &str, years: i32, amount: &str| PriceCell {
                action: action.into(),
                years,
                amount: amount.into(),
            };
            let input = TldInput {
                tld: (*tld).into(),
                grace_days: 30,
                redemption_days: 30,
                authcode_required: true,
                terms: *terms,
                active: true,
                prices: vec![
                    cell("register", 1, register),
                    cell("renew", 1, register),
                    cell("transfer", 1, transfer),
                    cell("restore", 1, restore),
                ],
                ..Default::default()
            };
            crate::catalogue::tlds::save(db, &input).await?;
        }
        let ctx = crate::write::Ctx::quiet(db);
        for (i, &customer) in demo.customers.iter().enumerate().filter(|(i, _)| i % 3 == 2) {
            let actor = crate::events::actor::Actor::Staff(demo.staff_for(i));
            let names = [format!("kunde{}-shop.de", i + 1), format!("bäckerei-{}.com", i + 1)];
            for (n, name) in names.iter().enumerate().take(1 + i % 2) {
                let order = if n == 0 { DomainOrder::Register } else { DomainOrder::Transfer };
                // A transfer brings the code of the current provider.
                let authcode = if n == 0 { String::new() } else { format!("Demo-{}-Code", i + 1) };
                let input = DomainInput { name: name.clone(), order, auto_renew: n == 0, authcode };
                super::service::add(&ctx, actor, customer, &input).await?;
            }
        }
        Ok(())
    }
}

/// A domain's own terms in the Verlauf (`changes.entity` "domain"), undoable.
struct DomainFields;

#[async_trait::async_trait]
impl HistoryEntity for DomainFields {
    fn entity(&self) -> &'static str {
        super::service::ENTITY
    }

    async fn subjects(
        &self,
        db: &crate::db::Db,
        customer_id: i32,
    ) -> AppResult<std::collections::HashMap<i32, String>> {
        super::service::names(db, customer_id).await
    }

    async fn undo(
        &self,
        ctx: &crate::write::Ctx,
        by: UndoBy<'_>,
        c: &crate::db::entities::change::Model,
    ) -> AppResult<()> {
        super::service::undo(ctx, by.staff_id, by.customer_id, c).await
    }
}
