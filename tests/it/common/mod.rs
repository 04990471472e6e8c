//! Test support: a fresh, migrated database per test on SQLite and on PostgreSQL, copied from a
//! template that the migrations ran into once, and the real server on a random port.
#![allow(dead_code)]

use clientdesk::db::{self, Db};
use sea_orm::{ConnectionTrait, Database};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub mod epp;
pub mod hosting;
pub mod pdns;
pub mod portal;
pub mod s3;
pub mod server;

/// `db_test!(name)` after `async fn name(t: TestDb)` runs it as two tests, `name::sqlite` and
/// `name::postgres`, so a failure names its database and one never hides the other.
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::common::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(crate::common::postgres().await).await
            }
        }
    };
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A test database; dropping it (also when the test panics) removes it.
pub struct TestDb {
    pub db: Db,
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// A refusal's (field, message key) pairs; anything else fails the test.
pub fn fields_of<T: std::fmt::Debug>(r: Result<T, clientdesk::error::AppError>) -> Vec<(String, String)> {
    match r {
        Err(clientdesk::error::AppError::Validation(e)) => e.into_iter().map(|e| (e.field, e.key)).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The python of the venv `.ci/ensure-bank` makes (tests/bank/generate.py writes the CAMT.053
/// and MT940 fixtures with it, tests/bank/validate_pain008.py checks our pain.008).
pub fn bank_python() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
        format!("{}/.cache/clientdesk-target", std::env::var("HOME").unwrap_or_default())
    });
    let python = PathBuf::from(target).join("venv-bank/bin/python");
    assert!(python.is_file(), "no bank venv at {}: run .ci/ensure-bank", python.display());
    python
}

pub fn pg_admin_url() -> String {
    std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_url(admin_url: &str, name: &str) -> String {
    format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)
}

/// What the schema is made from: the migrations and the code that runs them. A template is
/// reused while this stays the same, so a changed migration never meets a stale template.
fn schema_fingerprint() -> String {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read migration sources") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("migration/src"), &mut files);
    files.push(root.join("src/db/mod.rs"));
    files.sort();
    let mut hash = Sha256::new();
    for f in files {
        hash.update(f.strip_prefix(root).unwrap().to_string_lossy().as_bytes());
        hash.update(std::fs::read(&f).unwrap());
    }
    hex::encode(&hash.finalize()[..8])
}

fn template_name() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| format!("clientdesk_tpl_{}", schema_fingerprint()))
}

/// The migrated SQLite template: built once (into a scratch file, then renamed into place, so a
/// parallel test never copies a half-built one).
async fn sqlite_template() -> PathBuf {
    let path = std::env::temp_dir().join(format!("{}.db", template_name()));
    if path.exists() {
        return path;
    }
    let scratch = std::env::temp_dir().join(format!("{}.db", unique("clientdesk_tpl_build")));
    let db = db::connect(&format!("sqlite://{}?mode=rwc", scratch.display())).await.expect("open sqlite");
    db::migrate(&db).await.expect("migrate sqlite");
    // VACUUM INTO writes one self-contained file (no WAL beside it).
    let built = scratch.with_extension("vacuumed");
    db.execute_unprepared(&format!("VACUUM INTO '{}'", built.display())).await.expect("vacuum into");
    db.close().await.ok();
    std::fs::rename(&built, &path).expect("place the sqlite template");
    remove_sqlite_files(&scratch);
    path
}

/// The migrated PostgreSQL template database, built once per schema (and kept for later runs).
async fn pg_template(admin: &Db, admin_url: &str) -> &'static str {
    let name = template_name();
    let exists = |db: &Db| {
        let sql = format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'");
        let db = db.clone();
        async move { db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await }
    };
    if exists(admin).await.expect("query pg_database").is_some() {
        return name;
    }
    let scratch = unique("clientdesk_tpl_build");
    admin.execute_unprepared(&format!("CREATE DATABASE {scratch}")).await.expect("create template");
    let db = db::connect(&pg_url(admin_url, &scratch)).await.expect("connect template");
    db::migrate(&db).await.expect("migrate postgres");
    db.close().await.ok();
    // Another test may have placed the template meanwhile: then ours is not needed.
    if let Err(error) = admin.execute_unprepared(&format!("ALTER DATABASE {scratch} RENAME TO {name}")).await
    {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {scratch}")).await.ok();
        assert!(exists(admin).await.expect("query pg_database").is_some(), "template not placed: {error}");
    }
    name
}

/// A fresh SQLite database file, a copy of the migrated template.
pub async fn sqlite() -> TestDb {
    let template = sqlite_template().await;
    let path = std::env::temp_dir().join(format!("{}.db", unique("clientdesk_test")));
    std::fs::copy(&template, &path).expect("copy the sqlite template");
    let db = db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.expect("open sqlite");
    TestDb { db, backend: "sqlite", cleanup: Cleanup::File(path) }
}

/// A new PostgreSQL database from the template. PostgreSQL is part of the test environment: no
/// silent skipping.
pub async fn postgres() -> TestDb {
    let admin_url = pg_admin_url();
    let name = unique("clientdesk_test");
    let admin =
        Database::connect(&admin_url).await.expect("PostgreSQL must run at 127.0.0.1:5432 (see STACK.md)");
    let template = pg_template(&admin, &admin_url).await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let db = db::connect(&pg_url(&admin_url, &name)).await.expect("connect test database");
    TestDb { db, backend: "postgres", cleanup: Cleanup::Postgres { admin_url, name } }
}

fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The write path's context without live events (services called directly).
pub fn ctx(db: &Db) -> clientdesk::write::Ctx {
    clientdesk::write::Ctx::quiet(db)
}

impl TestDb {
    pub fn ctx(&self) -> clientdesk::write::Ctx {
        ctx(&self.db)
    }

    /// The database's URL, for a second connection pool (a second app instance).
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => pg_url(admin_url, name),
            Cleanup::File(path) => format!("sqlite://{}?mode=rwc", path.display()),
        }
    }

    /// Close the pool, then remove the database (Drop).
    pub async fn finish(self) {
        // A connection still held by a server task must not keep the test waiting.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), self.db.clone().close()).await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => remove_sqlite_files(path),
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop also runs while a failed test unwinds inside its runtime: the drop gets a
                // thread and a runtime of its own. FORCE ends connections a server still holds.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .await;
                            admin.close().await.ok();
                        }
                    })
                })
                .join();
            }
        }
    }
}
