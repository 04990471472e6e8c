//! Licence transfers: staff offer a licence to another customer, who accepts or declines in the
//! self-service area. At most one open offer per licence (a partial unique index, both
//! databases), so two offers cannot race.
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
                    .table("licence_transfers")
                    .col(pk_auto("id"))
                    .col(integer("licence_id"))
                    .col(integer("from_customer_id"))
                    .col(integer("to_customer_id"))
                    // offered | accepted | declined | withdrawn
                    .col(string_len("status", 20))
                    .col(timestamp_with_time_zone("offered_at"))
                    .col(integer_null("offered_by"))
                    // An offer not answered by then can no longer be accepted.
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    // The portal login that accepted or declined.
                    .col(integer_null("decided_by_login"))
                    .foreign_key(
                        ForeignKey::create().from("licence_transfers", "licence_id").to("licences", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("licence_transfers", "from_customer_id")
                            .to("customers", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("licence_transfers", "to_customer_id")
                            .to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX licence_transfers_to ON licence_transfers (to_customer_id, status)",
            "CREATE INDEX licence_transfers_from ON licence_transfers (from_customer_id)",
            "CREATE UNIQUE INDEX licence_transfers_open ON licence_transfers (licence_id) WHERE status = 'offered'",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("licence_transfers").take()).await
    }
}
