//! Live updates: every change publishes an event after commit; each open profile listens on an
//! SSE stream and refetches what changed. Events carry ids, not data. With PostgreSQL the events
//! travel between app instances through LISTEN/NOTIFY.
#[cfg(feature = "ssr")]
pub mod bus;
pub mod client;
#[cfg(feature = "ssr")]
pub mod sse;

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
}

impl LiveEvent {
    pub fn presence(customer_id: i32, staff_id: i32, name: &str, open: bool) -> LiveEvent {
        LiveEvent {
            customer_id,
            area: "presence".into(),
            by: name.into(),
            version: None,
            presence: Some((staff_id, open)),
        }
    }

    pub fn new(customer_id: i32, area: &str, by: &str) -> LiveEvent {
        LiveEvent { customer_id, area: area.into(), by: by.into(), version: None, presence: None }
    }

    pub fn data(customer_id: i32, by: &str, version: i64) -> LiveEvent {
        LiveEvent { customer_id, area: "data".into(), by: by.into(), version: Some(version), presence: None }
    }
}
