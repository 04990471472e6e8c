//! The customer's IP addresses with the other customers seen on each.
use super::model::{IpRow, OtherCustomer};
use crate::auth::portal_logins::display_name;
use crate::db::entities::{customer, customer_ip};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub async fn for_customer<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<IpRow>> {
    let own = customer_ip::Entity::find()
        .filter(customer_ip::Column::CustomerId.eq(customer_id))
        .order_by_desc(customer_ip::Column::LastSeen)
        .all(db)
        .await?;
    let addresses: Vec<String> = own.iter().map(|r| r.ip.clone()).collect();
    let shared = customer_ip::Entity::find()
        .filter(customer_ip::Column::Ip.is_in(addresses))
        .filter(customer_ip::Column::CustomerId.ne(customer_id))
        .all(db)
        .await?;
    let ids: Vec<i32> = shared.iter().map(|r| r.customer_id).collect();
    let customers: HashMap<i32, customer::Model> = customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut by_ip: HashMap<String, Vec<OtherCustomer>> = HashMap::new();
    for r in shared {
        let Some(c) = customers.get(&r.customer_id) else { continue };
        let list = by_ip.entry(r.ip).or_default();
        if !list.iter().any(|o| o.id == c.id) {
            list.push(OtherCustomer { id: c.id, number: c.number.clone(), name: display_name(c) });
        }
    }
    Ok(own
        .into_iter()
        .map(|r| IpRow {
            others: by_ip.get(&r.ip).cloned().unwrap_or_default(),
            ip: r.ip,
            source: r.source,
            first_seen: r.first_seen.to_rfc3339(),
            last_seen: r.last_seen.to_rfc3339(),
            count: r.count,
        })
        .collect())
}
