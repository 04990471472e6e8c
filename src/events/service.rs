//! Recording and reading customer events. Rows are only ever inserted here; a retention job
//! (later) is the only thing that removes them.
use super::model::EventRow;
use crate::db::entities::{customer, event, staff};
use crate::error::AppResult;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorRef {
    /// A portal login of the customer.
    Customer(i32),
    /// A portal login of one of the customer's contacts.
    Contact(i32),
    Staff(i32),
    System,
}

pub struct NewEvent<'a> {
    pub customer_id: i32,
    pub kind: &'a str,
    pub actor: ActorRef,
    pub impersonator_staff_id: Option<i32>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub payload: String,
}

pub async fn record<C: ConnectionTrait>(db: &C, e: NewEvent<'_>) -> AppResult<()> {
    debug_assert!(super::model::KINDS.contains(&e.kind), "event kind {} is not in KINDS", e.kind);
    let (actor_kind, actor_id) = match e.actor {
        ActorRef::Customer(id) => ("customer", Some(id)),
        ActorRef::Contact(id) => ("contact", Some(id)),
        ActorRef::Staff(id) => ("staff", Some(id)),
        ActorRef::System => ("system", None),
    };
    event::ActiveModel {
        customer_id: Set(Some(e.customer_id)),
        at: Set(Utc::now()),
        kind: Set(e.kind.to_string()),
        actor_kind: Set(actor_kind.into()),
        actor_id: Set(actor_id),
        impersonator_staff_id: Set(e.impersonator_staff_id),
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

/// The names a customer's log and history show for who acted.
pub struct ActorNames {
    pub staff: HashMap<i32, String>,
    pub customer: String,
    /// Contacts by their portal login id.
    pub contacts: HashMap<i32, String>,
}

impl ActorNames {
    pub fn name(&self, actor_kind: &str, actor_id: Option<i32>) -> String {
        match (actor_kind, actor_id) {
            ("staff", Some(id)) => self.staff.get(&id).cloned().unwrap_or_default(),
            // Logins of contacts are named as the contact (their login events are recorded
            // through the same portal code as the customer's).
            ("customer" | "contact", Some(id)) if self.contacts.contains_key(&id) => {
                self.contacts[&id].clone()
            }
            ("customer", _) => self.customer.clone(),
            _ => String::new(),
        }
    }
}

pub async fn actor_names<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<ActorNames> {
    let staff = staff::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let customer = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .map(|c| crate::portal::service::display_name(&c))
        .unwrap_or_default();
    let contacts = crate::customers::areas::contacts::service::names_by_login(db, customer_id).await?;
    Ok(ActorNames { staff, customer, contacts })
}

/// The newest events of a customer first, with the actors' names.
pub async fn for_customer<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    limit: u64,
) -> AppResult<Vec<EventRow>> {
    let rows = event::Entity::find()
        .filter(event::Column::CustomerId.eq(customer_id))
        .order_by_desc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let names = actor_names(db, customer_id).await?;
    Ok(rows
        .into_iter()
        .map(|e| EventRow {
            id: e.id,
            at: e.at.to_rfc3339(),
            actor_name: names.name(&e.actor_kind, e.actor_id),
            impersonator_name: e.impersonator_staff_id.and_then(|id| names.staff.get(&id).cloned()),
            kind: e.kind,
            actor_kind: e.actor_kind,
            ip: e.ip,
            user_agent: e.user_agent,
            payload: e.payload,
        })
        .collect())
}

const LOG_CLAIMS: &[crate::records::registry::TableClaim] = &[
    crate::records::registry::TableClaim::rows("events", "customer_id"),
    crate::records::registry::TableClaim::rows("customer_ips", "customer_id"),
];

/// The Log and the IP addresses in the customer-records registry.
pub struct LogRecords;
pub const RECORDS: LogRecords = LogRecords;

#[async_trait::async_trait]
impl crate::records::registry::CustomerRecords for LogRecords {
    fn area(&self) -> &'static str {
        "log"
    }
    fn claims(&self) -> &'static [crate::records::registry::TableClaim] {
        LOG_CLAIMS
    }

    /// Events move; an address both customers used becomes one row with both counts.
    async fn merge(&self, txn: &sea_orm::DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        use crate::db::entities::customer_ip;
        use sea_orm::IntoActiveModel;
        crate::records::registry::move_rows(txn, &self.claims()[0], duplicate, keep).await?;
        let kept =
            customer_ip::Entity::find().filter(customer_ip::Column::CustomerId.eq(keep)).all(txn).await?;
        for ip in
            customer_ip::Entity::find().filter(customer_ip::Column::CustomerId.eq(duplicate)).all(txn).await?
        {
            match kept.iter().find(|k| k.ip == ip.ip && k.source == ip.source) {
                Some(k) => {
                    let mut am = k.clone().into_active_model();
                    am.first_seen = Set(k.first_seen.min(ip.first_seen));
                    am.last_seen = Set(k.last_seen.max(ip.last_seen));
                    am.count = Set(k.count + ip.count);
                    am.update(txn).await?;
                }
                None => {
                    let mut moved = ip.clone().into_active_model();
                    moved.customer_id = Set(keep);
                    moved.insert(txn).await?;
                }
            }
            customer_ip::Entity::delete(ip.into_active_model()).exec(txn).await?;
        }
        Ok(())
    }
}
