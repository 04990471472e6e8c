//! Database connection, migration and small SQL helpers shared by the services.
pub mod bulk;
pub mod entities;
pub mod history;
mod placeholders;
pub mod settings;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    Statement, TransactionTrait, Value,
};
use std::time::Duration;

pub type Db = DatabaseConnection;

/// Connect to SQLite (a file, WAL, synchronous FULL) or PostgreSQL, by URL.
pub async fn connect(url: &str) -> Result<Db, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // Several readers beside the one writer; writes wait on the busy timeout.
        opts.max_connections(8).min_connections(1).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    } else {
        opts.max_connections(16).min_connections(1);
    }
    Database::connect(opts).await
}

pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// A statement written with `$1, $2, ...` placeholders, which both backends accept (SQLite
/// gets them as anonymous `?`, which bind in linear time: `placeholders`).
pub fn stmt<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    if backend == DbBackend::Sqlite {
        let (sql, values) = placeholders::positional(sql, values);
        return Statement::from_sql_and_values(backend, sql, values);
    }
    Statement::from_sql_and_values(backend, sql, values)
}

/// Begin a transaction that will write. On SQLite it takes the write lock at once (waiting on
/// the busy timeout): a transaction that reads first and writes later cannot wait for the lock
/// and fails with "database is locked" when another connection wrote meanwhile.
pub async fn begin_write(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if is_sqlite(db) {
        txn.execute_raw(stmt(&txn, "UPDATE seaql_migrations SET version = version WHERE 0 = 1", vec![]))
            .await?;
    }
    Ok(txn)
}

pub fn is_sqlite<C: ConnectionTrait>(db: &C) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// The next value of a named counter (customer numbers, later invoice series).
/// Runs inside the caller's transaction, so a rolled-back insert gives its number back.
pub async fn next_counter<C: ConnectionTrait>(db: &C, name: &str, start: i64) -> Result<i64, DbErr> {
    reserve_counter(db, name, start, 1).await
}

/// Reserve `count` consecutive values of a counter; returns the first.
pub async fn reserve_counter<C: ConnectionTrait>(
    db: &C,
    name: &str,
    start: i64,
    count: i64,
) -> Result<i64, DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        vec![name.into(), (start - 1).into()],
    ))
    .await?;
    let row = db
        .query_one_raw(stmt(
            db,
            "UPDATE counters SET value = value + $2 WHERE name = $1 RETURNING value",
            vec![name.into(), count.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom(format!("counter {name} missing")))?;
    Ok(row.try_get::<i64>("", "value")? - count + 1)
}

/// Whether a write failed on a unique index: another writer got there first.
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
