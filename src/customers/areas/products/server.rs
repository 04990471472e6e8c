//! Produkte on the server: licences in the records registry, their fields in the Verlauf, the
//! sidebar figure and the demo catalogue with licences for the demo customers.
use super::model::{BillingCycle, LicenceInput, LicenceStatus, TransferStatus};
use super::service::{ENTITY, names, save, undo};
use crate::catalogue::model::{ProductInput, ReleaseInput};
use crate::customers::areas::server::{
    AreaServer, Demo, DemoSeed, Figure, HistoryEntity, UndoBy, WarningSource,
};
use crate::customers::model::{CustomerDetail, FigureKind, Warning};
use crate::db::Db;
use crate::db::entities::{change, hosting, licence, licence_transfer};
use crate::error::AppResult;
use crate::events::actor::Actor;
use crate::records::erasure::RetentionClass;
use crate::records::registry::{CustomerRecords, Eraser, Export, TableClaim};
use crate::write::Ctx;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};

pub const SERVER: AreaServer = AreaServer {
    records: &[&RECORDS],
    entities: &[&LicenceFields, &HostingFields],
    warnings: Some(&HostingWarnings),
    figure: Some(Figure {
        sql: "SELECT (SELECT COUNT(*) FROM licences WHERE customer_id = $1) \
              + (SELECT COUNT(*) FROM hostings WHERE customer_id = $1 AND status <> 'terminated')",
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
    TableClaim { table: "hostings", column: "customer_id", export: Export::Rows { withheld: &["secret"] } },
    TableClaim {
        table: "hostings",
        column: "reseller_id",
        export: Export::Omitted("other customers' hostings that only name this one as reseller"),
    },
    TableClaim::rows("provisioning_jobs", "customer_id"),
    TableClaim::rows("provisioning_log", "customer_id"),
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
        run("UPDATE hostings SET customer_id = $2 WHERE customer_id = $1").await?;
        run("UPDATE hostings SET reseller_id = NULL WHERE customer_id = $2 AND reseller_id IN ($1, $2)")
            .await?;
        run("UPDATE hostings SET reseller_id = $2 WHERE reseller_id = $1").await?;
        run("UPDATE provisioning_jobs SET customer_id = $2 WHERE customer_id = $1").await?;
        run("UPDATE provisioning_log SET customer_id = $2 WHERE customer_id = $1").await?;
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
        erase_hostings(eraser).await?;
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
        let kept = accepted
            .into_iter()
            .map(|t| (t.id, crate::customers::service::business_day_of(t.decided_at.unwrap_or(t.offered_at))))
            .collect();
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
        let today = crate::customers::service::business_day();
        let kept = rows.into_iter().map(|(id, ended)| (id, ended.unwrap_or(today))).collect();
        eraser.retain("products", "licences", RetentionClass::BusinessLetters, kept).await?;
        let never = format!("customer_id = $1 AND status = '{}'", LicenceStatus::InProgress.as_str());
        eraser.delete("products", "licences", &never).await?;
        Ok(())
    }
}

/// Hostings still running (or failed) on a server refuse the erasure (terminate them first: the account
/// holds the customer's data too). A terminated hosting was a contract: kept as a business
/// letter from its end; one never active goes. Jobs and their logs go.
async fn erase_hostings(eraser: &mut Eraser<'_>) -> AppResult<()> {
    let live = hosting::Entity::find()
        .filter(hosting::Column::CustomerId.eq(eraser.customer_id))
        .filter(hosting::Column::Status.is_in(["provisioning", "active", "suspended", "failed"]))
        .count(eraser.txn)
        .await?;
    // A failed create may have left part of an account: terminating it cleans up first. A job
    // still open (a terminate under way) must end before its rows go.
    let open = crate::db::entities::provisioning_job::Entity::find()
        .filter(crate::db::entities::provisioning_job::Column::CustomerId.eq(eraser.customer_id))
        .filter(crate::db::entities::provisioning_job::Column::Status.is_in(["queued", "running"]))
        .count(eraser.txn)
        .await?;
    let live = live + open;
    if live > 0 {
        return Err(crate::error::AppError::Validation(vec![
            crate::error::FieldError::new("customer", "erase.live_services").with("count", live.to_string()),
        ]));
    }
    eraser.delete("products", "provisioning_log", "customer_id = $1").await?;
    eraser.delete("products", "provisioning_jobs", "customer_id = $1").await?;
    let ended = hosting::Entity::find()
        .filter(hosting::Column::CustomerId.eq(eraser.customer_id))
        .filter(hosting::Column::Status.eq("terminated"))
        .select_only()
        .columns([hosting::Column::Id, hosting::Column::TerminatedAt])
        .into_tuple::<(i32, Option<chrono::DateTime<chrono::Utc>>)>()
        .all(eraser.txn)
        .await?;
    let today = crate::customers::service::business_day();
    let kept = ended
        .into_iter()
        .map(|(id, at)| (id, at.map(crate::customers::service::business_day_of).unwrap_or(today)))
        .collect();
    eraser.retain("products", "hostings", RetentionClass::BusinessLetters, kept).await?;
    eraser.delete("products", "hostings", "customer_id = $1 AND status <> 'terminated'").await?;
    Ok(())
}

/// A hosting's status in the Verlauf (`changes.entity` "hosting"): it follows what the server
/// has, so it is changed by the hosting's actions, never undone from the Verlauf.
struct HostingFields;

#[async_trait::async_trait]
impl HistoryEntity for HostingFields {
    fn entity(&self) -> &'static str {
        super::hosting::ENTITY
    }

    async fn subjects(&self, db: &Db, customer_id: i32) -> AppResult<std::collections::HashMap<i32, String>> {
        Ok(hosting::Entity::find()
            .filter(hosting::Column::CustomerId.eq(customer_id))
            .select_only()
            .columns([hosting::Column::Id, hosting::Column::Username, hosting::Column::Domain])
            .into_tuple::<(i32, String, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, user, domain)| {
                (id, if domain.is_empty() { user } else { format!("{user} ({domain})") })
            })
            .collect())
    }

    async fn undo(&self, _ctx: &Ctx, _by: UndoBy<'_>, _c: &change::Model) -> AppResult<()> {
        Err(crate::error::AppError::Validation(vec![crate::error::FieldError::new(
            "change",
            "history.hosting_not_undoable",
        )]))
    }
}

/// The warnings row names each hosting whose latest job failed, and each suspended one.
struct HostingWarnings;

#[async_trait::async_trait]
impl WarningSource for HostingWarnings {
    async fn warnings(
        &self,
        txn: &DatabaseTransaction,
        customer: &CustomerDetail,
    ) -> AppResult<Vec<Warning>> {
        let rows = txn
            .query_all_raw(crate::db::stmt(
                txn,
                "SELECT h.username, h.domain, h.status, h.remote_state, j.status AS job_status, j.action \
                 FROM hostings h LEFT JOIN provisioning_jobs j ON j.id = \
                   (SELECT MAX(id) FROM provisioning_jobs WHERE hosting_id = h.id AND action <> 'check') \
                 WHERE h.customer_id = $1 AND (j.status = 'failed' OR h.status = 'suspended' \
                   OR (h.status IN ('active', 'suspended') AND h.remote_state NOT IN ('', h.status))) \
                 ORDER BY h.id",
                vec![customer.id.into()],
            ))
            .await?;
        let mut warnings = Vec::new();
        for r in rows {
            let (user, domain): (String, String) = (r.try_get("", "username")?, r.try_get("", "domain")?);
            let name = if domain.is_empty() { user } else { domain };
            if r.try_get::<Option<String>>("", "job_status")?.as_deref() == Some("failed") {
                warnings.push(Warning {
                    key: "warning.provisioning_failed".into(),
                    tone: "danger".into(),
                    args: vec![("name".into(), name.clone())],
                });
            }
            let (status, remote): (String, String) =
                (r.try_get("", "status")?, r.try_get("", "remote_state")?);
            if !remote.is_empty() && remote != status && matches!(status.as_str(), "active" | "suspended") {
                // The server says otherwise than we do: someone changed it there, or a job's
                // effect was undone. Staff decide what is right.
                warnings.push(Warning {
                    key: format!("warning.hosting_remote_{remote}"),
                    tone: "danger".into(),
                    args: vec![("name".into(), name.clone())],
                });
            }
            if status == "suspended" {
                warnings.push(Warning {
                    key: "warning.hosting_suspended".into(),
                    tone: "warning".into(),
                    args: vec![("name".into(), name)],
                });
            }
        }
        Ok(warnings)
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
        // A server run by hand and a package set up at once: every fourth demo customer has a
        // hosting whose create job the worker runs when the server starts.
        let server = crate::catalogue::server_model::ServerInput {
            name: "Webserver 1".into(),
            module: "manual".into(),
            host: "web1.example.net".into(),
            port: 22,
            settings: "{\"prefix\":\"web\"}".into(),
            active: true,
            ..Default::default()
        };
        let server_id = crate::catalogue::servers::save_server(db, &server).await?;
        let package = crate::catalogue::server_model::PackageInput {
            name: "Webspace S".into(),
            server_id,
            settings: "{}".into(),
            auto_provision: true,
            active: true,
            ..Default::default()
        };
        let package_id = crate::catalogue::servers::save_package(db, &package).await?;
        for (i, &customer) in demo.customers.iter().enumerate().filter(|(i, _)| i % 4 == 1) {
            let input = super::hosting_model::HostingInput {
                package_id,
                domain: format!("kunde{}.example", i + 1),
                contract_date: format!("2025-{:02}-01", i % 12 + 1),
                billing_cycle: BillingCycle::Monthly,
            };
            super::hosting::add(&quiet, Actor::Staff(demo.staff_for(i)), customer, &input).await?;
        }
        Ok(())
    }
}
