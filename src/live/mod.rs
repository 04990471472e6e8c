//! Live updates: every change publishes an event after commit; each open profile listens on an
//! SSE stream and refetches what changed. Events carry ids, not data. With PostgreSQL the events
//! travel between app instances through LISTEN/NOTIFY.
#[cfg(feature = "ssr")]
pub mod bus;
pub mod client;

use serde::{Deserialize, Serialize};

/// Something about a customer changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub customer_id: i32,
    /// The area whose panel shows it: data, log, emails, sessions, ips, history.
    pub area: String,
    /// Who changed it (a name), for "… saved meanwhile".
    pub by: String,
    /// The customer's version after a master-data change.
    pub version: Option<i64>,
    /// A staff member opened (true) or closed (false) the profile.
    #[serde(default)]
    pub presence: Option<(i32, bool)>,
    /// A long run (area "merge" or "erase") reached step `.0` of `.1`; panels do not refetch.
    #[serde(default)]
    pub progress: Option<(u32, u32)>,
}

impl LiveEvent {
    pub fn presence(customer_id: i32, staff_id: i32, name: &str, open: bool) -> LiveEvent {
        LiveEvent {
            customer_id,
            area: "presence".into(),
            by: name.into(),
            version: None,
            presence: Some((staff_id, open)),
            progress: None,
        }
    }

    pub fn new(customer_id: i32, area: &str, by: &str) -> LiveEvent {
        LiveEvent {
            customer_id,
            area: area.into(),
            by: by.into(),
            version: None,
            presence: None,
            progress: None,
        }
    }

    /// Step `done` of `total` of a long run on the customer.
    pub fn progress(customer_id: i32, run: &str, by: &str, done: u32, total: u32) -> LiveEvent {
        LiveEvent { progress: Some((done, total)), ..LiveEvent::new(customer_id, run, by) }
    }

    pub fn data(customer_id: i32, by: &str, version: i64) -> LiveEvent {
        LiveEvent { version: Some(version), ..LiveEvent::new(customer_id, "data", by) }
    }
}
