//! Sitzungen & Geräte: the customer's live self-service sessions (created, last activity, IP,
//! device, valid until, staff acting as the customer); end one or all, which forces a new login.
pub mod api;
#[cfg(feature = "ssr")]
pub mod logins;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::format;
use crate::ui::panel::{DataTable, ListView, Panel};
use api::{customer_sessions, end_customer_sessions};
use leptos::prelude::*;

#[component]
pub fn SessionsPanel(customer_id: i32, read_only: bool) -> impl IntoView {
    let locale = use_locale();
    let sessions =
        Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| customer_sessions(id));
    let end = Action::new(move |which: &Option<String>| end_customer_sessions(customer_id, which.clone()));
    let live = use_context::<Live>();
    let notice = RwSignal::new(None::<String>);
    Effect::new(move |_| match end.value().get() {
        Some(Ok(n)) => {
            notice.set(Some(translate_with(locale, "staff.sessions_ended", &[("count", &n.to_string())])));
            if !Live::streaming(live) {
                sessions.refetch();
            }
        }
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    view! {
        <Panel title_key="area.sessions">
            <span class="editor-notice" role="status">{move || notice.get()}</span>
            <ListView resource=sessions empty_key="sessions.empty" rows=move |rows| view! {
                            {(!read_only).then(|| view! {
                                <button type="button" class="button" on:click=move |_| { end.dispatch(None); }>{t("sessions.end_all")}</button>
                            })}
                            <DataTable class="session-table" heads=&["sessions.login", "sessions.created", "sessions.last_seen", "sessions.valid_until", "log.ip", "log.device", "~settings.fields.actions"]>
                                        {rows.into_iter().map(|s| {
                                            let id = s.id.clone();
                                            view! {
                                                <tr class="session-row">
                                                    <td>
                                                        {s.login_email.clone()}
                                                        {s.impersonated_by.clone().map(|name| view! {
                                                            <div class="muted">{translate_with(locale, "log.by_impersonation", &[("staff", &name)])}</div>
                                                        })}
                                                    </td>
                                                    <td>{format::date_time(&s.created_at, locale)}</td>
                                                    <td>{format::date_time(&s.last_seen_at, locale)}</td>
                                                    <td>{format::date_time(&s.expires_at, locale)}</td>
                                                    <td>{s.ip.clone().unwrap_or_else(|| "–".into())}</td>
                                                    <td class="muted">{s.user_agent.clone().unwrap_or_default()}</td>
                                                    <td>
                                                        {(!read_only).then(|| view! {
                                                            <button type="button" class="link" on:click=move |_| { end.dispatch(Some(id.clone())); }>{t("sessions.end")}</button>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                            </DataTable>
                        }.into_any() />
        </Panel>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "sessions",
    label_key: "area.sessions",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::SessionsView,
    edit: Permission::SessionsEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["sessions", "log"],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: service::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    view! { <SessionsPanel customer_id read_only /> }.into_any()
}
