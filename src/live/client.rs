//! The browser side of live updates: one EventSource per open profile. Each change bumps `tick`
//! (panels refetch on it) and is kept in `last` (an open form compares versions with it). After
//! a reconnect or a lagged stream, `tick` bumps too: everything shown is fetched again.
use super::LiveEvent;
use leptos::prelude::*;

/// The live state of the open profile, provided as context to its panels.
#[derive(Clone, Copy)]
pub struct Live {
    pub tick: RwSignal<u64>,
    pub last: RwSignal<Option<LiveEvent>>,
    /// Bumps when someone opens or closes the profile: only the viewers line refetches.
    pub presence: RwSignal<u64>,
    /// The stream is open (shown as `data-live` on the profile, which tests wait for).
    pub connected: RwSignal<bool>,
}

impl Live {
    /// The newest progress (done, total) of a long run named `run` on this customer.
    pub fn progress(run: &'static str) -> Signal<Option<(u32, u32)>> {
        let live = use_context::<Live>();
        Signal::derive(move || {
            live.and_then(|l| l.last.get()).filter(|e| e.area == run).and_then(|e| e.progress)
        })
    }

    /// The tick to make a resource refetch on changes (0 where no profile is open).
    pub fn tick() -> u64 {
        use_context::<Live>().map(|l| l.tick.get()).unwrap_or(0)
    }
}

/// Listen to a customer's changes while the calling component lives.
pub fn use_customer_live(customer_id: i32) -> Live {
    let live = Live {
        tick: RwSignal::new(0),
        last: RwSignal::new(None),
        presence: RwSignal::new(0),
        connected: RwSignal::new(false),
    };
    #[cfg(feature = "hydrate")]
    connect(customer_id, live);
    #[cfg(not(feature = "hydrate"))]
    let _ = customer_id;
    live
}

#[cfg(feature = "hydrate")]
fn connect(customer_id: i32, live: Live) {
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Ok(source) = web_sys::EventSource::new(&format!("/api/live/{customer_id}")) else { return };
    let on_change = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(e) = ev.data().as_string().and_then(|d| serde_json::from_str::<LiveEvent>(&d).ok()) {
            // Progress of a long run is shown, not refetched; presence changes only the viewers.
            let (progress, presence) = (e.progress.is_some(), e.presence.is_some());
            live.last.set(Some(e));
            if presence {
                live.presence.update(|t| *t += 1);
            } else if !progress {
                live.tick.update(|t| *t += 1);
            }
        }
    });
    let ready_seen = std::cell::Cell::new(false);
    let on_ready = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        // The first "ready" opens the stream; any later one follows a gap: refetch all.
        live.connected.set(true);
        if ready_seen.replace(true) {
            live.tick.update(|t| *t += 1);
        }
    });
    let on_resync = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| live.tick.update(|t| *t += 1));
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("resync", on_resync.as_ref().unchecked_ref());
    let held = SendWrapper::new((source, on_change, on_ready, on_resync));
    on_cleanup(move || held.0.close());
}
