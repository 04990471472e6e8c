//! The staff audit log (who did which privileged act, when, from where) and append-only
//! history: triggers refuse UPDATE and DELETE on the Verlauf (`changes`), the Log (`events`) and
//! the audit log. Only a transaction that holds a row in `history_grants` (the retention job,
//! an erasure, a merge that moves a duplicate's history) may rewrite them; it removes that row
//! before it commits, and no other transaction sees it.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const GUARDED: [&str; 3] = ["changes", "events", "audit_log"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("staff_id"))
                    // The name then: it stays readable when the member is renamed.
                    .col(string("staff_name"))
                    .col(string_null("ip"))
                    .col(string("action"))
                    // What it was done to, e.g. a customer number or a role's name.
                    .col(string("target"))
                    .col(integer_null("customer_id"))
                    .col(text("before"))
                    .col(text("after"))
                    .take(),
            )
            .await?;
        manager.create_index(index("audit_log", "audit_log_at", &["at"])).await?;
        manager.create_index(index("audit_log", "audit_log_action", &["action", "at"])).await?;
        manager.create_index(index("audit_log", "audit_log_staff", &["staff_id", "at"])).await?;
        manager.create_table(Table::create().table("history_grants").col(string("reason")).take()).await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let mut statements = Vec::new();
        match backend {
            DatabaseBackend::Postgres => {
                statements.push(
                    "CREATE FUNCTION refuse_history_rewrite() RETURNS trigger AS $$ \
                     BEGIN \
                       IF EXISTS (SELECT 1 FROM history_grants) THEN \
                         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                         RETURN NEW; \
                       END IF; \
                       RAISE EXCEPTION 'append-only: % on % refused', TG_OP, TG_TABLE_NAME; \
                     END $$ LANGUAGE plpgsql"
                        .to_string(),
                );
                for table in GUARDED {
                    statements.push(format!(
                        "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()"
                    ));
                }
            }
            _ => {
                for table in GUARDED {
                    for op in ["UPDATE", "DELETE"] {
                        statements.push(format!(
                            "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} \
                             WHEN NOT EXISTS (SELECT 1 FROM history_grants) \
                             BEGIN SELECT RAISE(ABORT, 'append-only: {op} on {table} refused'); END",
                            op.to_lowercase()
                        ));
                    }
                }
            }
        }
        for sql in statements {
            db.execute_raw(Statement::from_string(backend, sql)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let mut statements = Vec::new();
        for table in GUARDED {
            match backend {
                DatabaseBackend::Postgres => {
                    statements.push(format!("DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
                }
                _ => {
                    statements.push(format!("DROP TRIGGER IF EXISTS {table}_no_update"));
                    statements.push(format!("DROP TRIGGER IF EXISTS {table}_no_delete"));
                }
            }
        }
        if backend == DatabaseBackend::Postgres {
            statements.push("DROP FUNCTION IF EXISTS refuse_history_rewrite()".into());
        }
        for sql in statements {
            db.execute_raw(Statement::from_string(backend, sql)).await?;
        }
        manager.drop_table(Table::drop().table("history_grants").take()).await?;
        manager.drop_table(Table::drop().table("audit_log").take()).await
    }
}

fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).take();
    for c in cols {
        stmt.col(*c);
    }
    stmt
}
