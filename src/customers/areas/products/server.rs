//! Produkte on the server: licences in the records registry, their fields in the Verlauf, the
//! sidebar figure and the demo catalogue with licences for the demo customers.
use super::model::{BillingCycle, LicenceInput, LicenceStatus, TransferStatus};
use super::service::{ENTITY, names, save, undo};
use crate::catalogue::model::{ProductInput, ReleaseInput};
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure, HistoryEntity, UndoBy};
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::db::entities::{change, licence, licence_transfer};
use crate::error::AppResult;
use crate::events::actor::Actor;
use crate::records::erasure::RetentionClass;
use crate::records::registry::{CustomerRecords, Eraser, Export, TableClaim};
use crate::write::Ctx;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
};

pub const SERVER: AreaServer = AreaServer {
    records: &[&RECORDS],
    entities: &[&LicenceFields],
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM licences WHERE customer_id = $1",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoLicences),
    ..AreaServer::NONE
};

pub struct ProductRecords;
pub const RECORDS: ProductRecords = ProductRecords;

const CLAIMS: &[TableClaim] = &[
    TableClaim::rows("licences", "customer_id"),
    TableClaim {
        table: "licences",
        column: "reseller_id",
        export: Export::Omitted("other customers' licences that only name this one as reseller"),
    },
    TableClaim::rows("licence_bindings", "customer_id"),
    TableClaim::rows("licence_transfers", "from_customer_id"),
    TableClaim::rows("licence_transfers", "to_customer_id"),
];

#[async_trait::async_trait]
impl CustomerRecords for ProductRecords {
    fn area(&self) -> &'static str {
        "products"
    }
    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    /// The duplicate's licences move; licences sold through the duplicate name the kept customer
    /// as reseller, never the customer itself.
    async fn merge(&self, txn: &DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        let run = |sql: &'static str| {
            txn.execute_raw(crate::db::stmt(txn, sql, vec![duplicate.into(), keep.into()]))
        };
        run("UPDATE licences SET customer_id = $2 WHERE customer_id = $1").await?;
        run("UPDATE licences SET reseller_id = NULL WHERE customer_id = $2 AND reseller_id IN ($1, $2)")
            .await?;
        run("UPDATE licences SET reseller_id = $2 WHERE reseller_id = $1").await?;
        run("UPDATE licence_bindings SET customer_id = $2 WHERE customer_id = $1").await?;
        run("UPDATE licence_transfers SET from_customer_id = $2 WHERE from_customer_id = $1").await?;
        run("UPDATE licence_transfers SET to_customer_id = $2 WHERE to_customer_id = $1").await?;
        // An offer between the two is now one to the customer itself: it ends.
        run("UPDATE licence_transfers SET status = 'withdrawn' \
             WHERE status = 'offered' AND from_customer_id = $2 AND to_customer_id = $2 AND $1 <> $2")
        .await?;
        Ok(())
    }

    /// A licence that was ever in force is a contract: kept as a business letter for six years
    /// from its end (its cancellation, or the erasure that ends it now). One never activated
    /// goes. Licences of end customers keep naming the (anonymised) reseller.
    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        // An accepted transfer moved a contract: kept like the licence. Other offers (and any
        // offer of a licence that goes now) are deleted.
        let accepted = licence_transfer::Entity::find()
            .filter(
                Condition::any()
                    .add(licence_transfer::Column::FromCustomerId.eq(eraser.customer_id))
                    .add(licence_transfer::Column::ToCustomerId.eq(eraser.customer_id)),
            )
            .filter(licence_transfer::Column::Status.eq(TransferStatus::Accepted.as_str()))
            .all(eraser.txn)
            .await?;
        let berlin =
            |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
        let kept =
            accepted.into_iter().map(|t| (t.id, berlin(t.decided_at.unwrap_or(t.offered_at)))).collect();
        eraser.retain("products", "licence_transfers", RetentionClass::BusinessLetters, kept).await?;
        let others = "(from_customer_id = $1 OR to_customer_id = $1) AND status <> 'accepted' \
                      OR licence_id IN (SELECT id FROM licences WHERE customer_id = $1 AND status = 'in_progress')";
        eraser.delete("products", "licence_transfers", others).await?;
        // Where the software ran, with addresses: no retention duty.
        eraser.delete("products", "licence_bindings", "customer_id = $1").await?;
        let rows = licence::Entity::find()
            .filter(licence::Column::CustomerId.eq(eraser.customer_id))
            .filter(licence::Column::Status.ne(LicenceStatus::InProgress.as_str()))
            .select_only()
            .columns([licence::Column::Id])
            .column(licence::Column::CancelledOn)
            .into_tuple::<(i32, Option<chrono::NaiveDate>)>()
            .all(eraser.txn)
            .await?;
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive();
        let kept = rows.into_iter().map(|(id, ended)| (id, ended.unwrap_or(today))).collect();
        eraser.retain("products", "licences", RetentionClass::BusinessLetters, kept).await?;
        let never = format!("customer_id = $1 AND status = '{}'", LicenceStatus::InProgress.as_str());
        eraser.delete("products", "licences", &never).await?;
        Ok(())
    }
}

/// A licence's fields in the Verlauf (`changes.entity` "licence").
struct LicenceFields;

#[async_trait::async_trait]
impl HistoryEntity for LicenceFields {
    fn entity(&self) -> &'static str {
        ENTITY
    }

    async fn subjects(&self, db: &Db, customer_id: i32) -> AppResult<std::collections::HashMap<i32, String>> {
        names(db, customer_id).await
    }

    async fn undo(&self, ctx: &Ctx, by: UndoBy<'_>, c: &change::Model) -> AppResult<()> {
        undo(ctx, by.staff_id, by.customer_id, c).await
    }
}

/// The demo catalogue (three products with releases) and a licence for every second demo
/// customer, every sixth with an update service that has run out.
struct DemoLicences;

#[async_trait::async_trait]
impl DemoSeed for DemoLicences {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        let catalogue = [
            ("shopx", "ShopX", &["4.0", "4.1", "5.0"][..]),
            ("mailguard", "MailGuard", &["2.3", "2.4"][..]),
            ("backupbox", "BackupBox", &["1.0"][..]),
        ];
        let mut products = Vec::new();
        for (slug, name, releases) in catalogue {
            let input = ProductInput { slug: slug.into(), name: name.into(), ..Default::default() };
            let id = crate::catalogue::service::save(db, &input).await?;
            for (n, version) in releases.iter().enumerate() {
                let release = ReleaseInput {
                    version: version.to_string(),
                    released_on: format!("2026-0{}-15", n * 3 + 1),
                    notes: String::new(),
                };
                crate::catalogue::service::add_release(db, demo.staff_for(n), id, &release).await?;
            }
            products.push((id, releases[0]));
        }
        let quiet = Ctx::quiet(db);
        for (i, &customer) in demo.customers.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
            let (product_id, version) = products[i % products.len()];
            let input = LicenceInput {
                product_id,
                version_bought: version.into(),
                current_version: version.into(),
                contract_date: format!("2025-{:02}-01", i % 12 + 1),
                status: LicenceStatus::Active,
                billing_cycle: BillingCycle::ALL[i % BillingCycle::ALL.len()],
                update_service: true,
                updates_until: if i % 6 == 0 { "2026-03-31".into() } else { String::new() },
                ..Default::default()
            };
            save(&quiet, Actor::Staff(demo.staff_for(i)), customer, &input).await?;
        }
        Ok(())
    }
}
