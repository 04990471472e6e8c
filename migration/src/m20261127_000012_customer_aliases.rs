//! Old customer numbers after a merge: the number (and the id its URLs used) of the merged
//! duplicate keep pointing at the customer it was merged into.
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
                    .table("customer_aliases")
                    .col(string("number").primary_key())
                    .col(integer_uniq("old_id"))
                    .col(integer("customer_id"))
                    .col(timestamp_with_time_zone("merged_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("customer_aliases", "customer_id")
                            .to("customers", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("customer_aliases_customer")
                    .table("customer_aliases")
                    .col("customer_id")
                    .take(),
            )
            .await?;
        Ok(())
    }
}
