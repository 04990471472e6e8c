//! The Log's reads: a customer's events with the names of who acted, and the Log's rows (events
//! and IP addresses) in the records registry; one event appended as its own change.
use crate::db::entities::{customer, event, staff};
use crate::error::AppResult;
use crate::events::model::EventRow;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Append one event to the customer's Log (a failed login, a download) as its own change; open
/// Log panels refetch after commit.
pub async fn append(ctx: &Ctx, event: NewEvent<'_>) -> AppResult<()> {
    let mut change = ctx.begin_append(event.customer_id).await?;
    record(&change.txn, event).await?;
    change.touched(super::AREA.slug);
    change.commit().await
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
        .map(|c| crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company))
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
