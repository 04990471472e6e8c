//! A covering index for walking the customer list in name order while testing each row's
//! search text from the index alone, without a table lookup per row.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DbBackend::Sqlite => "CREATE INDEX customers_sort_walk ON customers (sort_name, id, search_text)",
            // PostgreSQL answers from an index-only scan: no heap visit per tested row.
            _ => "CREATE INDEX customers_sort_walk ON customers (sort_name, id) INCLUDE (search_text)",
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }
}
