//! A covering index for walking the customer list in name order while testing each row's
//! search text (SQLite reads the index alone, without a table lookup per row).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE INDEX customers_sort_walk ON customers (sort_name, id, search_text)",
                )
                .await?;
        }
        Ok(())
    }
}
