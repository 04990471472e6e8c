//! Dateien: files kept for a customer (the bytes lie in the object store under a random key; the
//! row holds what people see) and the store's clean-up list: objects to delete once due, written
//! in the same transaction as the row change that orphans them. Mails carry files along, and a
//! product release has its download. Hostings keep what their server last reported.
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
                    .table("customer_files")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // `f/{yyyy}/{random}`: nothing personal, never derived from the name.
                    .col(string_len_uniq("storage_key", 80))
                    // Display only, sanitised.
                    .col(string_len("name", 255))
                    .col(big_integer("size"))
                    // Sniffed from the bytes, never taken from the browser.
                    .col(string_len("content_type", 100))
                    .col(string_len("sha256", 64))
                    .col(boolean("customer_may_download"))
                    .col(date_null("expires_on"))
                    .col(integer_null("uploaded_by"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .col(big_integer("version"))
                    .foreign_key(
                        ForeignKey::create().from("customer_files", "customer_id").to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("object_cleanup")
                    .col(string_len("storage_key", 80).primary_key())
                    .col(timestamp_with_time_zone("due_at"))
                    // upload (an upload that never got its row) | deleted
                    .col(string_len("reason", 20))
                    .take(),
            )
            .await?;
        // What a mail carries along: [{name, content_type, size, key, sha256}]; the sender reads
        // the objects from the store at delivery.
        manager
            .alter_table(
                Table::alter().table("mail_outbox").add_column(text("attachments").default("[]")).take(),
            )
            .await?;
        // A release's download: the file customers with a covering licence may fetch.
        let columns: [ColumnDef; 5] = [
            string_len_null("file_key", 80),
            string_len("file_name", 255).default("").take(),
            big_integer_null("file_size"),
            string_len("file_type", 100).default("").take(),
            string_len("file_sha256", 64).default("").take(),
        ];
        for mut column in columns {
            manager
                .alter_table(Table::alter().table("product_releases").add_column(&mut column).take())
                .await?;
        }
        // Reconciliation: what the server last said about a hosting, and when.
        let columns: [ColumnDef; 2] =
            [string_len("remote_state", 20).default("").take(), timestamp_with_time_zone_null("checked_at")];
        for mut column in columns {
            manager.alter_table(Table::alter().table("hostings").add_column(&mut column).take()).await?;
        }
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX customer_files_customer ON customer_files (customer_id, uploaded_at)",
            "CREATE INDEX customer_files_expiry ON customer_files (expires_on)",
            "CREATE INDEX object_cleanup_due ON object_cleanup (due_at)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mail_outbox").drop_column("attachments").take()).await?;
        for column in ["remote_state", "checked_at"] {
            manager.alter_table(Table::alter().table("hostings").drop_column(column).take()).await?;
        }
        for column in ["file_key", "file_name", "file_size", "file_type", "file_sha256"] {
            manager.alter_table(Table::alter().table("product_releases").drop_column(column).take()).await?;
        }
        for table in ["object_cleanup", "customer_files"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
