//! Test support: a fresh, migrated database per test on SQLite and on PostgreSQL, and the
//! real server on a random port.
#![allow(dead_code)]

use clientdesk::db::{self, Db};
use sea_orm::{ConnectionTrait, Database};
use std::sync::atomic::{AtomicU32, Ordering};

pub mod portal;
pub mod server;

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestDb {
    pub db: Db,
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

pub fn pg_admin_url() -> String {
    std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub async fn sqlite() -> TestDb {
    let path = std::env::temp_dir().join(format!("{}.db", unique("clientdesk_test")));
    let db = db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.expect("open sqlite");
    db::migrate(&db).await.expect("migrate sqlite");
    TestDb { db, backend: "sqlite", cleanup: Cleanup::File(path) }
}

/// A new PostgreSQL database. PostgreSQL is part of the test environment: no silent skipping.
pub async fn postgres() -> TestDb {
    let admin_url = pg_admin_url();
    let name = unique("clientdesk_test");
    let admin =
        Database::connect(&admin_url).await.expect("PostgreSQL must run at 127.0.0.1:5432 (see STACK.md)");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    admin.close().await.ok();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let db = db::connect(&url).await.expect("connect test database");
    db::migrate(&db).await.expect("migrate postgres");
    TestDb { db, backend: "postgres", cleanup: Cleanup::Postgres { admin_url, name } }
}

/// Both databases, each fresh.
pub async fn both() -> Vec<TestDb> {
    vec![sqlite().await, postgres().await]
}

impl TestDb {
    /// The PostgreSQL database's URL, for a second connection pool (a second app instance).
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => {
                format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)
            }
            Cleanup::File(path) => format!("sqlite://{}?mode=rwc", path.display()),
        }
    }

    pub async fn finish(self) {
        let TestDb { db, cleanup, .. } = self;
        // A connection still held by a server task must not keep the test waiting.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), db.close()).await;
        match cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                }
            }
        }
    }
}
