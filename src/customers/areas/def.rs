//! What a profile area is: one `AreaDef` per area folder, listed once in `registry::AREAS`. The
//! sidebar, the panel switch, the actions, the Verlauf's labels and, on the server, the records
//! registry, undo, the timeline, the warnings row and the sidebar figures are all read from it.
use super::timeline::model::TimelineItem;
use crate::auth::{Permission, StaffIdentity};
use crate::customers::model::{CustomerDetail, CustomerProfile, FormMeta};
use crate::i18n::Locale;
use leptos::prelude::*;

/// What a panel is given: the customer, the form's choices, who is looking and whether they may
/// change anything here, and the callback that hands a saved profile to the header.
#[derive(Clone)]
pub struct PanelCtx {
    pub detail: CustomerDetail,
    pub meta: FormMeta,
    pub staff: StaffIdentity,
    pub read_only: bool,
    pub on_saved: Callback<CustomerProfile>,
}

impl PanelCtx {
    pub fn customer_id(&self) -> i32 {
        self.detail.id
    }
}

/// The profile as the header shows it, following saves and live changes: an action whose label
/// depends on the customer's state reads it here (its `view` gets only the first state).
#[derive(Clone, Copy)]
pub struct ShownProfile(pub RwSignal<CustomerProfile>);

/// A panel on its way: in the browser an area's panel code is its own chunk of the client
/// (`#[lazy]`), fetched when the area is first opened.
pub type PanelFuture = crate::ui::lazy::LazyView;

#[cfg(feature = "hydrate")]
pub use crate::ui::lazy::Preload;
pub use crate::ui::lazy::boxed;

/// An action listed under the sidebar while its area is open, shown only to staff whose role
/// allows it. `view` renders one `<li>`.
#[derive(Clone, Copy)]
pub struct AreaAction {
    pub id: &'static str,
    pub permission: Permission,
    pub view: fn(&CustomerDetail) -> AnyView,
}

/// How the Verlauf reads the changes of one entity kind (e.g. "contact") that an area owns.
#[derive(Clone, Copy)]
pub struct EntityLabels {
    /// The `changes.entity` value.
    pub entity: &'static str,
    /// What changed: the field, and whose (the record's name is `subject`).
    pub change: fn(Locale, &str, Option<&str>) -> String,
    /// A stored value as people read it, where the entity has its own reading (`None`: the
    /// Verlauf's general one).
    pub value: fn(Locale, &str, &str) -> Option<String>,
}

/// An area's kind of entry in the Zeitleiste (e.g. "note"), and how such an entry reads.
#[derive(Clone, Copy)]
pub struct TimelineKind {
    pub kind: &'static str,
    pub title: fn(&TimelineItem) -> String,
    pub detail: fn(&TimelineItem) -> String,
}

/// Where an area is reached from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// In the sidebar, in registry order.
    Sidebar,
    /// A page of an action: reachable from the action and by URL, not listed.
    Page,
}

/// One profile area.
#[derive(Clone, Copy)]
pub struct AreaDef {
    /// Its URL segment: `/customers/{id}/{slug}`; also the `area` of its live events.
    pub slug: &'static str,
    pub label_key: &'static str,
    pub placement: Placement,
    /// Listed only for customers this says yes to (Reseller: resellers only); None: for all.
    pub shown_for: Option<fn(&CustomerDetail) -> bool>,
    pub view: Permission,
    pub edit: Permission,
    pub actions: &'static [AreaAction],
    /// Its panel, loaded lazily (`panel: |ctx| boxed(panel(ctx))` over a `#[lazy] fn panel`).
    pub panel: fn(PanelCtx) -> PanelFuture,
    /// Its chunk's loader (`preload: || Box::pin(__preload_panel())`).
    #[cfg(feature = "hydrate")]
    pub preload: Preload,
    /// The areas whose live events make its panel refetch (its own among them; "*": any).
    pub live: &'static [&'static str],
    /// The entities whose changes this area records in the Verlauf.
    pub entities: &'static [EntityLabels],
    /// What it adds to the Zeitleiste.
    pub timeline: Option<TimelineKind>,
    /// The server's half: records, undo, timeline, warnings, sidebar figure.
    #[cfg(feature = "ssr")]
    pub server: super::server::AreaServer,
}

impl AreaDef {
    /// May this staff member see the area?
    pub fn visible_to(&self, staff: &StaffIdentity) -> bool {
        staff.can(self.view)
    }

    /// Does the sidebar list the area for this customer?
    pub fn shown_for(&self, customer: &CustomerDetail) -> bool {
        self.shown_for.is_none_or(|shown| shown(customer))
    }
}
