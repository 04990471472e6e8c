//! The Log on the server: the customer's events (with the IP addresses and login attempts they
//! recorded) in the records registry and in the Zeitleiste.
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, TimelineSource};
use crate::customers::areas::timeline::model::TimelineItem;
use crate::db::Db;
use crate::error::AppResult;

pub const SERVER: AreaServer = AreaServer {
    // The staff audit log names customers too; it sits with the Log.
    records: &[&crate::customers::areas::log::service::RECORDS, &crate::audit::service::RECORDS],
    timeline: Some(&Events),
    demo: Some(&DemoLogins),
    ..AreaServer::NONE
};

/// Logins from two addresses each (neighbours share one, which the IP area points out), and now
/// and then a failed one.
struct DemoLogins;

#[async_trait::async_trait]
impl DemoSeed for DemoLogins {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        use crate::events::service::{Actor, NewEvent, record, seen_ip};
        const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
        for (i, &id) in demo.customers.iter().enumerate() {
            // Documentation ranges (RFC 5737, RFC 3849): never a real customer's address.
            let home = format!("203.0.113.{}", 1 + i / 2);
            let office = format!("2001:db8::{:x}", 0x100 + i);
            for (ip, kind) in [(&home, "login"), (&office, "login"), (&home, "login_failed")] {
                if kind == "login_failed" && i % 3 != 0 {
                    continue;
                }
                let event = NewEvent {
                    customer_id: id,
                    kind,
                    actor: Actor::Customer { login_id: id, by_staff: None },
                    ip: Some(ip),
                    user_agent: Some(BROWSER),
                    payload: String::new(),
                };
                record(db, event).await?;
                seen_ip(db, id, ip, "login").await?;
            }
        }
        Ok(())
    }
}

/// Events in the Zeitleiste: titled by their kind, the payload as detail.
struct Events;

#[async_trait::async_trait]
impl TimelineSource for Events {
    async fn items(&self, db: &Db, customer_id: i32, limit: u64) -> AppResult<Vec<TimelineItem>> {
        Ok(crate::customers::areas::log::service::for_customer(db, customer_id, limit)
            .await?
            .into_iter()
            .map(|e| TimelineItem {
                actor: e.impersonator_name.clone().unwrap_or(e.actor_name.clone()),
                at: e.at,
                kind: "event".into(),
                title: e.kind,
                detail: e.payload,
            })
            .collect())
    }
}
