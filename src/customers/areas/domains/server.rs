//! Domains on the server: the table in the records registry (auth codes never in the report;
//! erasure refused while a domain is registered with us, an ended one kept as a business letter),
//! the live domains as the sidebar figure.
use crate::customers::areas::server::{
    AreaServer, Demo, DemoSeed, Figure, HistoryEntity, UndoBy, WarningSource,
};
use crate::customers::model::{CustomerDetail, FigureKind, Warning};
use crate::error::{AppError, AppResult, FieldError};
use crate::records::erasure::{Eraser, RetentionClass};
use crate::records::registry::{CustomerRecords, Export, TableClaim};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

pub struct DomainRecords;

const CLAIMS: &[TableClaim] = &[
    TableClaim {
        table: "domains",
        column: "customer_id",
        export: Export::Rows { withheld: &["authcode", "transfer_authcode"] },
    },
    TableClaim {
        table: "customer_domain_prices",
        column: "customer_id",
        export: Export::Rows { withheld: &[] },
    },
    TableClaim::rows("domain_jobs", "customer_id"),
    TableClaim::rows("domain_log", "customer_id"),
];

#[async_trait::async_trait]
impl CustomerRecords for DomainRecords {
    fn area(&self) -> &'static str {
        "domains"
    }

    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    /// The duplicate's domains move; its own prices move for endings the kept customer has none
    /// for (the kept customer's prices win).
    async fn merge(&self, txn: &sea_orm::DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        use sea_orm::ConnectionTrait;
        for sql in [
            "UPDATE domains SET customer_id = $2 WHERE customer_id = $1",
            "DELETE FROM customer_domain_prices WHERE customer_id = $1 AND tld_id IN \
             (SELECT tld_id FROM customer_domain_prices WHERE customer_id = $2)",
            "UPDATE customer_domain_prices SET customer_id = $2 WHERE customer_id = $1",
            "UPDATE domain_jobs SET customer_id = $2 WHERE customer_id = $1",
            "UPDATE domain_log SET customer_id = $2 WHERE customer_id = $1",
        ] {
            txn.execute_raw(crate::db::stmt(txn, sql, vec![duplicate.into(), keep.into()])).await?;
        }
        Ok(())
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
        // The registrar jobs' traces go; a kept domain keeps its own dates and status.
        eraser.delete("domains", "domain_log", "customer_id = $1").await?;
        eraser.delete("domains", "domain_jobs", "customer_id = $1").await?;
        eraser.delete("domains", "domains", "customer_id = $1 AND status = 'ordered'").await?;
        eraser.delete("domains", "customer_domain_prices", "customer_id = $1").await?;
        Ok(())
    }
}

pub const SERVER: AreaServer = AreaServer {
    records: &[&DomainRecords],
    entities: &[&DomainFields, &PriceFields],
    demo: Some(&DemoDomains),
    warnings: Some(&DomainWarnings),
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
        use super::model::{DomainConfirm, DomainInput, DomainOrder};
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
                let id = super::service::add(&ctx, actor, customer, &input).await?;
                // New registrations are with the registry since some time within the last year
                // (a few due for renewal within 30 days); transfers still wait.
                if n == 0 {
                    let since = chrono::Duration::days(30 + (i as i64 * 41) % 330);
                    let registered = (crate::customers::service::business_day() - since).to_string();
                    let confirm =
                        DomainConfirm { registered_on: registered, version: 1, ..Default::default() };
                    super::service::confirm(&ctx, actor, customer, id, &confirm).await?;
                }
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

/// The customer's own prices in the Verlauf (`changes.entity` "domain_price", the ending's id),
/// undoable.
struct PriceFields;

#[async_trait::async_trait]
impl HistoryEntity for PriceFields {
    fn entity(&self) -> &'static str {
        super::prices::ENTITY
    }

    async fn subjects(
        &self,
        db: &crate::db::Db,
        _customer_id: i32,
    ) -> AppResult<std::collections::HashMap<i32, String>> {
        super::prices::endings(db).await
    }

    async fn undo(
        &self,
        ctx: &crate::write::Ctx,
        by: UndoBy<'_>,
        c: &crate::db::entities::change::Model,
    ) -> AppResult<()> {
        super::prices::undo(ctx, by.staff_id, by.customer_id, c).await
    }
}

/// How far ahead a renewal shows in the warnings row.
pub const RENEWAL_DAYS: i64 = 30;

/// The warnings row: domains in error (with the registry's text) and renewals due within
/// `RENEWAL_DAYS` days; the first one named, the rest counted, so a customer with hundreds of
/// domains gets two lines, not hundreds.
struct DomainWarnings;

#[async_trait::async_trait]
impl WarningSource for DomainWarnings {
    async fn warnings(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        customer: &CustomerDetail,
    ) -> AppResult<Vec<Warning>> {
        use crate::db::entities::domain;
        use sea_orm::{PaginatorTrait, QueryOrder};
        let mine = domain::Entity::find().filter(domain::Column::CustomerId.eq(customer.id));
        let mut warnings = Vec::new();
        let failed = mine.clone().filter(domain::Column::Status.eq("error"));
        if let Some(first) = failed.clone().order_by_asc(domain::Column::AceName).one(txn).await? {
            let count = failed.count(txn).await?;
            warnings.push(Warning {
                key: if count == 1 { "warning.domain_error" } else { "warning.domain_errors" }.into(),
                tone: "danger".into(),
                args: vec![
                    ("name".into(), first.unicode_name),
                    ("text".into(), first.error_text),
                    ("more".into(), (count - 1).to_string()),
                ],
            });
        }
        let today = crate::customers::service::business_day();
        let due = mine
            .filter(domain::Column::Status.eq("active"))
            .filter(domain::Column::ExpiresOn.lte(today + chrono::Duration::days(RENEWAL_DAYS)));
        if let Some(first) = due.clone().order_by_asc(domain::Column::ExpiresOn).one(txn).await? {
            let count = due.count(txn).await?;
            let day = first.expires_on.map(|d| d.to_string()).unwrap_or_default();
            warnings.push(Warning {
                key: if count == 1 { "warning.domain_renewal" } else { "warning.domain_renewals" }.into(),
                tone: "warning".into(),
                args: vec![
                    ("name".into(), first.unicode_name),
                    ("date".into(), day),
                    ("more".into(), (count - 1).to_string()),
                ],
            });
        }
        Ok(warnings)
    }
}
