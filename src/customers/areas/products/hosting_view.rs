//! The Hosting part of the Produkte panel: the customer's hostings with their status (why and
//! since when), the latest job, the actions the status allows and each hosting's job log.
use super::AREA;
use super::hosting_api::{add_hosting, customer_hostings, hosting_action, hosting_form_meta, hosting_log};
use super::hosting_model::*;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::choice::choice_select;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::DataTable;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Hostings(
    customer_id: i32,
    read_only: bool,
    may_provision: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| q.get("hosting_page").and_then(|p| p.parse().ok()).unwrap_or(1u32))
    });
    let hostings = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_hostings(id, page),
    );
    let changed = Callback::new(move |_: ()| {
        on_saved.run(());
        hostings.refetch();
    });
    // A request posted without JavaScript comes back here with `requested`.
    let requested = Memo::new(move |_| query.with(|q| q.get("requested").is_some()));
    view! {
        <section class="hostings" aria-labelledby="hostings-title">
            <h3 id="hostings-title">{t("hosting.title")}</h3>
            {move || requested.get().then(|| view! { <p class="notice" role="status">{t("hosting.requested")}</p> })}
            {(!read_only).then(|| view! {
                <details class="compose">
                    <summary class="button">{t("hosting.add")}</summary>
                    <AddHosting customer_id on_saved=changed />
                </details>
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match hostings.await {
                        Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("hosting.empty")}</p> }.into_any(),
                        Ok(p) => view! { <HostingTable page=p customer_id may_provision on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AddHosting(customer_id: i32, on_saved: Callback<()>) -> impl IntoView {
    let meta = Resource::new(|| (), |_| hosting_form_meta());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match meta.await {
                    Ok(m) if m.packages.is_empty() => view! { <p class="empty">{t("hosting.no_packages")}</p> }.into_any(),
                    Ok(m) => view! { <HostingForm customer_id choices=m on_saved /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn HostingForm(customer_id: i32, choices: HostingChoices, on_saved: Callback<()>) -> impl IntoView {
    let first = choices.packages.first().map(|p| p.id).unwrap_or_default();
    let draft = RwSignal::new(HostingInput {
        package_id: first,
        contract_date: choices.today.clone(),
        ..Default::default()
    });
    let save = Action::new(move |h: &HostingInput| add_hosting(customer_id, h.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "products.conflict", None, on_saved);
    let needs_domain: Vec<(i32, bool)> = choices.packages.iter().map(|p| (p.id, p.needs_domain)).collect();
    let domain_needed = move || draft.with(|d| needs_domain.iter().any(|(id, n)| *id == d.package_id && *n));
    view! {
        <form class="editor hosting-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for="hosting-new-package">{t("hosting.package")}</label>
                    <select id="hosting-new-package" on:change=move |ev| {
                        if let Ok(p) = event_target_value(&ev).parse::<i32>() { draft.update(|d| d.package_id = p); }
                    }>
                        {choices.packages.into_iter().map(|p| {
                            let pid = p.id;
                            view! { <option value=p.id.to_string() selected=move || draft.with(|d| d.package_id == pid)>{p.name}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="package_id" />
                </div>
                <div class="field">
                    <label for="hosting-new-domain">{t("hosting.domain")}</label>
                    <input id="hosting-new-domain" type="text" required=domain_needed prop:value=move || draft.with(|d| d.domain.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.domain = v); } />
                    <FieldMessage errors field="domain" />
                </div>
                <div class="field">
                    <label for="hosting-new-contract">{t("hosting.contract_date")}</label>
                    <input id="hosting-new-contract" type="date" prop:value=move || draft.with(|d| d.contract_date.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.contract_date = v); } />
                    <FieldMessage errors field="contract_date" />
                </div>
                {choice_select("hosting-new-cycle".to_string(), "products.cycle", "products.cycle", move || draft.with(|d| d.billing_cycle), move |v| draft.update(|d| d.billing_cycle = v))}
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn HostingTable(
    page: HostingPage,
    customer_id: i32,
    may_provision: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let HostingPage { rows, total, page: current, pages } = page;
    view! {
        <p class="muted">{translate_with(locale, "hosting.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="hosting-table" heads=&["hosting.account", "hosting.package", "hosting.status", "hosting.job", "~hosting.actions"]>
            {rows.into_iter().map(|r| view! { <HostingLine row=r customer_id may_provision on_saved locale /> }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/products?hosting_page={p}") />
    }
}

#[component]
fn HostingLine(
    row: HostingRow,
    customer_id: i32,
    may_provision: bool,
    on_saved: Callback<()>,
    locale: Locale,
) -> impl IntoView {
    let open_log = RwSignal::new(false);
    let status = row.status;
    let last_status = row.last_job.as_ref().map(|j| j.status);
    let hosting = row.id;
    // The manual module cannot tell how an account stands on its server.
    let checkable = row.module != "manual";
    let job = row.last_job.clone().map(|j| {
        let line = translate_with(locale, "hosting.job_line", &[
            ("action", &t(&format!("hosting.action.{}", j.action.as_str()))),
            ("status", &t(&format!("hosting.job_status.{}", j.status.as_str()))),
            ("attempts", &j.attempts.to_string()),
        ]);
        view! {
            <span class=format!("job job-{}", j.status.as_str())>{line}</span>
            {(!j.last_error.is_empty()).then(|| view! { <br /><span class="muted job-error">{j.last_error.clone()}</span> })}
        }
    });
    let since = match status {
        HostingStatus::Suspended => row.suspended_at.clone(),
        HostingStatus::Terminated => row.terminated_at.clone(),
        _ => None,
    };
    let name = if row.domain.is_empty() {
        row.username.clone()
    } else {
        format!("{} ({})", row.username, row.domain)
    };
    view! {
        <tr data-hosting=row.username.clone()>
            <td><strong>{name.clone()}</strong><br /><span class="muted">{row.server.clone()}</span></td>
            <td>{row.package.clone()}<br /><span class="muted">{t(&format!("products.cycle.{}", row.billing_cycle.as_str()))}</span></td>
            <td>
                <span class=format!("badge status-{}", status.as_str())>{t(&format!("hosting.status.{}", status.as_str()))}</span>
                {since.map(|s| view! { <span class="muted">" " {translate_with(locale, "hosting.since", &[("at", &format::date_time(&s, locale))])}</span> })}
                {(!row.suspend_reason.is_empty()).then(|| view! { <br /><span class="suspend-reason">{row.suspend_reason.clone()}</span> })}
                {(!row.remote_state.is_empty()).then(|| {
                    let at = row.checked_at.clone().map(|c| format::date_time(&c, locale)).unwrap_or_default();
                    let state = t(&format!("hosting.remote_state.{}", row.remote_state));
                    let differs = row.remote_state != status.as_str();
                    view! {
                        <br />
                        <span class=if differs { "remote-state differs" } else { "remote-state muted" }>
                            {translate_with(locale, "hosting.remote", &[("state", &state), ("at", &at)])}
                        </span>
                    }
                })}
            </td>
            <td>{job}</td>
            <td>
                <button type="button" class="link" aria-expanded=move || open_log.get().to_string() on:click=move |_| open_log.update(|o| *o = !*o)>
                    {t("hosting.log")}<span class="visually-hidden">" " {name.clone()}</span>
                </button>
            </td>
        </tr>
        {may_provision.then(|| view! {
            <tr class="hosting-actions-row">
                <td colspan="5">
                    <HostingActions customer_id hosting version=row.version status last_status checkable on_saved />
                </td>
            </tr>
        })}
        <Show when=move || open_log.get()>
            <tr class="log-row">
                <td colspan="5"><HostingLog customer_id hosting /></td>
            </tr>
        </Show>
    }
}

/// The requests the hosting's status allows; suspending asks for the reason, terminating for a
/// confirmation.
#[component]
fn HostingActions(
    customer_id: i32,
    hosting: i32,
    version: i64,
    status: HostingStatus,
    last_status: Option<JobStatus>,
    checkable: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let act = Action::new(move |r: &HostingRequest| {
        hosting_action(customer_id, hosting, version, *r, reason.get_untracked())
    });
    let SaveResult { errors, notice } = use_save_result(act, "products.conflict", None, on_saved);
    let allowed: Vec<HostingRequest> = HostingRequest::ALL
        .iter()
        .copied()
        .filter(|r| r.allowed(status, last_status) && (checkable || *r != HostingRequest::Check))
        .collect();
    if allowed.is_empty() {
        return ().into_any();
    }
    let reason_id = format!("hosting-{hosting}-reason");
    let confirm_id = format!("hosting-{hosting}-confirm");
    let action = format!("/hostings/customers/{customer_id}/{hosting}/request");
    // Each request is a plain form: without JavaScript the browser posts it to the request
    // route; with it, it runs in place. Terminating needs its checkbox ticked either way.
    view! {
        <div class="hosting-actions" role="group" aria-label=t("hosting.actions")>
            {allowed.into_iter().map(|r| {
                let label = t(&format!("hosting.request.{}", r.as_str()));
                let extra = match r {
                    HostingRequest::Suspend => view! {
                        <div class="field inline">
                            <label for=reason_id.clone()>{t("hosting.reason")}</label>
                            <input id=reason_id.clone() type="text" name="reason" prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev)) />
                            <FieldMessage errors field="reason" />
                        </div>
                    }.into_any(),
                    HostingRequest::Terminate => view! {
                        <input id=confirm_id.clone() type="checkbox" name="confirm" required />
                        <label for=confirm_id.clone()>{t("hosting.confirm_terminate")}</label>
                    }.into_any(),
                    _ => ().into_any(),
                };
                let danger = r == HostingRequest::Terminate;
                view! {
                    <form method="post" action=action.clone() class=if danger { "inline-form confirm" } else { "inline-form" }
                        on:submit=move |ev| { ev.prevent_default(); act.dispatch(r); }>
                        <input type="hidden" name="request" value=r.as_str() />
                        <input type="hidden" name="version" value=version />
                        {extra}
                        <button type="submit" class=if danger { "button danger" } else { "button" } disabled=move || act.pending().get()>{label}</button>
                    </form>
                }
            }).collect_view()}
            <FieldMessage errors field="request" />
            <span class="editor-notice" role="status">{move || notice.get()}</span>
        </div>
    }
    .into_any()
}

/// A hosting's job log, newest first, in pages.
#[component]
fn HostingLog(customer_id: i32, hosting: i32) -> impl IntoView {
    let locale = use_locale();
    let page = RwSignal::new(1u32);
    let lines = Resource::new(
        move || (page.get(), Live::tick_of(AREA.live)),
        move |(p, _)| hosting_log(customer_id, hosting, p),
    );
    view! {
        <section class="hosting-log" aria-label=t("hosting.log")>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("hosting.log_empty")}</p> }.into_any(),
                        Ok(p) => {
                            let (current, pages) = (p.page, p.pages);
                            view! {
                                <ol class="log-lines">
                                    {p.rows.into_iter().map(|l| view! {
                                        <li class=format!("log-{}", l.level)>
                                            <time>{format::date_time(&l.at, locale)}</time> " · "
                                            {t(&format!("hosting.action.{}", l.action.as_str()))} " #" {l.job_id}
                                            " (" {translate_with(locale, "hosting.attempt", &[("n", &l.attempt.to_string())])} ") · "
                                            <code>{l.step}</code> " " {l.message}
                                        </li>
                                    }).collect_view()}
                                </ol>
                                {(pages > 1).then(|| view! {
                                    <nav class="pager" aria-label=t("list.pages")>
                                        <button type="button" class="link" disabled=current <= 1 on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>{t("list.prev")}</button>
                                        " " {translate_with(locale, "list.page_of", &[("page", &current.to_string()), ("pages", &pages.to_string())])} " "
                                        <button type="button" class="link" disabled=current >= pages on:click=move |_| page.update(|p| *p += 1)>{t("list.next")}</button>
                                    </nav>
                                })}
                            }.into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}
