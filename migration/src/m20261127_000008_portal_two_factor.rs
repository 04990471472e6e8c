//! Optional two-factor login for the self-service area: an enrolment in progress and the hashed
//! recovery codes of a portal login.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE portal_logins ADD COLUMN totp_pending TEXT NULL").await?;
        db.execute_unprepared("ALTER TABLE portal_logins ADD COLUMN recovery_codes TEXT NOT NULL DEFAULT ''")
            .await?;
        Ok(())
    }
}
