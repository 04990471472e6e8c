//! Zeitleiste: the Verlauf, the Log, notes and mails of the customer in one list, newest first,
//! filterable by kind.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::customers::areas::def::TimelineKind;
use crate::customers::areas::registry;
use crate::i18n::{t, use_locale};
use crate::live::client::Live;
use crate::ui::format;
use crate::ui::panel::{ListView, Panel};
use api::customer_timeline;
use leptos::prelude::*;
use model::TimelineItem;

/// How an entry reads, as the area of its kind says.
fn kind_of(item: &TimelineItem) -> Option<&'static TimelineKind> {
    registry::timeline_kinds().map(|(_, k)| k).find(|k| k.kind == item.kind)
}

fn title(item: &TimelineItem) -> String {
    kind_of(item).map(|k| (k.title)(item)).unwrap_or_else(|| item.title.clone())
}

fn detail(item: &TimelineItem) -> String {
    kind_of(item).map(|k| (k.detail)(item)).unwrap_or_else(|| item.detail.clone())
}

#[component]
pub fn TimelinePanel(customer_id: i32) -> impl IntoView {
    let locale = use_locale();
    let kind = RwSignal::new(String::new());
    let items = Resource::new(
        move || (customer_id, kind.get(), Live::tick_of(AREA.live)),
        |(id, k, _)| customer_timeline(id, k),
    );
    view! {
        <Panel title_key="area.timeline">
            <div class="field inline">
                <label for="timeline-kind">{t("timeline.kind")}</label>
                <select id="timeline-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{t("timeline.kind.all")}</option>
                    {registry::timeline_kinds().map(|(_, k)| view! { <option value=k.kind>{t(&format!("timeline.kind.{}", k.kind))}</option> }).collect_view()}
                </select>
            </div>
            <ListView resource=items empty_key="timeline.empty" rows=move |rows| view! {
                            <ol class="timeline">
                                {rows.into_iter().map(|i| view! {
                                    <li class=format!("timeline-item kind-{}", i.kind) data-kind=i.kind.clone()>
                                        <span class="muted">{format::date_time(&i.at, locale)}</span>
                                        <span class="badge">{t(&format!("timeline.kind.{}", i.kind))}</span>
                                        <strong>" " {title(&i)}</strong>
                                        {(!i.detail.is_empty()).then(|| view! { <span>" · " {detail(&i)}</span> })}
                                        {(!i.actor.is_empty()).then(|| view! { <span class="muted">" · " {i.actor.clone()}</span> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any() />
        </Panel>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "timeline",
    label_key: "area.timeline",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::CustomersView,
    edit: Permission::CustomersView,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["*"],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: crate::customers::areas::server::AreaServer::NONE,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    view! { <TimelinePanel customer_id /> }.into_any()
}
