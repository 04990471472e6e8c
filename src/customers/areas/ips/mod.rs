//! IP-Adressen: the addresses the customer used (first and last seen, how often, from where),
//! and other customers seen on the same address, a hint at duplicates or fraud.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{t, use_locale};
use crate::live::client::Live;
use crate::ui::format;
use crate::ui::panel::{DataTable, ListView, Panel};
use api::customer_ips;
use leptos::prelude::*;

#[component]
pub fn IpsPanel(customer_id: i32) -> impl IntoView {
    let ips = Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| customer_ips(id));
    let locale = use_locale();
    view! {
        <Panel title_key="area.ips">
            <p class="muted">{t("ips.lead")}</p>
            <ListView resource=ips empty_key="ips.empty" rows=move |rows| view! {
                            <DataTable class="ip-table" heads=&["log.ip", "ips.source", "ips.first_seen", "ips.last_seen", "ips.count", "ips.others"]>
                                        {rows.into_iter().map(|r| view! {
                                            <tr data-ip=r.ip.clone()>
                                                <td class="customer-number">{r.ip.clone()}</td>
                                                <td>{t(&format!("ips.source.{}", r.source))}</td>
                                                <td>{format::date_time(&r.first_seen, locale)}</td>
                                                <td>{format::date_time(&r.last_seen, locale)}</td>
                                                <td>{format::count(r.count as u64, locale)}</td>
                                                <td>
                                                    {r.others.iter().map(|o| view! {
                                                        <a class="other-customer" href=format!("/customers/{}/ips", o.id)>{o.number.clone()} " " {o.name.clone()}</a>
                                                    }).collect_view()}
                                                </td>
                                            </tr>
                                        }).collect_view()}
                            </DataTable>
                        }.into_any() />
        </Panel>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "ips",
    label_key: "area.ips",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::IpsView,
    edit: Permission::IpsView,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["ips", "log"],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: crate::customers::areas::server::AreaServer::NONE,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    view! { <IpsPanel customer_id /> }.into_any()
}
