//! Customer prices per TLD: the customer's own price for registering, transferring and renewing
//! a domain under an ending (per year, in cents), each optional; none means the list price.
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
                    .table("customer_domain_prices")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(integer("tld_id"))
                    // Per year; NULL: the list price applies.
                    .col(big_integer_null("register_cents"))
                    .col(big_integer_null("transfer_cents"))
                    .col(big_integer_null("renew_cents"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("customer_domain_prices", "customer_id")
                            .to("customers", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create().from("customer_domain_prices", "tld_id").to("tlds", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX customer_domain_prices_tld ON customer_domain_prices (customer_id, tld_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("customer_domain_prices").take()).await?;
        Ok(())
    }
}
