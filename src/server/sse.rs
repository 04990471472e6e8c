//! GET /api/live/{customer}: the SSE stream of one customer's events for an open profile.
//! A lagging client (it missed events) and a reconnected bus get "resync": refetch everything.
use crate::auth::{Permission, StaffIdentity};
use crate::live::LiveEvent;
use crate::web::state::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::time::Duration;
use tokio_stream::wrappers::{BroadcastStream, WatchStream, errors::BroadcastStreamRecvError};

fn event_for(e: &LiveEvent) -> Event {
    Event::default().event("change").json_data(e).unwrap_or_default()
}

pub async fn customer_stream(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path(customer_id): Path<i32>,
) -> Response {
    if !staff.can(Permission::CustomersView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let events = BroadcastStream::new(state.live.subscribe()).filter_map(move |msg| async move {
        match msg {
            Ok(e) if e.area == "resync" => Some(Event::default().event("resync").data("bus")),
            Ok(e) if e.customer_id == customer_id => Some(event_for(&e)),
            Ok(_) => None,
            Err(BroadcastStreamRecvError::Lagged(_)) => Some(Event::default().event("resync").data("lagged")),
        }
    });
    // Others see who has the profile open; the guard says goodbye when the stream ends.
    state.live.publish(LiveEvent::presence(customer_id, staff.id, &staff.name, true)).await;
    let guard = Leave { bus: state.live.clone(), customer_id, staff_id: staff.id, name: staff.name.clone() };
    let events = events.map(move |e| {
        let _keep = &guard;
        e
    });
    // The first event tells the client the stream is live.
    let ready = futures::stream::once(async { Event::default().event("ready").data("ok") });
    let closing = WatchStream::new(state.live.closing()).filter(|c| std::future::ready(*c));
    let stream = ready.chain(events).take_until(closing.into_future()).map(Ok::<_, std::convert::Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

/// Publishes "closed" for a viewer when their stream is dropped (tab closed, navigation).
struct Leave {
    bus: std::sync::Arc<crate::live::bus::Bus>,
    customer_id: i32,
    staff_id: i32,
    name: String,
}

impl Drop for Leave {
    fn drop(&mut self) {
        let (bus, event) =
            (self.bus.clone(), LiveEvent::presence(self.customer_id, self.staff_id, &self.name, false));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { bus.publish(event).await });
        }
    }
}
