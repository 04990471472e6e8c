//! A domain's own view (`/customers/{id}/domains?domain={domain}`): its registry data, handles
//! and nameservers, the requests to its registrar (renew, sync, delete, retry) and every
//! registrar job with its log, in pages.
use super::AREA;
use super::api::{open_domain, request_domain_job};
use super::model::*;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DomainDetail(customer_id: i32, domain: i32, may_request: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("jobs").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(
        move || (customer_id, domain, page.get(), Live::tick_of(AREA.live)),
        |(id, domain, page, _)| open_domain(id, domain, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => data.refetch(),
    });
    view! {
        <p><a href=format!("/customers/{customer_id}/domains")>{t("domains.back")}</a></p>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Detail view=v customer_id may_request locale on_saved=changed /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(
    view: DomainView,
    customer_id: i32,
    may_request: bool,
    locale: Locale,
    on_saved: Callback<()>,
) -> impl IntoView {
    let date = move |d: &str| if d.is_empty() { "–".to_string() } else { format::date(d, locale) };
    let dash = |s: &str| if s.is_empty() { "–".to_string() } else { s.to_string() };
    let r = view.row.clone();
    let handles =
        ["domains.handle.owner", "domains.handle.admin", "domains.handle.tech", "domains.handle.zone"];
    view! {
        <section class="domain-detail" data-domain=r.ace.clone() aria-labelledby="domain-title">
            <h3 id="domain-title">{r.name.clone()}{(r.name != r.ace).then(|| view! { " " <span class="muted">{format!("({})", r.ace)}</span> })}</h3>
            <dl class="facts">
                <dt>{t("domains.status")}</dt>
                <dd>
                    <span class=format!("badge status-{}", r.status.as_str())>{t(&format!("domains.status.{}", r.status.as_str()))}</span>
                    {(!r.error_text.is_empty()).then(|| view! { " " <span class="error-text">{r.error_text.clone()}</span> })}
                </dd>
                <dt>{t("domains.registrar")}</dt>
                <dd>{if view.registrar.is_empty() { t("domains.registrar_manual") } else { view.registrar.clone() }}</dd>
                <dt>{t("domains.registered_on")}</dt><dd>{date(&view.registered_on)}</dd>
                <dt>{t("domains.expires_on")}</dt><dd>{date(&r.expires_on)}</dd>
                <dt>{t("domains.registry_expires_on")}</dt><dd>{date(&r.registry_expires_on)}</dd>
                <dt>{t("domains.registry_status")}</dt><dd>{dash(&view.registry_status)}</dd>
                <dt>{t("domains.synced_at")}</dt><dd>{if view.synced_at.is_empty() { "–".to_string() } else { format::date_time(&view.synced_at, locale) }}</dd>
                <dt>{t("domains.auto_renew")}</dt><dd>{if r.auto_renew { t("common.yes") } else { t("common.no") }}</dd>
                <dt>{t("domains.nameservers")}</dt><dd>{if view.nameservers.is_empty() { "–".to_string() } else { view.nameservers.join(", ") }}</dd>
                {handles.iter().enumerate().map(|(i, key)| view! { <dt>{t(key)}</dt><dd>{dash(&view.handles[i])}</dd> }).collect_view()}
            </dl>
            {(may_request && view.automatic).then(|| view! { <Requests customer_id row=r.clone() on_saved /> })}
            <h4>{t("domains.jobs")}</h4>
            {if view.jobs.is_empty() {
                view! { <p class="empty">{t("domains.no_jobs")}</p> }.into_any()
            } else {
                view! {
                    <ol class="job-list">
                        {view.jobs.into_iter().map(|j| view! { <JobItem job=j locale /> }).collect_view()}
                    </ol>
                    <crate::ui::pager::Pager page=view.job_page pages=view.job_pages
                        link=move |p| format!("/customers/{customer_id}/domains?domain={}&jobs={p}", r.id) />
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn JobItem(job: JobRow, locale: Locale) -> impl IntoView {
    let when = format::date_time(&job.created_at, locale);
    let title = translate_with(
        locale,
        "domains.job_title",
        &[
            ("action", &crate::i18n::translate(locale, &format!("domains.job.{}", job.action.as_str()))),
            ("when", &when),
        ],
    );
    view! {
        <li data-job=job.action.as_str()>
            <details>
                <summary>
                    {title} " · "
                    <span class=format!("badge job-{}", job.status)>{t(&format!("domains.job_status.{}", job.status))}</span>
                    {(!job.last_error.is_empty()).then(|| view! { " " <span class="error-text">{job.last_error.clone()}</span> })}
                </summary>
                <ul class="job-log">
                    {job.lines.into_iter().map(|l| view! {
                        <li class=format!("log-{}", l.level)>
                            <span class="muted">{format::date_time(&l.at, locale)}</span> " " {l.step} ": " {l.message}
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        </li>
    }
}

/// The requests to the registrar that fit the domain's status.
#[component]
fn Requests(customer_id: i32, row: DomainRow, on_saved: Callback<()>) -> impl IntoView {
    let (id, version) = (row.id, row.version);
    let years = RwSignal::new(1u8);
    let confirm_delete = RwSignal::new(false);
    let ask = Action::new(move |(action, years): &(DomainJobAction, u8)| {
        request_domain_job(customer_id, id, version, *action, *years)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = ask.value().get() {
            on_saved.run(());
        }
    });
    let held = !row.status.ended() && !row.status.waiting();
    let retry = (row.status == DomainStatus::Error).then_some(match row.order {
        DomainOrder::Register => DomainJobAction::Register,
        DomainOrder::Transfer => DomainJobAction::Transfer,
    });
    view! {
        <div class="domain-requests" role="group" aria-label=t("domains.requests")>
            {held.then(|| view! {
                <div class="inline-form">
                    <label for=format!("domain-{id}-years")>{t("domains.years")}</label>
                    <select id=format!("domain-{id}-years") on:change=move |ev| years.set(event_target_value(&ev).parse().unwrap_or(1))>
                        {(1..=10u8).map(|y| view! { <option value=y.to_string() selected=move || years.get() == y>{y}</option> }).collect_view()}
                    </select>
                    <button type="button" class="button" disabled=move || ask.pending().get()
                        on:click=move |_| { ask.dispatch((DomainJobAction::Renew, years.get_untracked())); }>{t("domains.request.renew")}</button>
                    <button type="button" class="button quiet" disabled=move || ask.pending().get()
                        on:click=move |_| { ask.dispatch((DomainJobAction::Sync, 1)); }>{t("domains.request.sync")}</button>
                </div>
                <div class="inline-form">
                    <input id=format!("domain-{id}-delete-sure") type="checkbox" prop:checked=move || confirm_delete.get()
                        on:change=move |ev| confirm_delete.set(event_target_checked(&ev)) />
                    <label for=format!("domain-{id}-delete-sure")>{t("domains.delete_sure")}</label>
                    <button type="button" class="button danger" disabled=move || ask.pending().get() || !confirm_delete.get()
                        on:click=move |_| { ask.dispatch((DomainJobAction::Delete, 1)); }>{t("domains.request.delete")}</button>
                </div>
            })}
            {retry.map(|action| view! {
                <button type="button" class="button" disabled=move || ask.pending().get()
                    on:click=move |_| { ask.dispatch((action, 1)); }>{t("domains.request.retry")}</button>
            })}
            {move || ask.value().get().map(|r| match r {
                Ok(_) => view! { <p class="action-result" role="status">{t("domains.requested")}</p> }.into_any(),
                Err(e) => crate::customers::areas::data::actions::refusal(e),
            })}
        </div>
    }
}
