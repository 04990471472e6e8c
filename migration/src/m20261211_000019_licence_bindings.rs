//! Where a licence is in use: each host (and path) the licensed software checked it from, first
//! and last seen, from which address, how often. A product allows a number of them per licence.
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
                    .table("licence_bindings")
                    .col(pk_auto("id"))
                    .col(integer("licence_id"))
                    .col(integer("customer_id"))
                    .col(string_len("host", 253))
                    // "" when the software sends none.
                    .col(string_len("path", 500))
                    .col(string_len("ip", 45))
                    .col(timestamp_with_time_zone("first_seen_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(big_integer("checks"))
                    .foreign_key(
                        ForeignKey::create().from("licence_bindings", "licence_id").to("licences", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create().from("licence_bindings", "customer_id").to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX licence_bindings_where ON licence_bindings (licence_id, host, path)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX licence_bindings_customer ON licence_bindings (customer_id)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("licence_bindings").take()).await
    }
}
