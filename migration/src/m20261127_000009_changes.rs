//! The Verlauf: every change of a customer's master data, field by field, append-only. Undo
//! appends a reversing change that names the change it reverts.
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
                    .table("changes")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // customer (master data and custom fields); later contact, note, …
                    .col(string("entity"))
                    .col(integer("entity_id"))
                    .col(string("field"))
                    .col(text("old_value"))
                    .col(text("new_value"))
                    // staff | customer | contact | system
                    .col(string("actor_kind"))
                    .col(integer_null("actor_id"))
                    // Staff acting as the customer.
                    .col(integer_null("on_behalf_of"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("reverts_change_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("changes", "customer_id")
                            .to("customers", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("changes_customer").table("changes").col("customer_id").col("id").take(),
            )
            .await?;
        Ok(())
    }
}
