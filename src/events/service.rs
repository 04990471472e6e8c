//! Recording and reading customer events. Rows are only ever inserted here; a retention job
//! (later) is the only thing that removes them.
use crate::db::entities::event;
use crate::error::AppResult;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait};

pub use super::actor::Actor;

pub struct NewEvent<'a> {
    pub customer_id: i32,
    pub kind: &'a str,
    pub actor: Actor,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub payload: String,
}

impl<'a> NewEvent<'a> {
    /// An event without a request behind it (no address, no device).
    pub fn new(customer_id: i32, kind: &'a str, actor: Actor, payload: impl Into<String>) -> Self {
        NewEvent { customer_id, kind, actor, ip: None, user_agent: None, payload: payload.into() }
    }
}

pub async fn record<C: ConnectionTrait>(db: &C, e: NewEvent<'_>) -> AppResult<()> {
    debug_assert!(super::model::KINDS.contains(&e.kind), "event kind {} is not in KINDS", e.kind);
    let (actor_kind, actor_id, impersonator) = e.actor.columns();
    event::ActiveModel {
        customer_id: Set(Some(e.customer_id)),
        at: Set(Utc::now()),
        kind: Set(e.kind.to_string()),
        actor_kind: Set(actor_kind.into()),
        actor_id: Set(actor_id),
        impersonator_staff_id: Set(impersonator),
        ip: Set(e.ip.map(String::from)),
        user_agent: Set(e.user_agent.map(|ua| ua.chars().take(300).collect())),
        payload: Set(e.payload),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Count a customer's use of an IP address (never while staff act as the customer).
pub async fn seen_ip<C: ConnectionTrait>(db: &C, customer_id: i32, ip: &str, source: &str) -> AppResult<()> {
    let now = Utc::now();
    db.execute_raw(crate::db::stmt(
        db,
        "INSERT INTO customer_ips (customer_id, ip, source, first_seen, last_seen, count) \
         VALUES ($1, $2, $3, $4, $4, 1) ON CONFLICT (customer_id, ip, source) \
         DO UPDATE SET last_seen = excluded.last_seen, count = customer_ips.count + 1",
        vec![customer_id.into(), ip.into(), source.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// The customer's "last login" facts (not master data: no version change).
pub async fn mark_login<C: ConnectionTrait>(db: &C, customer_id: i32, ip: Option<&str>) -> AppResult<()> {
    db.execute_raw(crate::db::stmt(
        db,
        "UPDATE customers SET last_login_at = $2, last_ip = COALESCE($3, last_ip) WHERE id = $1",
        vec![customer_id.into(), Utc::now().into(), ip.map(String::from).into()],
    ))
    .await?;
    Ok(())
}
