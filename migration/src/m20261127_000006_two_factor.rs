//! TOTP two-factor login for staff (secret, enrolment in progress, hashed recovery codes, the
//! last time step used so a code works once) and operator settings such as "require 2FA".
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for column in [
            "totp_secret TEXT NULL",
            "totp_pending TEXT NULL",
            "recovery_codes TEXT NOT NULL DEFAULT ''",
            "totp_last_step BIGINT NOT NULL DEFAULT 0",
        ] {
            db.execute_unprepared(&format!("ALTER TABLE staff ADD COLUMN {column}")).await?;
        }
        manager
            .create_table(
                Table::create().table("settings").col(string("key").primary_key()).col(text("value")).take(),
            )
            .await?;
        Ok(())
    }
}
