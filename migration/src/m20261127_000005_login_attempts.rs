//! Login attempts of staff and customers, for throttling per account and per IP address.
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
                    .table("login_attempts")
                    .col(pk_auto("id"))
                    .col(string("kind"))
                    .col(string("email"))
                    .col(string("ip"))
                    .col(timestamp_with_time_zone("at"))
                    .col(boolean("success"))
                    .take(),
            )
            .await?;
        for (name, col) in [("login_attempts_email", "email"), ("login_attempts_ip", "ip")] {
            manager
                .create_index(
                    Index::create().name(name).table("login_attempts").col("kind").col(col).col("at").take(),
                )
                .await?;
        }
        Ok(())
    }
}
