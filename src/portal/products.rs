//! /portal/products: the customer's licences with their keys (in pages) and the offers of other
//! customers' licences waiting for an answer: accept (the licence becomes theirs) or decline.
use crate::codec::Json;
use crate::customers::areas::products::hosting_model::PortalHostingPage;
use crate::customers::areas::products::model::PortalProductPage;
use crate::error::AppError;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "portal_products", input = Json, output = Json)]
pub async fn portal_products(page: u32) -> Result<PortalProductPage, AppError> {
    let me = super::require_right(crate::customers::areas::contacts::model::PortalRight::Products)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::products::service::for_portal(db, me.customer_id, page).await
}

/// One page of the customer's hostings with their status.
#[server(endpoint = "portal_hostings", input = Json, output = Json)]
pub async fn portal_hostings(page: u32) -> Result<PortalHostingPage, AppError> {
    let me = super::require_right(crate::customers::areas::contacts::model::PortalRight::Products)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::products::hosting::for_portal(db, me.customer_id, page).await
}

/// Accept or decline an offer made to this customer.
#[server(endpoint = "portal_answer_transfer", input = Json, output = Json)]
pub async fn portal_answer_transfer(transfer: i32, accept: bool) -> Result<(), AppError> {
    let me = super::require_right(crate::customers::areas::contacts::model::PortalRight::Products)?;
    let state = crate::web::state::app_state()?;
    let ctx = state.ctx(&me.name);
    let answer = crate::customers::areas::products::transfers::answer;
    answer(&ctx, me.actor(), me.login_id, me.customer_id, transfer, accept).await
}

#[component]
pub fn PortalProductsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let answer = Action::new(move |(id, accept): &(i32, bool)| portal_answer_transfer(*id, *accept));
    let data = Resource::new(move || (page.get(), answer.version().get()), |(page, _)| portal_products(page));
    view! {
        <Title text=t("portal.products") />
        <h1 class="page-title">{t("portal.products")}</h1>
        {move || answer.value().get().map(|r| match r {
            Ok(()) => view! { <p class="notice" role="status">{t("portal.transfer_answered")}</p> }.into_any(),
            Err(e) => crate::customers::areas::data::actions::refusal(e),
        })}
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! {
                        {(!p.offers.is_empty()).then(|| view! {
                            <section class="panel offers" aria-labelledby="offers-title">
                                <h2 id="offers-title">{t("portal.offers")}</h2>
                                <ul>
                                    {p.offers.into_iter().map(|o| {
                                        let id = o.id;
                                        view! {
                                            <li data-offer=o.id>
                                                {translate_with(locale, "portal.offer_line", &[("product", &o.product), ("from", &o.other_number), ("until", &format::date(&o.expires_at, locale))])}
                                                " "
                                                <button type="button" class="button primary" on:click=move |_| { answer.dispatch((id, true)); }>{t("portal.accept")}</button>
                                                " "
                                                <button type="button" class="button quiet" on:click=move |_| { answer.dispatch((id, false)); }>{t("portal.decline")}</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        {if p.licences.is_empty() {
                            view! { <p class="empty">{t("portal.no_licences")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table portal-licences">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t("products.product")}</th>
                                                <th scope="col">{t("products.key")}</th>
                                                <th scope="col">{t("products.current_version")}</th>
                                                <th scope="col">{t("products.status")}</th>
                                                <th scope="col">{t("products.updates_until")}</th>
                                                <th scope="col">{t("portal.download")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.licences.into_iter().map(|l| view! {
                                                <tr data-licence=l.key.clone()>
                                                    <td>{l.product}</td>
                                                    <td class="licence-key">{l.key.clone()}</td>
                                                    <td>{l.current_version}</td>
                                                    <td>{t(&format!("products.status.{}", l.status.as_str()))}</td>
                                                    <td>
                                                        {if l.updates_until.is_empty() { t("products.no_update_service") } else { format::date(&l.updates_until, locale) }}
                                                        {l.updates_expired.then(|| view! { " " <span class="badge warning">{t("products.updates_expired")}</span> })}
                                                    </td>
                                                    <td>
                                                        {l.download.map(|d| {
                                                            let label = translate_with(locale, "portal.download_version", &[("version", &d.version)]);
                                                            view! { <a href=format!("/portal/downloads/{}", d.release_id) download=d.file_name rel="external">{label}</a> }
                                                        })}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <crate::ui::pager::Pager page=p.page pages=p.pages link=|n| format!("/portal/products?page={n}") />
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <PortalHostings />
    }
}

/// The customer's hostings: package, domain, status with why and since when.
#[component]
fn PortalHostings() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| q.get("hosting_page").and_then(|p| p.parse().ok()).unwrap_or(1u32))
    });
    let data = Resource::new(move || page.get(), portal_hostings);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let p = match data.await {
                    Ok(p) => p,
                    Err(e) => return error_view(e),
                };
                if p.rows.is_empty() {
                    return ().into_any();
                }
                view! {
                    <section class="panel" aria-labelledby="hostings-title">
                        <h2 id="hostings-title">{t("hosting.title")}</h2>
                        <div class="table-wrap">
                            <table class="data-table portal-hostings">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("hosting.package")}</th>
                                        <th scope="col">{t("hosting.domain")}</th>
                                        <th scope="col">{t("hosting.status")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows.into_iter().map(|h| {
                                        let name = h.name.clone();
                                        view! {
                                        <tr data-hosting=name>
                                            <td>{h.package}</td>
                                            <td>{h.name}</td>
                                            <td>
                                                {t(&format!("hosting.status.{}", h.status.as_str()))}
                                                {h.since.map(|s| view! { " " {translate_with(locale, "hosting.since", &[("at", &format::date_time(&s, locale))])} })}
                                                {(!h.reason.is_empty()).then(|| view! { <br /><span class="suspend-reason">{h.reason}</span> })}
                                            </td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=p.page pages=p.pages link=|n| format!("/portal/products?hosting_page={n}") />
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
