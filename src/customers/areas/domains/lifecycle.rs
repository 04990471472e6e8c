//! The domains' part of the daily job: an auto-renewing domain with a registrar module gets its
//! renewal queued `RENEW_AHEAD_DAYS` days before the registry's expiry (once: one open job per
//! domain); a domain without auto-renew whose paid-until day has passed becomes expired, and
//! after the ending's grace days goes into redemption. Nothing is deleted on its own: staff act
//! on the warnings row.
use super::model::DomainJobAction;
use crate::db::entities::domain;
use crate::db::stmt;
use crate::error::AppResult;
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait};

/// How many days ahead of the registry's expiry a renewal is queued.
pub const RENEW_AHEAD_DAYS: u64 = 14;

/// What one day's run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lifecycle {
    pub renewals_queued: u64,
    pub expired: u64,
    pub redemption: u64,
}

async fn ids(txn: &DatabaseTransaction, sql: &str, values: Vec<sea_orm::Value>) -> AppResult<Vec<i32>> {
    let rows = txn.query_all_raw(stmt(txn, sql, values)).await?;
    Ok(rows.iter().map(|r| r.try_get::<i32>("", "id")).collect::<Result<_, _>>()?)
}

/// Set the status of the domains `ids` (from `from`), with their event in the Log.
async fn move_to(txn: &DatabaseTransaction, ids: &[i32], from: &str, to: &str, kind: &str) -> AppResult<u64> {
    let mut moved = 0;
    for id in ids {
        let sql = "UPDATE domains SET status = $2, version = version + 1 WHERE id = $1 AND status = $3";
        if txn.execute_raw(stmt(txn, sql, vec![(*id).into(), to.into(), from.into()])).await?.rows_affected()
            == 1
        {
            if let Some(d) = domain::Entity::find_by_id(*id).one(txn).await? {
                let payload = serde_json::json!({ "name": d.unicode_name, "expires_on": d.expires_on });
                record(txn, NewEvent::new(d.customer_id, kind, Actor::System, payload.to_string())).await?;
            }
            moved += 1;
        }
    }
    Ok(moved)
}

pub async fn run(txn: &DatabaseTransaction, today: NaiveDate) -> AppResult<Lifecycle> {
    let ahead = today + chrono::Days::new(RENEW_AHEAD_DAYS + 1);
    let until = ahead.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let due = ids(
        txn,
        "SELECT d.id FROM domains d JOIN registrars r ON r.id = d.registrar_id \
         WHERE d.status = 'active' AND d.auto_renew = TRUE AND d.registry_expires_at < $1 \
           AND r.active = TRUE AND r.module <> 'manual' \
           AND NOT EXISTS (SELECT 1 FROM domain_jobs j WHERE j.domain_id = d.id AND j.status IN ('queued', 'running')) \
         ORDER BY d.id",
        vec![until.into()],
    )
    .await?;
    let mut renewals_queued = 0;
    for id in due {
        if let Some(d) = domain::Entity::find_by_id(id).one(txn).await? {
            super::jobs::enqueue(txn, &d, DomainJobAction::Renew, 1, Actor::System).await?;
            renewals_queued += 1;
        }
    }
    let lapsed = ids(
        txn,
        "SELECT id FROM domains WHERE status = 'active' AND auto_renew = FALSE AND expires_on < $1 ORDER BY id",
        vec![today.into()],
    )
    .await?;
    let expired = move_to(txn, &lapsed, "active", "expired", "domain_expired").await?;
    // The grace days of the ending count from the paid-until day.
    let candidates = ids(txn, "SELECT id FROM domains WHERE status = 'expired' ORDER BY id", vec![]).await?;
    let mut past_grace = Vec::new();
    for id in candidates {
        let Some(d) = domain::Entity::find_by_id(id).one(txn).await? else { continue };
        let grace =
            crate::db::entities::tld::Entity::find_by_id(d.tld_id).one(txn).await?.map(|t| t.grace_days);
        if let (Some(paid), Some(grace)) = (d.expires_on, grace)
            && paid + chrono::Days::new(u64::try_from(grace).unwrap_or(0)) < today
        {
            past_grace.push(id);
        }
    }
    let redemption = move_to(txn, &past_grace, "expired", "redemption", "domain_redemption").await?;
    Ok(Lifecycle { renewals_queued, expired, redemption })
}
