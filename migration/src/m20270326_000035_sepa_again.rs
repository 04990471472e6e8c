//! A returned direct debit can be collected again: each collection of an invoice is an attempt
//! (1, 2, …), unique per invoice, so two collection runs at once still collect it once.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("sepa_collection_items")
                    .add_column(ColumnDef::new("attempt").integer().not_null().default(1))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX sepa_items_invoice").await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX sepa_items_attempt ON sepa_collection_items (invoice_id, attempt)",
        )
        .await?;
        Ok(())
    }

    /// Fails once an invoice was collected a second time: one item per invoice no longer holds.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX sepa_items_attempt").await?;
        db.execute_unprepared("CREATE UNIQUE INDEX sepa_items_invoice ON sepa_collection_items (invoice_id)")
            .await?;
        manager
            .alter_table(Table::alter().table("sepa_collection_items").drop_column("attempt").take())
            .await?;
        Ok(())
    }
}
