//! Reseller (only for customers with the reseller flag): the end customers they registered,
//! with their products and status; open one, or remove the link (the end customer is told by
//! mail).
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::panel::{DataTable, Panel};
use api::{reseller_end_customers, unlink_end_customer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResellerPanel(customer_id: i32, read_only: bool, is_reseller: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let unlink =
        Action::new(move |(end, version): &(i32, i64)| unlink_end_customer(customer_id, *end, *version));
    let rows = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live), unlink.version().get()),
        |(id, page, _, _)| reseller_end_customers(id, page),
    );
    let asking = RwSignal::new(None::<(i32, i64, String)>);
    view! {
        <Panel title_key="area.reseller">
            {(!is_reseller).then(|| view! { <p class="notice">{t("reseller.not_reseller")}</p> })}
            {move || unlink.value().get().map(|r| match r {
                Ok(()) => view! { <p class="action-result" role="status">{t("reseller.unlinked")}</p> }.into_any(),
                Err(e) => crate::customers::areas::data::actions::refusal(e),
            })}
            {move || asking.get().map(|(end, version, number)| view! {
                <div class="confirm" role="group" aria-label=t("reseller.unlink")>
                    <p>{translate_with(locale, "reseller.unlink.confirm", &[("number", &number)])}</p>
                    <button type="button" class="button primary" on:click=move |_| { asking.set(None); unlink.dispatch((end, version)); }>{t("reseller.unlink.do")}</button>
                    <button type="button" class="button quiet" on:click=move |_| asking.set(None)>{t("common.cancel")}</button>
                </div>
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("reseller.empty")}</p> }.into_any(),
                        Ok(p) => view! {
                            <p class="muted">{translate_with(locale, "reseller.count", &[("count", &format::count(p.total, locale))])}</p>
                            <DataTable class="end-customers" heads=&["field.number", "list.name", "field.status", "reseller.products", "~reseller.actions"]>
                                {p.rows.into_iter().map(|c| {
                                    let (end, version, number) = (c.id, c.version, c.number.clone());
                                    view! {
                                        <tr data-end-customer=c.number.clone()>
                                            <td class="customer-number"><a href=format!("/customers/{}/data", c.id)>{c.number.clone()}</a></td>
                                            <td>{c.name.clone()}</td>
                                            <td>{t(&format!("choice.status.{}", c.status))}</td>
                                            <td>
                                                {if c.products.is_empty() { t("reseller.no_products") } else {
                                                    c.products.iter().map(|(name, status)| format!("{name} ({})", t(&format!("products.status.{status}")))).collect::<Vec<_>>().join(", ")
                                                }}
                                            </td>
                                            <td>
                                                {(!read_only).then(|| view! {
                                                    <button type="button" class="link" on:click=move |_| asking.set(Some((end, version, number.clone())))>
                                                        {t("reseller.unlink")}<span class="visually-hidden">" " {c.number.clone()}</span>
                                                    </button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                            <crate::ui::pager::Pager page=p.page pages=p.pages link=move |n| format!("/customers/{customer_id}/reseller?page={n}") />
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </Panel>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "reseller",
    label_key: "area.reseller",
    placement: Placement::Sidebar,
    shown_for: Some(|c| c.form.is_reseller),
    view: Permission::ResellerView,
    edit: Permission::ResellerEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["reseller"],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: crate::customers::areas::server::AreaServer {
        figure: Some(crate::customers::areas::server::Figure {
            sql: "SELECT COUNT(*) FROM customers WHERE reseller_id = $1 AND erased_at IS NULL",
            kind: crate::customers::model::FigureKind::Count,
        }),
        ..crate::customers::areas::server::AreaServer::NONE
    },
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    let is_reseller = ctx.detail.form.is_reseller;
    view! { <ResellerPanel customer_id read_only is_reseller /> }.into_any()
}
