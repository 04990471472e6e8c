//! An impersonation session belongs to the staff session that opened it and ends with it (on
//! PostgreSQL a foreign key with ON DELETE CASCADE, on SQLite a trigger: logout, deactivation,
//! a password change and "end sessions" all delete staff sessions). A mail being sent holds a lease: when the sender dies mid-way, the
//! lease runs out and another sender delivers it.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let statements: &[&str] = match backend {
            DatabaseBackend::Postgres => &[
                "ALTER TABLE sessions ADD COLUMN parent_id_hash VARCHAR NULL \
                 REFERENCES sessions (id_hash) ON DELETE CASCADE",
                "CREATE INDEX sessions_parent ON sessions (parent_id_hash)",
            ],
            // SQLite cannot drop a column that is a foreign key again (`down`): a trigger does
            // the cascade.
            _ => &[
                "ALTER TABLE sessions ADD COLUMN parent_id_hash VARCHAR NULL",
                "CREATE INDEX sessions_parent ON sessions (parent_id_hash)",
                "CREATE TRIGGER sessions_end_children AFTER DELETE ON sessions \
                 BEGIN DELETE FROM sessions WHERE parent_id_hash = OLD.id_hash; END",
            ],
        };
        // Impersonations started before this have no parent to end with: end them now.
        for sql in
            statements.iter().chain(["DELETE FROM sessions WHERE impersonator_staff_id IS NOT NULL"].iter())
        {
            db.execute_raw(Statement::from_string(backend, *sql)).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("mail_outbox")
                    .add_column(ColumnDef::new("lease_until").timestamp_with_time_zone().null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mail_outbox").drop_column("lease_until").take()).await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        if backend != DatabaseBackend::Postgres {
            db.execute_raw(Statement::from_string(backend, "DROP TRIGGER sessions_end_children")).await?;
        }
        db.execute_raw(Statement::from_string(backend, "DROP INDEX sessions_parent")).await?;
        manager.alter_table(Table::alter().table("sessions").drop_column("parent_id_hash").take()).await
    }
}
