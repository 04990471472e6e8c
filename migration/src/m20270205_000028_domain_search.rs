//! Finding a customer by a domain: each domain keeps a folded search text (Unicode name with
//! umlauts spelled out and plain, and the A-label), searched by substring through a trigram
//! index (SQLite FTS5 trigram, PostgreSQL pg_trgm) as the customers' own search text is.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE domains ADD COLUMN search_name TEXT NOT NULL DEFAULT ''").await?;
        // Names stored so far (lower case already): umlauts spelled out, the A-label beside.
        db.execute_unprepared(
            "UPDATE domains SET search_name = replace(replace(replace(replace(unicode_name, 'ä', 'ae'), \
             'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss') || ' ' || ace_name",
        )
        .await?;
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in [
                    "CREATE VIRTUAL TABLE domains_fts USING fts5(search_name, content='domains', \
                     content_rowid='id', tokenize='trigram')",
                    "INSERT INTO domains_fts(domains_fts) VALUES ('rebuild')",
                    "CREATE TRIGGER domains_fts_ai AFTER INSERT ON domains BEGIN \
                     INSERT INTO domains_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
                    "CREATE TRIGGER domains_fts_ad AFTER DELETE ON domains BEGIN \
                     INSERT INTO domains_fts(domains_fts, rowid, search_name) \
                     VALUES ('delete', old.id, old.search_name); END",
                    "CREATE TRIGGER domains_fts_au AFTER UPDATE OF search_name ON domains BEGIN \
                     INSERT INTO domains_fts(domains_fts, rowid, search_name) \
                     VALUES ('delete', old.id, old.search_name); \
                     INSERT INTO domains_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {
                db.execute_unprepared(
                    "CREATE INDEX domains_search_trgm ON domains USING gin (search_name gin_trgm_ops)",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Sqlite {
            for sql in [
                "DROP TRIGGER domains_fts_au",
                "DROP TRIGGER domains_fts_ad",
                "DROP TRIGGER domains_fts_ai",
                "DROP TABLE domains_fts",
            ] {
                db.execute_unprepared(sql).await?;
            }
        } else {
            db.execute_unprepared("DROP INDEX domains_search_trgm").await?;
        }
        manager.alter_table(Table::alter().table("domains").drop_column("search_name").take()).await?;
        Ok(())
    }
}
