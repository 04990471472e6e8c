//! /settings/audit: the audit log, filtered by act, staff member, days and text, in pages; the
//! filter is a plain GET form carried in the URL, so it works without JavaScript.
use super::audit_api::audit_log;
use crate::audit::model::{ACTIONS, AuditQuery};
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::AuditView>
            <AuditLog />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let locale = use_locale();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| AuditQuery {
            action: p.get("action").unwrap_or_default(),
            staff: p.get("staff").unwrap_or_default(),
            from: p.get("from").unwrap_or_default(),
            to: p.get("to").unwrap_or_default(),
            q: p.get("q").unwrap_or_default(),
            page: p.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        })
    });
    let results = Resource::new(move || query.get(), audit_log);
    let action_options = move || {
        let current = query.get().action;
        std::iter::once(("", t("audit.any_action")))
            .chain(ACTIONS.iter().map(|a| (*a, t(&format!("audit.action.{a}")))))
            .map(|(v, label)| view! { <option value=v selected=current == v>{label}</option> })
            .collect_view()
    };
    view! {
        <Title text=t("nav.audit") />
        <h1 class="page-title">{t("nav.audit")}</h1>
        <Form method="GET" action="/settings/audit" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="audit-action">{t("audit.action")}</label>
                <select id="audit-action" name="action">{action_options}</select>
            </div>
            <div class="field">
                <label for="audit-staff">{t("audit.staff")}</label>
                <Suspense fallback=|| view! { <select id="audit-staff" name="staff"></select> }>
                    {move || Suspend::new(async move {
                        let current = query.get_untracked().staff;
                        let staff = results.await.map(|p| p.staff).unwrap_or_default();
                        view! {
                            <select id="audit-staff" name="staff">
                                <option value="">{t("audit.any_staff")}</option>
                                {staff.into_iter().map(|(id, name)| {
                                    let selected = current == id.to_string();
                                    view! { <option value=id.to_string() selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            <div class="field">
                <label for="audit-from">{t("audit.from")}</label>
                <input id="audit-from" name="from" type="date" value=move || query.get().from />
            </div>
            <div class="field">
                <label for="audit-to">{t("audit.to")}</label>
                <input id="audit-to" name="to" type="date" value=move || query.get().to />
            </div>
            <div class="field grow">
                <label for="audit-q">{t("audit.search")}</label>
                <input id="audit-q" name="q" type="search" value=move || query.get().q />
            </div>
            <button type="submit" class="button primary">{t("list.submit")}</button>
        </Form>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                results.await.map(|page| {
                    let q = query.get_untracked();
                    let count = format::count(page.total, locale);
                    view! {
                        <p class="result-count" role="status">
                            {translate_with(locale, "audit.count", &[("count", &count)])}
                        </p>
                        <div class="table-wrap">
                            <table class="data-table audit-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("audit.at")}</th>
                                        <th scope="col">{t("audit.staff")}</th>
                                        <th scope="col">{t("log.ip")}</th>
                                        <th scope="col">{t("audit.action")}</th>
                                        <th scope="col">{t("audit.target")}</th>
                                        <th scope="col">{t("audit.change")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.rows.into_iter().map(|r| {
                                        let target = match r.customer_id {
                                            Some(id) => view! { <a href=format!("/customers/{id}/data")>{r.target.clone()}</a> }.into_any(),
                                            None => view! { <span>{r.target.clone()}</span> }.into_any(),
                                        };
                                        let change = match (r.before.is_empty(), r.after.is_empty()) {
                                            (true, true) => String::new(),
                                            (true, false) => r.after.clone(),
                                            _ => format!("{} → {}", r.before, r.after),
                                        };
                                        view! {
                                            <tr data-action=r.action.clone()>
                                                <td>{format::date_time(&r.at, locale)}</td>
                                                <td>{if r.staff_name.is_empty() { "—".to_string() } else { r.staff_name.clone() }}</td>
                                                <td>{r.ip.clone().unwrap_or_default()}</td>
                                                <td>{t(&format!("audit.action.{}", r.action))}</td>
                                                <td>{target}</td>
                                                <td class="muted">{change}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=page.page pages=page.pages link=move |p| format!("/settings/audit?{}", q.to_query_string(p)) />
                    }
                })
            })}
        </Transition>
    }
}
