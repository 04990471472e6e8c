//! The TLD price list: the endings we sell with their grace and redemption periods, and per
//! ending the prices of registering, transferring, renewing (1–10 years) and restoring, in
//! cents. Registrars and the customers' domains follow in the next migrations.
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
                    .table("tlds")
                    .col(pk_auto("id"))
                    // The A-label without a leading dot: `de`, `co.uk`, `xn--p1ai`.
                    .col(string_len_uniq("tld", 63))
                    .col(string_len("currency", 3))
                    // Days after expiry in which a renewal is still a renewal.
                    .col(integer("grace_days"))
                    // Days after the grace period in which a restore brings it back.
                    .col(integer("redemption_days"))
                    // A transfer needs the auth code.
                    .col(boolean("authcode_required"))
                    // The registry sells terms (false: it bills monthly and keeps no expiry, like DENIC).
                    .col(boolean("terms"))
                    .col(boolean("active"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("tld_prices")
                    .col(pk_auto("id"))
                    .col(integer("tld_id"))
                    // register | transfer | renew | restore
                    .col(string_len("action", 10))
                    // 1–10; a restore is priced for 1.
                    .col(integer("years"))
                    .col(big_integer("cents"))
                    .foreign_key(ForeignKey::create().from("tld_prices", "tld_id").to("tlds", "id"))
                    .take(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX tld_prices_term ON tld_prices (tld_id, action, years)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["tld_prices", "tlds"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
