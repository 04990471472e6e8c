//! Domains: the customer's domains with their status and both expiries, in pages; order one
//! (registered new or transferred in). A name is shown in Unicode and kept as its A-label.
pub mod api;
pub mod model;
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
pub fn DomainsPanel(customer_id: i32, read_only: bool) -> impl IntoView {
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
                        Ok(p) => view! { <DomainTable page=p customer_id read_only locale on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
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
                        <strong>{d.name.clone()}</strong>
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
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/domains?page={p}") />
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
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["domains"],
    entities: &[EntityLabels {
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
    }],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    view! { <DomainsPanel customer_id read_only /> }.into_any()
}
