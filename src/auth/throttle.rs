//! Login throttling (ASVS 2.2.1) by a progressive delay instead of a lock: the first failures
//! of an hour cost nothing, then every further attempt has to wait twice as long after the last
//! failure as the one before, up to a cap. An attacker therefore gets fewer than 100 guesses per
//! account and hour, yet can keep a victim out for at most the cap (a minute) at a time.
//!
//! An attempt is claimed before the password is checked, in one transaction per claim that holds
//! the account's and the address's lock (PostgreSQL advisory locks; SQLite has one writer):
//! claims for one account run one after the other, and an attempt that goes ahead is committed
//! as a failure at once, so requests running at the same moment cannot all slip under the
//! limit. A refused attempt is rolled back: it was never visible and is not counted, so waiting
//! ends however many refused requests arrive. A successful attempt turns into a success, which
//! starts the account's count anew.
use crate::db::entities::login_attempt;
use crate::error::AppResult;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// Failures older than this no longer count.
pub const WINDOW: Duration = Duration::hours(1);
/// Failures per account within the window before the delay starts.
pub const ACCOUNT_FREE: u64 = 10;
/// The longest wait for one account: what an attacker can cost a victim at a time.
pub const ACCOUNT_MAX_WAIT: i64 = 60;
/// Failures per IP address (across accounts) within the window before the delay starts.
pub const IP_FREE: u64 = 50;
pub const IP_MAX_WAIT: i64 = 300;
/// The first delay past the free failures, in seconds; it doubles with every further failure.
pub const FIRST_WAIT: i64 = 2;

/// Seconds to wait after the newest of `failures` before the next attempt.
pub fn delay(failures: u64, free: u64, max: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(20) as u32;
    (FIRST_WAIT << doublings).min(max)
}

/// An attempt that may go ahead. Its row says "failed" until `succeeded` or `withdraw`.
#[must_use]
pub struct Attempt {
    id: i32,
}

pub enum Claim {
    Go(Attempt),
    /// Seconds until the next attempt is allowed.
    Wait(i64),
}

/// Claim a login attempt for `email` from `ip` (see the module comment).
pub async fn claim(
    db: &crate::db::Db,
    kind: &str,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> AppResult<Claim> {
    let email: String = email.trim().to_lowercase().chars().take(200).collect();
    let txn = crate::db::begin_write(db).await?;
    let db = &txn;
    if !crate::db::is_sqlite(db) {
        // Always the account first, then the address: no two claims wait for each other.
        for key in [format!("login:{kind}:{email}"), format!("login-ip:{kind}:{ip}")] {
            let sql = "SELECT pg_advisory_xact_lock(hashtext($1)) IS NULL AS locked";
            db.query_one_raw(crate::db::stmt(db, sql, vec![key.into()])).await?;
        }
    }
    let row = login_attempt::ActiveModel {
        kind: Set(kind.to_string()),
        email: Set(email.clone()),
        ip: Set(ip.to_string()),
        at: Set(now),
        success: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let since = now - WINDOW;
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::Kind.eq(kind))
        .filter(login_attempt::Column::Email.eq(&email))
        .filter(login_attempt::Column::Success.eq(true))
        .filter(login_attempt::Column::At.gt(since))
        .order_by_desc(login_attempt::Column::At)
        .one(db)
        .await?
        .map(|a| a.at);
    let account_since = last_success.map_or(since, |s| s.max(since));
    let by_account = wait_for(
        db,
        (kind, row.id, now),
        login_attempt::Column::Email.eq(&email),
        account_since,
        (ACCOUNT_FREE, ACCOUNT_MAX_WAIT),
    )
    .await?;
    let by_ip =
        wait_for(db, (kind, row.id, now), login_attempt::Column::Ip.eq(ip), since, (IP_FREE, IP_MAX_WAIT))
            .await?;
    let wait = by_account.max(by_ip);
    if wait > 0 {
        txn.rollback().await?;
        return Ok(Claim::Wait(wait));
    }
    txn.commit().await?;
    Ok(Claim::Go(Attempt { id: row.id }))
}

/// Seconds still to wait because of the other failures matching `which` since `since`.
async fn wait_for<C: ConnectionTrait>(
    db: &C,
    (kind, own, now): (&str, i32, DateTime<Utc>),
    which: impl sea_orm::sea_query::IntoCondition,
    since: DateTime<Utc>,
    (free, max): (u64, i64),
) -> AppResult<i64> {
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Kind.eq(kind))
        .filter(which)
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::At.gt(since))
        .filter(login_attempt::Column::Id.ne(own));
    let count = failures.clone().count(db).await?;
    let wait = delay(count, free, max);
    if wait == 0 {
        return Ok(0);
    }
    let Some(newest) = failures.order_by_desc(login_attempt::Column::At).one(db).await? else { return Ok(0) };
    let until = newest.at + Duration::seconds(wait);
    Ok(((until - now).num_milliseconds() + 999).div_euclid(1000).max(0))
}

impl Attempt {
    /// The login succeeded: the account's count starts anew.
    pub async fn succeeded<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        login_attempt::Entity::update_many()
            .col_expr(login_attempt::Column::Success, true.into())
            .filter(login_attempt::Column::Id.eq(self.id))
            .exec(db)
            .await?;
        Ok(())
    }

    /// The attempt stays a failure.
    pub fn failed(self) {}

    /// Neither: the password was right but the second factor is still to come (a success here
    /// would reset the count and let codes be guessed without end).
    pub async fn withdraw<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        login_attempt::Entity::delete_by_id(self.id).exec(db).await?;
        Ok(())
    }
}

/// A finished attempt, recorded directly (seeding and tests).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    email: &str,
    ip: &str,
    success: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    login_attempt::ActiveModel {
        kind: Set(kind.to_string()),
        email: Set(email.trim().to_lowercase().chars().take(200).collect()),
        ip: Set(ip.to_string()),
        at: Set(now),
        success: Set(success),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_past_the_free_failures_up_to_its_cap() {
        let waits: Vec<i64> = (9..=17).map(|n| delay(n, ACCOUNT_FREE, ACCOUNT_MAX_WAIT)).collect();
        assert_eq!(waits, [0, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(delay(49, IP_FREE, IP_MAX_WAIT), 0);
        assert_eq!(delay(50, IP_FREE, IP_MAX_WAIT), 2);
        assert_eq!(delay(10_000, IP_FREE, IP_MAX_WAIT), 300);
    }
}
