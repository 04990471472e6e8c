//! Kunde löschen: an erased customer keeps its (anonymised) master record; rows with a retention
//! duty stay blocked until their period ends; an erasure record without personal data remains.
//! Mails get their kind (it decides their retention class); `job_runs` lets a daily job run once
//! per day however many app instances there are.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("customers")
                    .add_column(timestamp_with_time_zone_null("erased_at"))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table("mail_outbox").add_column(string("kind").default("general")).take(),
            )
            .await?;
        // Mails written before kinds were stored: their kind is unknown, so erasure keeps the sent
        // ones as long as the longest duty (account mails from templates are known as such).
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE mail_outbox SET kind = 'system' WHERE template <> 'custom'").await?;
        db.execute_unprepared("UPDATE mail_outbox SET kind = 'legacy' WHERE template = 'custom'").await?;
        manager
            .create_table(
                Table::create()
                    .table("retention")
                    .col(pk_auto("id"))
                    .col(string("table_name"))
                    .col(integer("row_id"))
                    .col(integer("customer_id"))
                    // accounting (8 years) | business_letters (6 years)
                    .col(string("class"))
                    // The last day the row must be kept; the retention job deletes it after.
                    .col(date("blocked_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("retention_row", &["table_name", "row_id"][..]),
            ("retention_due", &["blocked_until"][..]),
            ("retention_customer", &["customer_id"][..]),
        ] {
            let mut index = Index::create().name(name).table("retention").take();
            for col in cols {
                index.col(*col);
            }
            if name == "retention_row" {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("erasures")
                    .col(pk_auto("id"))
                    // No foreign key: the record outlives a hard-deleted customer.
                    .col(integer("customer_id"))
                    .col(string("customer_number"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer("staff_id"))
                    // The request's reference (ticket or letter number), never its content.
                    .col(string("request_ref"))
                    // anonymised | hard_deleted
                    .col(string("outcome"))
                    // Rows per data class and what happened to them, as JSON; no personal data.
                    .col(text("summary"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("erasures_customer").table("erasures").col("customer_id").take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("job_runs")
                    .col(string("name").primary_key())
                    .col(date("last_run_on"))
                    .col(timestamp_with_time_zone("last_run_at"))
                    .col(text("outcome"))
                    .take(),
            )
            .await?;
        Ok(())
    }
}
