//! GET /api/live/{customer}: the SSE stream of one customer's events for an open profile.
//! A lagging client (it missed events) and a reconnected bus get "resync": refetch everything.
//! The stream ends when its session ends or loses the permission (checked every few seconds,
//! without counting as activity); a session holds at most a few streams.
use crate::auth::{Permission, StaffIdentity};
use crate::live::LiveEvent;
use crate::web::cookies::cookie_value;
use crate::web::state::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::time::Duration;
use tokio_stream::wrappers::{BroadcastStream, WatchStream, errors::BroadcastStreamRecvError};

fn event_for(e: &LiveEvent) -> Event {
    Event::default().event("change").json_data(e).unwrap_or_default()
}

/// How often an open stream looks whether its session still may see it.
pub const RECHECK: Duration = Duration::from_secs(5);

pub async fn customer_stream(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Path(customer_id): Path<i32>,
    headers: HeaderMap,
) -> Response {
    if !staff.can(Permission::CustomersView) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let cookie = crate::auth::service::session_cookie(state.config.secure_cookies);
    let Some(session) = cookie_value(&headers, cookie).map(|t| crate::auth::service::token_hash(&t)) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(slot) = state.streams.take(&session) else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let (db, idle) = (state.db.clone(), state.config.session_idle);
    let revoked = async move {
        loop {
            tokio::time::sleep(RECHECK).await;
            match crate::auth::service::check_session_hash(&db, &session, idle).await {
                Ok(Some(s)) if s.can(Permission::CustomersView) => {}
                // A database hiccup is no reason to end the stream; the next round decides.
                Err(_) => {}
                _ => return,
            }
        }
    };
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
        let _keep = (&guard, &slot);
        e
    });
    // The first event tells the client the stream is live.
    let ready = futures::stream::once(async { Event::default().event("ready").data("ok") });
    let closing = WatchStream::new(state.live.closing()).filter(|c| std::future::ready(*c));
    let end = futures::future::select(Box::pin(closing.into_future()), Box::pin(revoked));
    let stream = ready.chain(events).take_until(end).map(Ok::<_, std::convert::Infallible>);
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
