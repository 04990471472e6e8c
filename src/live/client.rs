//! The browser side of live updates: one EventSource per open profile. Each change counts for
//! its area (a panel refetches on the areas it listens to), bumps `tick` (the header, warnings
//! and figures refetch on any change) and is kept in `last` (an open form compares versions with
//! it). After a reconnect or a lagged stream, `resync` bumps: everything shown is fetched again.
use super::LiveEvent;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The area of an event after which everything refetches (a merge or an erasure).
pub const EVERYTHING: &str = "*";

/// The live state of the open profile, provided as context to its panels.
#[derive(Clone, Copy)]
pub struct Live {
    /// Any change, or a resync.
    pub tick: RwSignal<u64>,
    /// Changes per area.
    pub areas: RwSignal<BTreeMap<String, u64>>,
    /// After a gap in the stream: everything refetches.
    pub resync: RwSignal<u64>,
    pub last: RwSignal<Option<LiveEvent>>,
    /// The newest save of the master data (an event with a version), kept apart from `last`,
    /// which any later event replaces.
    pub last_save: RwSignal<Option<LiveEvent>>,
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

    /// What a panel's resource keys on to refetch after changes of `areas` (and after a gap in
    /// the stream); 0 where no profile is open. Changes of other areas leave it as it is.
    pub fn tick_of(areas: &'static [&'static str]) -> u64 {
        let Some(live) = use_context::<Live>() else { return 0 };
        if areas.contains(&EVERYTHING) {
            return live.tick.get();
        }
        live.resync.get() + live.areas.with(|m| areas.iter().filter_map(|a| m.get(*a)).sum::<u64>())
    }

    /// A change counted for `area`, and for the header.
    fn count(&self, area: &str) {
        if area == EVERYTHING {
            self.resync.update(|t| *t += 1);
        } else {
            self.areas.update(|m| *m.entry(area.to_string()).or_default() += 1);
        }
        self.tick.update(|t| *t += 1);
    }

    /// A panel saved something of `area` itself: while the stream is open, the save's own event
    /// makes the panel and the header refetch (once); without it, refetch now.
    pub fn saved_here(&self, area: &str) {
        if !self.connected.get_untracked() {
            self.count(area);
        }
    }

    /// Whether the events of this profile arrive: then a panel's own save refetches by its event
    /// (once) and must not refetch itself as well.
    pub fn streaming(live: Option<Live>) -> bool {
        live.is_some_and(|l| l.connected.get_untracked())
    }

    /// Everything shown is fetched again.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn resync_all(&self) {
        self.resync.update(|t| *t += 1);
        self.tick.update(|t| *t += 1);
    }
}

/// Listen to a customer's changes while the calling component lives.
pub fn use_customer_live(customer_id: i32) -> Live {
    let live = Live {
        tick: RwSignal::new(0),
        areas: RwSignal::new(BTreeMap::new()),
        resync: RwSignal::new(0),
        last: RwSignal::new(None),
        last_save: RwSignal::new(None),
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
            let area = e.area.clone();
            if e.version.is_some() {
                live.last_save.set(Some(e.clone()));
            }
            live.last.set(Some(e));
            if presence {
                live.presence.update(|t| *t += 1);
            } else if !progress {
                live.count(&area);
            }
        }
    });
    let ready_seen = std::cell::Cell::new(false);
    let on_ready = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        // The first "ready" opens the stream; any later one follows a gap: refetch all.
        live.connected.set(true);
        if ready_seen.replace(true) {
            live.resync_all();
        }
    });
    let on_resync = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| live.resync_all());
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("resync", on_resync.as_ref().unchecked_ref());
    let held = SendWrapper::new((source, on_change, on_ready, on_resync));
    on_cleanup(move || held.0.close());
}
