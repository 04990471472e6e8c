//! Domains: the customer's domains with their status and both expiries, in pages; order one
//! (registered new or transferred in). A name is shown in Unicode and kept as its A-label.
pub mod actions;
pub mod api;
#[cfg(feature = "ssr")]
pub mod authcode;
#[cfg(feature = "ssr")]
mod detail;
mod detail_view;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod lifecycle;
pub mod model;
#[cfg(feature = "ssr")]
pub mod prices;
mod prices_view;
#[cfg(feature = "ssr")]
mod registry;
#[cfg(feature = "ssr")]
mod self_service;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, EntityLabels, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::choice::choice_select;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::*;

#[component]
pub fn DomainsPanel(
    customer_id: i32,
    read_only: bool,
    may_price: bool,
    may_reveal: bool,
    may_request: bool,
) -> impl IntoView {
    let query = use_query_map();
    // `?domain=` opens one domain's own view.
    let opened = Memo::new(move |_| query.with(|q| q.get("domain").and_then(|d| d.parse::<i32>().ok())));
    move || match opened.get() {
        Some(domain) => view! {
            <Panel title_key="area.domains">
                <detail_view::DomainDetail customer_id domain may_request />
            </Panel>
        }
        .into_any(),
        None => view! { <DomainList customer_id read_only may_price may_reveal /> }.into_any(),
    }
}

#[component]
fn DomainList(customer_id: i32, read_only: bool, may_price: bool, may_reveal: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let domains = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_domains(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => domains.refetch(),
    });
    view! {
        <Panel title_key="area.domains">
            {(!read_only).then(|| view! {
                <details class="compose">
                    <summary class="button">{t("domains.add")}</summary>
                    <AddDomain customer_id on_saved=changed />
                </details>
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match domains.await {
                        Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("domains.empty")}</p> }.into_any(),
                        Ok(p) => view! { <DomainTable page=p customer_id read_only may_reveal locale on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <prices_view::DomainPrices customer_id may_edit=may_price />
        </Panel>
    }
}

#[component]
fn AddDomain(customer_id: i32, on_saved: Callback<()>) -> impl IntoView {
    let draft = RwSignal::new(DomainInput { auto_renew: true, ..Default::default() });
    let save = Action::new(move |d: &DomainInput| add_domain(customer_id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "domains.conflict", None, on_saved);
    view! {
        <form class="editor domain-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for="domain-new-name">{t("domains.name")}</label>
                    <input id="domain-new-name" type="text" autocomplete="off" spellcheck="false" aria-describedby="domain-new-name-hint"
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.name = v); } />
                    <p id="domain-new-name-hint" class="hint">{t("domains.name_hint")}</p>
                    <FieldMessage errors field="name" />
                </div>
                {choice_select("domain-new-order".to_string(), "domains.order", "domains.order", move || draft.with(|d| d.order), move |v| draft.update(|d| d.order = v))}
                <Show when=move || draft.with(|d| d.order == DomainOrder::Transfer)>
                    <div class="field">
                        <label for="domain-new-authcode">{t("domains.authcode")}</label>
                        <input id="domain-new-authcode" type="text" autocomplete="off" spellcheck="false"
                            prop:value=move || draft.with(|d| d.authcode.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.authcode = v); } />
                        <FieldMessage errors field="authcode" />
                    </div>
                </Show>
            </div>
            <div class="toggle">
                <input id="domain-new-renew" type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.auto_renew)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.auto_renew = v); } />
                <label for="domain-new-renew">{t("domains.auto_renew")}</label>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn DomainTable(
    page: DomainPage,
    customer_id: i32,
    read_only: bool,
    may_reveal: bool,
    locale: Locale,
    on_saved: Callback<()>,
) -> impl IntoView {
    let DomainPage { rows, total, page: current, pages } = page;
    let date = move |d: &str| if d.is_empty() { "–".to_string() } else { format::date(d, locale) };
    view! {
        <p class="muted">{translate_with(locale, "domains.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="domain-table" heads=&["domains.name", "domains.status", "domains.expires_on", "domains.registry_expires_on", "domains.auto_renew", "~domains.actions"]>
            {rows.into_iter().map(|d| view! {
                <tr data-domain=d.ace.clone()>
                    <td>
                        <a href=format!("/customers/{customer_id}/domains?domain={}", d.id)><strong>{d.name.clone()}</strong></a>
                        {(d.name != d.ace).then(|| view! { <br /><span class="muted">{d.ace.clone()}</span> })}
                    </td>
                    <td>
                        <span class=format!("badge status-{}", d.status.as_str())>{t(&format!("domains.status.{}", d.status.as_str()))}</span>
                        {(d.status == DomainStatus::Ordered).then(|| view! { " " <span class="muted">{t(&format!("domains.order.{}", d.order.as_str()))}</span> })}
                        {(!d.error_text.is_empty()).then(|| view! { <br /><span class="error-text">{d.error_text.clone()}</span> })}
                    </td>
                    <td>{date(&d.expires_on)}</td>
                    <td>{date(&d.registry_expires_on)}</td>
                    <td>{if d.auto_renew { t("common.yes") } else { t("common.no") }}</td>
                    <td>
                        {(!read_only).then(|| view! {
                            <details class="row-actions">
                                <summary class="link">{t("domains.change")}<span class="visually-hidden">" " {d.name.clone()}</span></summary>
                                <TermsForm customer_id row=d.clone() on_saved />
                            </details>
                        })}
                        {(!read_only && d.status.waiting()).then(|| view! {
                            <details class="row-actions">
                                <summary class="link">{t("domains.confirm")}<span class="visually-hidden">" " {d.name.clone()}</span></summary>
                                <ConfirmForm customer_id row=d.clone() on_saved />
                            </details>
                        })}
                        {(may_reveal && !d.status.ended() && d.status != DomainStatus::Ordered).then(|| view! { <RevealCode customer_id row=d.clone() /> })}
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/domains?page={p}") />
    }
}

/// The manual registrar's confirmation, with the registry's dates.
#[component]
fn ConfirmForm(customer_id: i32, row: DomainRow, on_saved: Callback<()>) -> impl IntoView {
    let id = row.id;
    let draft = RwSignal::new(DomainConfirm { version: row.version, ..Default::default() });
    let save = Action::new(move |d: &DomainConfirm| confirm_domain(customer_id, id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "domains.conflict", None, on_saved);
    view! {
        <form class="editor confirm-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <p class="hint">{t("domains.confirm_hint")}</p>
            <div class="field">
                <label for=format!("domain-{id}-registered")>{t("domains.registered_on")}</label>
                <input id=format!("domain-{id}-registered") type="date" prop:value=move || draft.with(|d| d.registered_on.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.registered_on = v); } />
                <FieldMessage errors field="registered_on" />
            </div>
            <div class="field">
                <label for=format!("domain-{id}-registry-expires")>{t("domains.registry_expires_on")}</label>
                <input id=format!("domain-{id}-registry-expires") type="date" aria-describedby=format!("domain-{id}-registry-expires-hint")
                    prop:value=move || draft.with(|d| d.registry_expires_on.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.registry_expires_on = v); } />
                <p id=format!("domain-{id}-registry-expires-hint") class="hint">{t("domains.registry_expires_hint")}</p>
                <FieldMessage errors field="registry_expires_on" />
                <FieldMessage errors field="status" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("domains.confirm")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

/// "Auth-Code anzeigen" for staff with `domains.authcode` (audited, in the Log).
#[component]
fn RevealCode(customer_id: i32, row: DomainRow) -> impl IntoView {
    let id = row.id;
    let ask = Action::new(move |_: &()| reveal_domain_authcode(customer_id, id));
    view! {
        <button type="button" class="link" on:click=move |_| { ask.dispatch(()); } disabled=move || ask.pending().get()>
            {t("domains.authcode_show")}<span class="visually-hidden">" " {row.name.clone()}</span>
        </button>
        {move || ask.value().get().map(shown_code)}
    }
}

/// An auth code asked for, or why not (staff panel and self-service area alike).
pub fn shown_code(answer: Result<String, crate::error::AppError>) -> AnyView {
    match answer {
        Ok(code) => {
            view! { <output class="authcode" aria-live="polite"><code>{code}</code></output> }.into_any()
        }
        Err(e) => crate::customers::areas::data::actions::refusal(e),
    }
}

#[component]
fn TermsForm(customer_id: i32, row: DomainRow, on_saved: Callback<()>) -> impl IntoView {
    let id = row.id;
    let draft = RwSignal::new(DomainTerms {
        auto_renew: row.auto_renew,
        expires_on: row.expires_on.clone(),
        version: row.version,
    });
    let save = Action::new(move |d: &DomainTerms| save_domain_terms(customer_id, id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "domains.conflict", None, on_saved);
    view! {
        <form class="editor terms-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="field checkbox">
                <input id=format!("domain-{id}-renew") type="checkbox" prop:checked=move || draft.with(|d| d.auto_renew)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.auto_renew = v); } />
                <label for=format!("domain-{id}-renew")>{t("domains.auto_renew")}</label>
            </div>
            <div class="field">
                <label for=format!("domain-{id}-expires")>{t("domains.expires_on")}</label>
                <input id=format!("domain-{id}-expires") type="date" prop:value=move || draft.with(|d| d.expires_on.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.expires_on = v); } />
                <FieldMessage errors field="expires_on" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "domains",
    label_key: "area.domains",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::DomainsView,
    edit: Permission::DomainsEdit,
    actions: actions::ACTIONS,
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["domains"],
    entities: &[
        EntityLabels {
            entity: "domain",
            change: |locale, field, subject| {
                let whose = translate_with(locale, "history.domain", &[("name", subject.unwrap_or(""))]);
                format!("{whose} · {}", crate::i18n::translate(locale, &format!("domains.{field}")))
            },
            value: |locale, field, value| match (field, value) {
                ("auto_renew", "true") => Some(crate::i18n::translate(locale, "common.yes")),
                ("auto_renew", _) => Some(crate::i18n::translate(locale, "common.no")),
                ("expires_on", "") => Some("–".into()),
                ("expires_on", day) => Some(format::date(day, locale)),
                _ => None,
            },
        },
        EntityLabels {
            entity: "domain_price",
            change: |locale, field, subject| {
                let whose = translate_with(locale, "history.domain_price", &[("tld", subject.unwrap_or(""))]);
                format!("{whose} · {}", crate::i18n::translate(locale, &format!("domains.price.{field}")))
            },
            value: |locale, _, value| match value.parse::<i64>() {
                Ok(cents) => Some(format::cents(cents, locale)),
                Err(_) => Some(crate::i18n::translate(locale, "domains.price.list_applies")),
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
    let may_price = !read_only && ctx.staff.can(Permission::DomainsPrices);
    let may_reveal = ctx.staff.can(Permission::DomainsAuthcode);
    let may_request = !read_only && ctx.staff.can(Permission::DomainsRegistrar);
    view! { <DomainsPanel customer_id read_only may_price may_reveal may_request /> }.into_any()
}
