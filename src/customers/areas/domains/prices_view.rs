//! "Preise bearbeiten" in the Domains panel: every ending we sell with its list price for a year
//! and, beside it, the customer's own where there is one; each ending's own prices change in its
//! row. Loaded when opened (or when the address asks for a page of it).
use super::AREA;
use super::api::{customer_domain_prices, save_customer_domain_price};
use super::model::*;
use crate::i18n::{Locale, t, translate, translate_with};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::DataTable;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The section under the domain list; `may_edit` with `domains.prices`.
#[component]
pub fn DomainPrices(customer_id: i32, may_edit: bool) -> impl IntoView {
    let query = use_query_map();
    let asked = query.with_untracked(|q| q.get("prices").is_some());
    let opened = RwSignal::new(asked);
    let label = if may_edit { "domains.prices_edit" } else { "domains.prices" };
    view! {
        <details class="compose domain-prices" open=asked>
            <summary class="button" on:click=move |_| opened.set(true)>{t(label)}</summary>
            <Show when=move || opened.get()>
                <PriceList customer_id may_edit />
            </Show>
        </details>
    }
}

#[component]
fn PriceList(customer_id: i32, may_edit: bool) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let query = use_query_map();
    let page =
        Memo::new(move |_| query.with(|q| q.get("prices").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let prices = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_domain_prices(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => prices.refetch(),
    });
    view! {
        <p class="hint">{t("domains.prices_hint")}</p>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match prices.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("domains.prices_empty")}</p> }.into_any(),
                    Ok(p) => view! { <PriceTable page=p customer_id may_edit locale on_saved=changed /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn PriceTable(
    page: CustomerPricePage,
    customer_id: i32,
    may_edit: bool,
    locale: Locale,
    on_saved: Callback<()>,
) -> impl IntoView {
    let CustomerPricePage { rows, page: current, pages, .. } = page;
    view! {
        <DataTable class="price-table" heads=&["domains.tld", "domains.price.register", "domains.price.transfer", "domains.price.renew", "~domains.actions"]>
            {rows.into_iter().map(|p| view! {
                <tr data-tld=p.tld.clone()>
                    <th scope="row">"." {p.tld.clone()}</th>
                    {(0..PRICE_ACTIONS.len()).map(|i| view! { <td>{price_cell(p.list[i], p.own[i], locale)}</td> }).collect_view()}
                    <td>
                        {may_edit.then(|| view! {
                            <details class="row-actions">
                                <summary class="link">{t("domains.change")}<span class="visually-hidden">" ." {p.tld.clone()}</span></summary>
                                <PriceForm customer_id price=p.clone() locale on_saved />
                            </details>
                        })}
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/domains?prices={p}") />
    }
}

/// The list price, and the customer's own beside it where it replaces the list.
fn price_cell(list: Option<i64>, own: Option<i64>, locale: Locale) -> AnyView {
    let list_text = list.map(|c| format::cents(c, locale)).unwrap_or_else(|| "–".into());
    match own {
        None => view! { <span class="list-price">{list_text}</span> }.into_any(),
        Some(own) => view! {
            <strong class="own-price">{format::cents(own, locale)}</strong>
            " "
            <span class="muted list-price">{translate_with(locale, "domains.price.list", &[("price", &list_text)])}</span>
        }
        .into_any(),
    }
}

#[component]
fn PriceForm(
    customer_id: i32,
    price: CustomerPrice,
    locale: Locale,
    on_saved: Callback<()>,
) -> impl IntoView {
    let decimal = if locale == Locale::De { ',' } else { '.' };
    let typed = price.own.map(|o| o.map(|c| crate::money::cents_text(c, decimal)).unwrap_or_default());
    let draft =
        RwSignal::new(CustomerPriceInput { tld_id: price.tld_id, own: typed, version: price.version });
    let save = Action::new(move |d: &CustomerPriceInput| save_customer_domain_price(customer_id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "domains.conflict", None, on_saved);
    let id = price.tld_id;
    view! {
        <form class="editor price-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {PRICE_ACTIONS.iter().enumerate().map(|(i, action)| {
                    let field = format!("domain-price-{id}-{action}");
                    let list = price.list[i].map(|c| format::cents(c, locale)).unwrap_or_else(|| "–".into());
                    view! {
                        <div class="field">
                            <label for=field.clone()>{t(&format!("domains.price.{action}"))}</label>
                            <input id=field.clone() type="text" inputmode="decimal" autocomplete="off"
                                aria-describedby=format!("{field}-hint")
                                prop:value=move || draft.with(|d| d.own[i].clone())
                                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.own[i] = v); } />
                            <p id=format!("{field}-hint") class="hint">{translate_with(locale, "domains.price.list", &[("price", &list)])}</p>
                            <FieldMessage errors field=format!("own.{action}") />
                        </div>
                    }
                }).collect_view()}
            </div>
            <p class="hint">{translate(locale, "domains.price.empty_hint")}</p>
            <div class="editor-actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
