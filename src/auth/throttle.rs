//! Login throttling (ASVS 2.2.1): failed attempts are counted per account and per IP address
//! over the last hour; past a limit, logins are refused until the oldest failure ages out.
//! A successful login clears the account's count. Refused attempts are not counted, so an
//! attacker cannot extend the wait forever.
use crate::db::entities::login_attempt;
use crate::error::AppResult;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub const WINDOW: Duration = Duration::hours(1);
/// Failed attempts per account per hour before logins to it are refused (ASVS: at most 100).
pub const ACCOUNT_LIMIT: usize = 10;
/// Failed attempts per IP address per hour, across accounts.
pub const IP_LIMIT: usize = 50;

/// Minutes to wait before the next attempt is allowed, or None when it may go ahead.
pub async fn wait_minutes<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<i64>> {
    let email = email.trim().to_lowercase();
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
    let by_account =
        failures(db, kind, login_attempt::Column::Email, &email, account_since, ACCOUNT_LIMIT).await?;
    let by_ip = failures(db, kind, login_attempt::Column::Ip, ip, since, IP_LIMIT).await?;
    let wait = [by_account, by_ip]
        .into_iter()
        .flatten()
        .map(|oldest| ((oldest + WINDOW - now).num_seconds() + 59) / 60)
        .max();
    Ok(wait.map(|m| m.max(1)))
}

/// When `limit` failures are in the window: the time of the oldest one that counts.
async fn failures<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    column: login_attempt::Column,
    value: &str,
    since: DateTime<Utc>,
    limit: usize,
) -> AppResult<Option<DateTime<Utc>>> {
    let recent: Vec<DateTime<Utc>> = login_attempt::Entity::find()
        .filter(login_attempt::Column::Kind.eq(kind))
        .filter(column.eq(value))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::At.gt(since))
        .order_by_desc(login_attempt::Column::At)
        .limit(limit as u64)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.at)
        .collect();
    Ok((recent.len() >= limit).then(|| recent[limit - 1]))
}

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
