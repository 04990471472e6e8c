//! Log: the customer's own events (logins, failed logins, 2FA, password resets, profile
//! changes, staff actions on the account), newest first, with IP, device and who acted.
pub mod api;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement, TimelineKind};
use crate::auth::Permission;
use crate::events::model::EventRow;
use crate::i18n::{t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::format;
use crate::ui::panel::{DataTable, ListView, Panel};
use api::customer_events;
use leptos::prelude::*;

#[component]
pub fn LogPanel(customer_id: i32) -> impl IntoView {
    let events =
        Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| customer_events(id));
    view! {
        <Panel title_key="area.log">
            <ListView resource=events empty_key="log.empty" rows=move |rows| view! { <EventTable rows /> }.into_any() />
        </Panel>
    }
}

#[component]
fn EventTable(rows: Vec<EventRow>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <DataTable class="log-table" heads=&["log.at", "log.event", "log.by", "log.ip", "log.device"]>
                    {rows.into_iter().map(|e| {
                        let by = match (e.actor_kind.as_str(), &e.impersonator_name) {
                            (_, Some(staff)) => translate_with(locale, "log.by_impersonation", &[("staff", staff)]),
                            ("system", _) => t("log.by_system"),
                            _ => e.actor_name.clone(),
                        };
                        view! {
                            <tr data-event=e.kind.clone()>
                                <td>{format::date_time(&e.at, locale)}</td>
                                <td>{t(&format!("event.{}", e.kind))}{(!e.payload.is_empty()).then(|| view! { <span class="muted">" · " {e.payload.clone()}</span> })}</td>
                                <td>{by}</td>
                                <td>{e.ip.clone().unwrap_or_else(|| "–".into())}</td>
                                <td class="muted">{e.user_agent.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
        </DataTable>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "log",
    label_key: "area.log",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::LogView,
    edit: Permission::LogView,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["log", "data", "contacts", "emails", "sessions"],
    entities: &[],
    timeline: Some(TimelineKind {
        kind: "event",
        title: |item| t(&format!("event.{}", item.title)),
        detail: |item| item.detail.clone(),
    }),
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    view! { <LogPanel customer_id /> }.into_any()
}
