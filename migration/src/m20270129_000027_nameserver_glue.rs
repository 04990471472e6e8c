//! Glue addresses of the customer's own nameservers ("ns1.kunde.de 192.0.2.53 2001:db8::53", one
//! nameserver per line): a nameserver inside the domain it serves needs them.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE customers ADD COLUMN own_nameserver_glue TEXT NOT NULL DEFAULT ''",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("customers").drop_column("own_nameserver_glue").take())
            .await?;
        Ok(())
    }
}
