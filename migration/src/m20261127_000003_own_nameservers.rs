//! The customer's own nameserver hostnames (a domain setting kept with the master data).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE customers ADD COLUMN own_nameservers TEXT NOT NULL DEFAULT ''")
            .await?;
        Ok(())
    }
}
