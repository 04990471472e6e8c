//! One timeline of the customer: the entries of every area that has a timeline kind (Verlauf,
//! Log, notes, mails, …) merged in time order. Each area reads its own; the caller passes the
//! kinds it may see.
use super::model::TimelineItem;
use crate::customers::areas::AREAS;
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
    let sources = AREAS.iter().filter_map(|a| Some((a.timeline?.kind, a.server.timeline?)));
    for (_, source) in sources.filter(|(kind, _)| kinds.contains(kind)) {
        items.extend(source.items(db, customer_id, limit).await?.into_iter().map(|i| (at(&i.at), i)));
    }
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    Ok(items.into_iter().take(limit as usize).map(|(_, item)| item).collect())
}
