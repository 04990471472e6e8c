//! Registrar jobs and their log (as the provisioning jobs of hostings, per domain), and the
//! registrar that registers under each ending (none: staff by hand).
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
                    .table("domain_jobs")
                    .col(pk_auto("id"))
                    .col(integer("domain_id"))
                    .col(integer("customer_id"))
                    // register | transfer | renew | sync | delete
                    .col(string_len("action", 20))
                    // JSON, e.g. {"years": 1}
                    .col(text("params"))
                    // queued | running | done | failed | cancelled
                    .col(string_len("status", 20))
                    .col(integer("attempts"))
                    .col(integer("max_attempts"))
                    .col(timestamp_with_time_zone("run_after"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(string_len("steps_done", 500))
                    .col(string_len_uniq("idempotency_key", 80))
                    .col(string_len("requested_by_kind", 20))
                    .col(integer_null("requested_by_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(string_len("last_error", 500))
                    .foreign_key(ForeignKey::create().from("domain_jobs", "domain_id").to("domains", "id"))
                    .foreign_key(
                        ForeignKey::create().from("domain_jobs", "customer_id").to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("domain_log")
                    .col(pk_auto("id"))
                    .col(integer("job_id"))
                    .col(integer("domain_id"))
                    .col(integer("customer_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer("attempt"))
                    .col(string_len("step", 40))
                    // info | error
                    .col(string_len("level", 10))
                    .col(string_len("message", 1000))
                    .foreign_key(ForeignKey::create().from("domain_log", "job_id").to("domain_jobs", "id"))
                    .foreign_key(ForeignKey::create().from("domain_log", "customer_id").to("customers", "id"))
                    .take(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table("tlds").add_column(integer_null("registrar_id")).take())
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX domain_jobs_due ON domain_jobs (status, run_after)",
            "CREATE INDEX domain_jobs_domain ON domain_jobs (domain_id, id)",
            "CREATE INDEX domain_jobs_customer ON domain_jobs (customer_id)",
            // One open job per domain: a second request waits for the first to end.
            "CREATE UNIQUE INDEX domain_jobs_open ON domain_jobs (domain_id) WHERE status IN ('queued', 'running')",
            "CREATE INDEX domain_log_domain ON domain_log (domain_id, id)",
            "CREATE INDEX domain_log_job ON domain_log (job_id)",
            "CREATE INDEX domain_log_customer ON domain_log (customer_id)",
            "CREATE INDEX tlds_registrar ON tlds (registrar_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX tlds_registrar").await?;
        manager.alter_table(Table::alter().table("tlds").drop_column("registrar_id").take()).await?;
        for table in ["domain_log", "domain_jobs"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
