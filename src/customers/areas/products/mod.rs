//! Produkte: the customer's software licences (key, product, versions, contract, status, billing
//! cycle, update service) in pages, added and edited here; hosting joins with provisioning.
pub mod actions;
pub mod api;
#[cfg(feature = "ssr")]
pub mod flags;
#[cfg(feature = "ssr")]
pub mod hosting;
pub mod hosting_api;
#[cfg(feature = "ssr")]
pub mod hosting_form;
pub mod hosting_model;
#[cfg(feature = "ssr")]
pub mod hosting_read;
#[cfg(feature = "ssr")]
pub mod hosting_run;
mod hosting_view;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod transfers;
#[cfg(feature = "ssr")]
pub mod verify;

use super::def::{AreaDef, EntityLabels, PanelCtx, Placement};
use crate::auth::Permission;
use crate::error::AppError;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::choice::choice_select;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::{
    customer_licences, licence_bindings, licence_form_meta, licence_offers, offer_licence_transfer,
    reset_licence_bindings, save_licence, withdraw_licence_transfer,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::*;

#[component]
pub fn ProductsPanel(customer_id: i32, read_only: bool, may_provision: bool) -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let licences = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_licences(id, page),
    );
    let choices = Resource::new(|| (), |_| licence_form_meta());
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => licences.refetch(),
    });
    view! {
        <Panel title_key="area.products">
            {(!read_only).then(|| view! {
                <details class="compose">
                    <summary class="button">{t("products.add_licence")}</summary>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match choices.await {
                                Ok(meta) if meta.products.is_empty() => view! { <p class="empty">{t("products.no_products")}</p> }.into_any(),
                                Ok(meta) => {
                                    let start = new_licence(&meta);
                                    view! { <LicenceForm customer_id start products=meta.products on_saved=changed /> }.into_any()
                                }
                                Err(e) => error_view(e),
                            }
                        })}
                    </Transition>
                </details>
            })}
            <Offers customer_id read_only on_saved=changed />
            <h3>{t("products.licences")}</h3>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match licences.await {
                        Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("products.empty")}</p> }.into_any(),
                        Ok(p) => view! { <LicenceTable page=p customer_id read_only choices on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <hosting_view::Hostings customer_id read_only may_provision on_saved=changed />
        </Panel>
    }
}

/// A new licence's form: the first product at its newest release, contracted today, with
/// update service.
fn new_licence(meta: &LicenceChoices) -> LicenceInput {
    let first = meta.products.first();
    let version = first.and_then(|p| p.latest_version.clone()).unwrap_or_default();
    LicenceInput {
        product_id: first.map(|p| p.id).unwrap_or_default(),
        version_bought: version.clone(),
        current_version: version,
        contract_date: meta.today.clone(),
        status: LicenceStatus::Active,
        update_service: true,
        ..Default::default()
    }
}

#[component]
fn LicenceTable(
    page: LicencePage,
    customer_id: i32,
    read_only: bool,
    choices: Resource<Result<LicenceChoices, AppError>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let LicencePage { rows, total, page: current, pages } = page;
    view! {
        <p class="muted">{translate_with(locale, "products.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="licence-table" heads=&["products.key", "products.product", "products.versions", "products.contract_date", "products.status", "products.cycle", "products.updates_until", "~products.actions"]>
            {rows.into_iter().map(|r| view! { <LicenceLine row=r customer_id read_only choices on_saved locale /> }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/products?page={p}") />
    }
}

#[component]
fn LicenceLine(
    row: LicenceRow,
    customer_id: i32,
    read_only: bool,
    choices: Resource<Result<LicenceChoices, AppError>>,
    on_saved: Callback<()>,
    locale: Locale,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let i = row.input.clone();
    let status = i.status;
    let until = if i.update_service && !i.updates_until.is_empty() {
        format::date(&i.updates_until, locale)
    } else {
        t("products.no_update_service")
    };
    let start = StoredValue::new(row.input.clone());
    view! {
        <tr data-licence=row.key.clone()>
            <td class="licence-key">{row.key.clone()}</td>
            <td>{row.product_name.clone()}</td>
            <td>{i.version_bought.clone()} " → " {i.current_version.clone()}</td>
            <td>{format::date(&i.contract_date, locale)}</td>
            <td>
                <span class=format!("badge status-{}", status.as_str())>{t(&format!("products.status.{}", status.as_str()))}</span>
                {(status == LicenceStatus::Locked).then(|| view! { <span class="muted">" " {i.lock_reason.clone()}</span> })}
                {(status == LicenceStatus::Cancelled).then(|| view! { <span class="muted">" " {format::date(&i.cancelled_on, locale)}</span> })}
            </td>
            <td>{t(&format!("products.cycle.{}", i.billing_cycle.as_str()))}</td>
            <td>
                {until}
                {row.updates_expired.then(|| view! { " " <span class="badge warning">{t("products.updates_expired")}</span> })}
            </td>
            <td>
                {(!read_only).then(|| view! {
                    <button type="button" class="link" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                        {t("products.edit")}<span class="visually-hidden">" " {row.key.clone()}</span>
                    </button>
                })}
            </td>
        </tr>
        <Show when=move || editing.get()>
            <tr class="edit-row">
                <td colspan="8">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let products = choices.await.map(|m| m.products).unwrap_or_default();
                            let (licence_id, version) = start.with_value(|s| (s.id.unwrap_or_default(), s.version));
                            view! {
                                <LicenceForm customer_id start=start.get_value() products on_saved />
                                <Bindings customer_id licence_id />
                                <TransferForm customer_id licence_id version on_saved />
                            }
                        })}
                    </Transition>
                </td>
            </tr>
        </Show>
    }
}

/// The open offers of this customer's licences to other customers, each withdrawable.
#[component]
fn Offers(customer_id: i32, read_only: bool, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let offers = Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| licence_offers(id));
    let withdraw = Action::new(move |t: &i32| withdraw_licence_transfer(customer_id, *t));
    Effect::new(move |_| {
        if let Some(Ok(())) = withdraw.value().get() {
            on_saved.run(());
            offers.refetch();
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = offers.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="offers" aria-labelledby="offers-title">
                        <h3 id="offers-title">{t("products.offers")}</h3>
                        <ul>
                            {list.into_iter().map(|o| {
                                let id = o.id;
                                view! {
                                    <li data-offer=o.key.clone()>
                                        {translate_with(locale, "products.offer_line", &[("licence", &format!("{} {}", o.product, o.key)), ("to", &o.other_number), ("until", &format::date(&o.expires_at, locale))])}
                                        {(!read_only).then(|| view! {
                                            " " <button type="button" class="link" on:click=move |_| { withdraw.dispatch(id); }>{t("products.withdraw")}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {move || withdraw.value().get().and_then(|r| r.err()).map(crate::customers::areas::data::actions::refusal)}
                    </section>
                })
            })}
        </Transition>
    }
}

/// The hosts the licence is bound to, and "Bindungen zurücksetzen".
#[component]
fn Bindings(customer_id: i32, licence_id: i32) -> impl IntoView {
    let locale = use_locale();
    let reset = Action::new(move |_: &()| reset_licence_bindings(customer_id, licence_id));
    let hosts =
        Resource::new(move || reset.version().get(), move |_| licence_bindings(customer_id, licence_id));
    view! {
        <section class="bindings" aria-label=t("products.bindings")>
            <h4>{t("products.bindings")}</h4>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = hosts.await.unwrap_or_default();
                    if list.is_empty() {
                        view! { <p class="empty">{t("products.no_bindings")}</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {list.into_iter().map(|b| view! {
                                    <li data-host=b.host.clone()>
                                        <strong>{b.host.clone()}{b.path.clone()}</strong> " · " {b.ip.clone()} " · "
                                        {translate_with(locale, "products.binding_seen", &[
                                            ("first", &format::date_time(&b.first_seen_at, locale)),
                                            ("last", &format::date_time(&b.last_seen_at, locale)),
                                            ("checks", &format::count(b.checks.max(0) as u64, locale)),
                                        ])}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <button type="button" class="link" on:click=move |_| { reset.dispatch(()); }>{t("products.reset_bindings")}</button>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

/// "Übertragen": offer the licence to another customer, by number; they accept in their
/// self-service area.
#[component]
fn TransferForm(customer_id: i32, licence_id: i32, version: i64, on_saved: Callback<()>) -> impl IntoView {
    let to = RwSignal::new(String::new());
    let offer =
        Action::new(move |to: &String| offer_licence_transfer(customer_id, licence_id, version, to.clone()));
    let SaveResult { errors, notice } = use_save_result(offer, "products.conflict", None, on_saved);
    let field = format!("transfer-{licence_id}-to");
    view! {
        <form class="editor transfer-form" novalidate on:submit=move |ev| { ev.prevent_default(); offer.dispatch(to.get_untracked()); }>
            <div class="field">
                <label for=field.clone()>{t("products.transfer_to")}</label>
                <input id=field type="text" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                <FieldMessage errors field="to" />
                <FieldMessage errors field="licence" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button">{t("products.transfer_offer")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn LicenceForm(
    customer_id: i32,
    start: LicenceInput,
    products: Vec<crate::catalogue::model::ProductChoice>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let draft = RwSignal::new(start);
    let save = Action::new(move |l: &LicenceInput| save_licence(customer_id, l.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "products.conflict", None, on_saved);
    let key = draft.with_untracked(|d| d.id);
    let is_new = key.is_none();
    // Copy, so every field's closure can own one.
    let id = move |f: &str| match key {
        Some(k) => format!("licence-{k}-{f}"),
        None => format!("licence-new-{f}"),
    };
    let text = move |f: &'static str,
                     label: &'static str,
                     get: fn(&LicenceInput) -> String,
                     set: fn(&mut LicenceInput, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=id(f)>{t(label)}</label>
                <input id=id(f) type=kind prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    let versions: Vec<(i32, Option<String>)> =
        products.iter().map(|p| (p.id, p.latest_version.clone())).collect();
    view! {
        <form class="editor licence-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for=id("product")>{t("products.product")}</label>
                    <select id=id("product") disabled=!is_new on:change=move |ev| {
                        if let Ok(p) = event_target_value(&ev).parse::<i32>() {
                            let latest = versions.iter().find(|(id, _)| *id == p).and_then(|(_, v)| v.clone()).unwrap_or_default();
                            draft.update(|d| { d.product_id = p; d.version_bought = latest.clone(); d.current_version = latest; });
                        }
                    }>
                        {products.into_iter().map(|p| {
                            let pid = p.id;
                            view! { <option value=p.id.to_string() selected=move || draft.with(|d| d.product_id == pid)>{p.name}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="product_id" />
                </div>
                {text("version_bought", "products.version_bought", |d| d.version_bought.clone(), |d, v| d.version_bought = v, "text")}
                {text("current_version", "products.current_version", |d| d.current_version.clone(), |d, v| d.current_version = v, "text")}
                {text("contract_date", "products.contract_date", |d| d.contract_date.clone(), |d, v| d.contract_date = v, "date")}
                {choice_select(id("status"), "products.status", "products.status", move || draft.with(|d| d.status), move |v| draft.update(|d| d.status = v))}
                {choice_select(id("cycle"), "products.cycle", "products.cycle", move || draft.with(|d| d.billing_cycle), move |v| draft.update(|d| d.billing_cycle = v))}
            </div>
            <Show when=move || draft.with(|d| d.status == LicenceStatus::Locked)>
                {text("lock_reason", "products.lock_reason", |d| d.lock_reason.clone(), |d, v| d.lock_reason = v, "text")}
            </Show>
            <Show when=move || draft.with(|d| d.status == LicenceStatus::Cancelled)>
                {text("cancelled_on", "products.cancelled_on", |d| d.cancelled_on.clone(), |d, v| d.cancelled_on = v, "date")}
            </Show>
            <div class="toggle">
                <input id=id("updates") type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.update_service)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.update_service = v); } />
                <label for=id("updates")>{t("products.update_service")}</label>
            </div>
            <Show when=move || draft.with(|d| d.update_service)>
                {text("updates_until", "products.updates_until", |d| d.updates_until.clone(), |d, v| d.updates_until = v, "date")}
                <p class="muted">{t("products.updates_until_hint")}</p>
            </Show>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "products",
    label_key: "area.products",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::ProductsView,
    edit: Permission::ProductsEdit,
    actions: actions::ACTIONS,
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["products"],
    entities: &[
        EntityLabels {
            entity: "licence",
            change: |locale, field, subject| {
                let whose = translate_with(locale, "history.licence", &[("name", subject.unwrap_or(""))]);
                format!("{whose} · {}", crate::i18n::translate(locale, &format!("products.field.{field}")))
            },
            value: |locale, field, value| match field {
                "status" => Some(crate::i18n::translate(locale, &format!("products.status.{value}"))),
                "billing_cycle" => Some(crate::i18n::translate(locale, &format!("products.cycle.{value}"))),
                _ => None,
            },
        },
        EntityLabels {
            entity: "hosting",
            change: |locale, field, subject| {
                let whose = translate_with(locale, "history.hosting", &[("name", subject.unwrap_or(""))]);
                format!("{whose} · {}", crate::i18n::translate(locale, &format!("hosting.field.{field}")))
            },
            value: |locale, field, value| match field {
                "status" if !value.is_empty() => {
                    Some(crate::i18n::translate(locale, &format!("hosting.status.{value}")))
                }
                _ => None,
            },
        },
    ],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    let may_provision = !read_only && ctx.staff.can(Permission::ProductsProvision);
    view! { <ProductsPanel customer_id read_only may_provision /> }.into_any()
}
