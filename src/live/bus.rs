//! The change bus. SQLite (one instance): a tokio broadcast channel. PostgreSQL: every event is
//! sent with pg_notify and every instance (this one included) receives it through LISTEN and
//! hands it to its local channel, so all instances see the same events once.
use super::LiveEvent;
use crate::db::{Db, is_sqlite, stmt};
use sea_orm::ConnectionTrait;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

const CHANNEL: &str = "clientdesk_live";
/// Bytes of one notification's payload (PostgreSQL refuses 8,000 and more).
const PAYLOAD_LIMIT: usize = 7_000;

/// Who has which profile open, over all instances: staff id → (name, open streams).
type Viewers = std::collections::HashMap<i32, std::collections::HashMap<i32, (String, u32)>>;

pub struct Bus {
    tx: broadcast::Sender<Arc<LiveEvent>>,
    viewers: Arc<std::sync::Mutex<Viewers>>,
    db: Db,
    /// Becomes true at shutdown: open streams end, so the server can stop.
    closing: watch::Sender<bool>,
}

impl Bus {
    /// Must be called inside the tokio runtime (PostgreSQL starts its listener task here).
    pub fn new(db: Db) -> Arc<Bus> {
        // Room for a few billing batches at once (about 600 events per 200 customers): a
        // receiver that falls further behind makes its stream resync every panel.
        let (tx, _) = broadcast::channel(16_384);
        let (closing, _) = watch::channel(false);
        let viewers = Arc::new(std::sync::Mutex::new(Viewers::new()));
        let bus = Arc::new(Bus { tx, viewers: viewers.clone(), db, closing });
        if !is_sqlite(&bus.db) {
            tokio::spawn(listen(bus.db.clone(), bus.tx.clone(), viewers));
        }
        bus
    }

    /// Publish after the change committed. Never fails the change: a lost event only means a
    /// panel refreshes on its next reconnect.
    pub async fn publish(&self, event: LiveEvent) {
        self.publish_all(vec![event]).await;
    }

    /// Publish many events (a billing run's batch): on PostgreSQL as few notifications as fit
    /// them, each a JSON array under the 8,000-byte payload limit.
    pub async fn publish_all(&self, events: Vec<LiveEvent>) {
        if is_sqlite(&self.db) {
            for event in events {
                deliver(&self.tx, &self.viewers, event);
            }
            return;
        }
        let mut payloads: Vec<String> = Vec::new();
        let mut current = String::new();
        for event in &events {
            let Ok(json) = serde_json::to_string(event) else { continue };
            if !current.is_empty() && current.len() + json.len() + 2 > PAYLOAD_LIMIT {
                payloads.push(std::mem::take(&mut current) + "]");
            }
            current.push(if current.is_empty() { '[' } else { ',' });
            current.push_str(&json);
        }
        if !current.is_empty() {
            payloads.push(current + "]");
        }
        for payload in payloads {
            let sent = self
                .db
                .execute_raw(stmt(
                    &self.db,
                    &format!("SELECT pg_notify('{CHANNEL}', $1)"),
                    vec![payload.into()],
                ))
                .await;
            if let Err(error) = sent {
                tracing::warn!(%error, "live event not sent");
            }
        }
    }

    /// The staff members who have a customer's profile open (on any instance), by name.
    pub fn viewers(&self, customer_id: i32) -> Vec<(i32, String)> {
        let Ok(map) = self.viewers.lock() else { return Vec::new() };
        let mut names: Vec<(i32, String)> = map
            .get(&customer_id)
            .map(|m| m.iter().map(|(id, (name, _))| (*id, name.clone())).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.tx.subscribe()
    }

    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close(&self) {
        let _ = self.closing.send(true);
    }
}

/// Hand an event (from this instance or another) to the local streams. A presence event moves
/// the viewer map first, so whoever hears of it and asks who is there finds the map up to date,
/// and no stream falling behind can make the map miss one.
fn deliver(tx: &broadcast::Sender<Arc<LiveEvent>>, viewers: &std::sync::Mutex<Viewers>, event: LiveEvent) {
    if let Some((staff, open)) = event.presence
        && let Ok(mut map) = viewers.lock()
    {
        let entry = map.entry(event.customer_id).or_default();
        let (_, count) = entry.entry(staff).or_insert_with(|| (event.by.clone(), 0));
        if open {
            *count += 1;
        } else {
            *count = count.saturating_sub(1);
        }
        entry.retain(|_, (_, n)| *n > 0);
    }
    let _ = tx.send(Arc::new(event));
}

/// PostgreSQL: receive every instance's events; reconnect after a lost connection (open
/// streams are told to refetch everything, since events may have been missed).
async fn listen(db: Db, tx: broadcast::Sender<Arc<LiveEvent>>, viewers: Arc<std::sync::Mutex<Viewers>>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let pool = db.get_postgres_connection_pool().clone();
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if listener.listen(CHANNEL).await.is_ok() {
                    let _ = tx.send(Arc::new(LiveEvent::new(0, "resync", "")));
                    while let Ok(note) = listener.recv().await {
                        let events =
                            serde_json::from_str::<Vec<LiveEvent>>(note.payload()).unwrap_or_default();
                        for event in events {
                            deliver(&tx, &viewers, event);
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "live listener cannot connect"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
