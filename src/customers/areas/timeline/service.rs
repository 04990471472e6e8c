//! One timeline of the customer: Verlauf, Log, notes and mails merged in time order. Each
//! source is read through its own area's service; the caller passes the kinds it may see.
use super::model::TimelineItem;
use crate::error::AppResult;
use chrono::{DateTime, Utc};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).map(|d| d.to_utc()).unwrap_or_default()
}

pub async fn timeline(
    db: &crate::db::Db,
    customer_id: i32,
    kinds: &[&str],
    limit: u64,
) -> AppResult<Vec<TimelineItem>> {
    let mut items: Vec<(DateTime<Utc>, TimelineItem)> = Vec::new();
    let mut push = |time: &str, kind: &str, title: String, detail: String, actor: String| {
        items
            .push((at(time), TimelineItem { at: time.to_string(), kind: kind.into(), title, detail, actor }));
    };
    if kinds.contains(&"change") {
        for c in crate::customers::areas::history::service::list(db, customer_id, "", limit).await? {
            let actor = c.on_behalf_of.clone().unwrap_or(c.actor_name.clone());
            let (title, detail) = match &c.subject {
                Some(subject) => (
                    format!("{}.{}", c.entity, c.field),
                    format!("{subject}: {} → {}", c.old_value, c.new_value),
                ),
                None => (c.field, format!("{} → {}", c.old_value, c.new_value)),
            };
            push(&c.at, "change", title, detail, actor);
        }
    }
    if kinds.contains(&"event") {
        for e in crate::events::service::for_customer(db, customer_id, limit).await? {
            let actor = e.impersonator_name.clone().unwrap_or(e.actor_name.clone());
            push(&e.at, "event", e.kind, e.payload, actor);
        }
    }
    if kinds.contains(&"note") {
        for n in crate::customers::areas::notes::service::list(db, customer_id).await? {
            push(&n.updated_at, "note", n.input.title, n.input.body, n.updated_by);
        }
    }
    if kinds.contains(&"mail") {
        for m in crate::mail::outbox::for_customer(db, customer_id, limit, false).await? {
            push(&m.created_at, "mail", m.subject, m.status, m.to_addr);
        }
    }
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    Ok(items.into_iter().take(limit as usize).map(|(_, item)| item).collect())
}
