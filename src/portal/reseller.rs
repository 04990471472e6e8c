//! /portal/reseller: a reseller's own login sees the end customers it registered, with their
//! status and products (names and numbers only: the rest is the end customers' own data).
use crate::codec::Json;
use crate::customers::areas::reseller::model::EndCustomerPage;
use crate::error::AppError;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "portal_end_customers", input = Json, output = Json)]
pub async fn portal_end_customers(page: u32) -> Result<EndCustomerPage, AppError> {
    let me = super::require_customer()?;
    if !me.is_reseller {
        return Err(AppError::Forbidden);
    }
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::reseller::service::end_customers(db, me.customer_id, page).await
}

#[component]
pub fn PortalResellerPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), portal_end_customers);
    view! {
        <Title text=t("portal.reseller") />
        <h1 class="page-title">{t("portal.reseller")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("portal.no_end_customers")}</p> }.into_any(),
                    Ok(p) => view! {
                        <p class="muted">{translate_with(locale, "reseller.count", &[("count", &format::count(p.total, locale))])}</p>
                        <div class="table-wrap">
                            <table class="data-table end-customers">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("field.number")}</th>
                                        <th scope="col">{t("list.name")}</th>
                                        <th scope="col">{t("field.status")}</th>
                                        <th scope="col">{t("reseller.products")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows.into_iter().map(|c| view! {
                                        <tr data-end-customer=c.number.clone()>
                                            <td class="customer-number">{c.number.clone()}</td>
                                            <td>{c.name.clone()}</td>
                                            <td>{t(&format!("choice.status.{}", c.status))}</td>
                                            <td>
                                                {if c.products.is_empty() { t("reseller.no_products") } else {
                                                    c.products.iter().map(|(name, status)| format!("{name} ({})", t(&format!("products.status.{status}")))).collect::<Vec<_>>().join(", ")
                                                }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=p.page pages=p.pages link=|n| format!("/portal/reseller?page={n}") />
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}
