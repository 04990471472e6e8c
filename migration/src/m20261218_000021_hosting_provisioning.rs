//! Hosting with real provisioning: the servers modules talk to, the packages staff sell, each
//! customer's hostings, and the jobs that create, suspend, unsuspend and terminate them remotely
//! with their append-only log (secrets redacted before anything is written).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("servers")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("name", 100))
                    // manual | mariadb | powerdns
                    .col(string_len("module", 20))
                    .col(string_len("host", 253))
                    .col(integer("port"))
                    .col(string_len("username", 80))
                    // The admin password or API key, sealed by auth::secrets; '' for none.
                    .col(text("secret"))
                    // The module's own settings as JSON.
                    .col(text("settings"))
                    .col(boolean("active"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("hosting_packages")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("name", 100))
                    .col(integer("server_id"))
                    .col(text("settings"))
                    // A new hosting of this package is created remotely at once.
                    .col(boolean("auto_provision"))
                    .col(boolean("active"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create().from("hosting_packages", "server_id").to("servers", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("hostings")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(integer("package_id"))
                    .col(integer("server_id"))
                    // The account's name on the server, fixed at insert and never made up by a job.
                    .col(string_len("username", 32))
                    // A-label; '' when the package needs none.
                    .col(string_len("domain", 253))
                    // pending | provisioning | active | suspended | terminated | failed
                    .col(string_len("status", 20))
                    .col(string_len("suspend_reason", 500))
                    .col(timestamp_with_time_zone_null("suspended_at"))
                    .col(timestamp_with_time_zone_null("terminated_at"))
                    .col(string_len("external_ref", 200))
                    // The generated account password, sealed.
                    .col(text("secret"))
                    .col(date("contract_date"))
                    .col(string_len("billing_cycle", 20))
                    .col(integer_null("reseller_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .foreign_key(ForeignKey::create().from("hostings", "customer_id").to("customers", "id"))
                    .foreign_key(ForeignKey::create().from("hostings", "reseller_id").to("customers", "id"))
                    .foreign_key(
                        ForeignKey::create().from("hostings", "package_id").to("hosting_packages", "id"),
                    )
                    .foreign_key(ForeignKey::create().from("hostings", "server_id").to("servers", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("provisioning_jobs")
                    .col(pk_auto("id"))
                    .col(integer("hosting_id"))
                    .col(integer("customer_id"))
                    // create | suspend | unsuspend | terminate
                    .col(string_len("action", 20))
                    // queued | running | done | failed | cancelled
                    .col(string_len("status", 20))
                    .col(integer("attempts"))
                    .col(integer("max_attempts"))
                    .col(timestamp_with_time_zone("run_after"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    // The steps already done, comma-separated: a retry skips them.
                    .col(string_len("steps_done", 500))
                    .col(string_len_uniq("idempotency_key", 80))
                    .col(string_len("reason", 500))
                    .col(string_len("requested_by_kind", 20))
                    .col(integer_null("requested_by_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(string_len("last_error", 500))
                    .foreign_key(
                        ForeignKey::create().from("provisioning_jobs", "hosting_id").to("hostings", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create().from("provisioning_jobs", "customer_id").to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("provisioning_log")
                    .col(pk_auto("id"))
                    .col(integer("job_id"))
                    .col(integer("hosting_id"))
                    .col(integer("customer_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer("attempt"))
                    .col(string_len("step", 40))
                    // info | error
                    .col(string_len("level", 10))
                    .col(string_len("message", 1000))
                    .foreign_key(
                        ForeignKey::create().from("provisioning_log", "job_id").to("provisioning_jobs", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create().from("provisioning_log", "customer_id").to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX hosting_packages_server ON hosting_packages (server_id)",
            "CREATE INDEX hostings_customer ON hostings (customer_id, status)",
            "CREATE INDEX hostings_reseller ON hostings (reseller_id)",
            "CREATE INDEX hostings_package ON hostings (package_id)",
            "CREATE UNIQUE INDEX hostings_server_user ON hostings (server_id, username)",
            "CREATE UNIQUE INDEX hostings_server_domain ON hostings (server_id, domain) \
             WHERE status <> 'terminated' AND domain <> ''",
            "CREATE INDEX provisioning_jobs_due ON provisioning_jobs (status, run_after)",
            "CREATE INDEX provisioning_jobs_hosting ON provisioning_jobs (hosting_id, id)",
            "CREATE INDEX provisioning_jobs_customer ON provisioning_jobs (customer_id)",
            // One open job per hosting: a second request waits for the first to end.
            "CREATE UNIQUE INDEX provisioning_jobs_open ON provisioning_jobs (hosting_id) \
             WHERE status IN ('queued', 'running')",
            "CREATE INDEX provisioning_log_hosting ON provisioning_log (hosting_id, id)",
            "CREATE INDEX provisioning_log_job ON provisioning_log (job_id)",
            "CREATE INDEX provisioning_log_customer ON provisioning_log (customer_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["provisioning_log", "provisioning_jobs", "hostings", "hosting_packages", "servers"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
