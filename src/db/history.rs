//! The Verlauf, the Log and the audit log are append-only: database triggers refuse UPDATE and
//! DELETE on them (migration m20261204_000016). Only a transaction holding a grant may rewrite
//! them: the retention job, an erasure, a merge moving a duplicate's history. The grant is a
//! row no other transaction sees; it is removed again before the commit.
use crate::db::stmt;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// Allow this transaction to rewrite history, saying why.
pub async fn allow_rewrite<C: ConnectionTrait>(txn: &C, reason: &str) -> AppResult<()> {
    txn.execute_raw(stmt(txn, "INSERT INTO history_grants (reason) VALUES ($1)", vec![reason.into()]))
        .await?;
    Ok(())
}

/// End the grant (before the commit, so it never becomes visible).
pub async fn end_rewrite<C: ConnectionTrait>(txn: &C) -> AppResult<()> {
    txn.execute_raw(stmt(txn, "DELETE FROM history_grants", vec![])).await?;
    Ok(())
}
