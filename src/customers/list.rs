//! "Kunden > Auflisten" at /customers: search, filters, sort and pages, all carried in the
//! URL so a search can be reloaded and shared; a plain GET form, so it works without JS.
use crate::customers::api::{customer_form_meta, search_customers};
use crate::customers::model::*;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::CustomersView>
            <CustomerList />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn CustomerList() -> impl IntoView {
    let locale = use_locale();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| ListQuery {
            q: p.get("q").unwrap_or_default(),
            status: p.get("status").unwrap_or_default(),
            group: p.get("group").unwrap_or_default(),
            reseller: p.get("reseller").unwrap_or_default(),
            sort: p.get("sort").unwrap_or_default(),
            dir: p.get("dir").unwrap_or_default(),
            page: p.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        })
    });
    let results = Resource::new(move || query.get(), search_customers);
    let meta = Resource::new(|| (), |_| customer_form_meta());

    let sort_link = move |column: &'static str| {
        let q = query.get();
        let dir = if q.sort == column && q.dir != "desc" { "desc" } else { "asc" };
        let next = ListQuery { sort: column.into(), dir: dir.into(), ..q };
        format!("/customers?{}", next.to_query_string(1))
    };
    let sort_mark = move |column: &'static str| {
        let q = query.get();
        let active = q.sort == column || (q.sort.is_empty() && column == "name");
        match (active, q.dir == "desc") {
            (false, _) => "",
            (true, false) => " ▲",
            (true, true) => " ▼",
        }
    };
    let status_options = move || {
        let current = query.get().status;
        std::iter::once(("", t("filter.any_status")))
            .chain(CustomerStatus::ALL.iter().map(|s| (s.as_str(), t(&format!("choice.status.{s}")))))
            .map(|(v, label)| view! { <option value=v selected=current == v>{label}</option> })
            .collect_view()
    };
    let reseller_options = move || {
        let current = query.get().reseller;
        [("", "filter.any_reseller"), ("yes", "filter.resellers"), ("no", "filter.no_resellers")]
            .into_iter()
            .map(|(v, key)| view! { <option value=v selected=current == v>{t(key)}</option> })
            .collect_view()
    };

    view! {
        <Title text=t("list.title") />
        <h1 class="page-title">{t("list.title")}</h1>
        <Form method="GET" action="/customers" attr:class="filters" attr:role="search">
            <div class="field grow">
                <label for="list-q">{t("list.search")}</label>
                <input id="list-q" name="q" type="search" value=move || query.get().q prop:value=move || query.get().q
                    placeholder=t("list.search_hint") />
            </div>
            <div class="field">
                <label for="list-status">{t("field.status")}</label>
                <select id="list-status" name="status">{status_options}</select>
            </div>
            <div class="field">
                <label for="list-group">{t("field.group_id")}</label>
                <Suspense fallback=|| view! { <select id="list-group" name="group"></select> }>
                    {move || Suspend::new(async move {
                        let current = query.get_untracked().group;
                        let groups = meta.await.map(|m| m.groups).unwrap_or_default();
                        view! {
                            <select id="list-group" name="group">
                                <option value="">{t("filter.any_group")}</option>
                                {groups.into_iter().map(|g| {
                                    let selected = current == g.id.to_string();
                                    view! { <option value=g.id.to_string() selected=selected>{g.name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            <div class="field">
                <label for="list-reseller">{t("filter.reseller")}</label>
                <select id="list-reseller" name="reseller">{reseller_options}</select>
            </div>
            <input type="hidden" name="sort" value=move || query.get().sort />
            <input type="hidden" name="dir" value=move || query.get().dir />
            <button type="submit" class="button primary">{t("list.submit")}</button>
        </Form>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                results.await.map(|page| {
                    let q = query.get_untracked();
                    let count = format::count(page.total, locale);
                    view! {
                        <p class="result-count" role="status">
                            {translate_with(
                                locale,
                                if page.total_capped { "list.count_more" } else { "list.count" },
                                &[("count", &count)],
                            )}
                        </p>
                        <div class="table-wrap">
                            <table class="data-table">
                                <thead>
                                    <tr>
                                        <th scope="col"><a href=sort_link("number")>{t("field.number")}{sort_mark("number")}</a></th>
                                        <th scope="col"><a href=sort_link("name")>{t("list.name")}{sort_mark("name")}</a></th>
                                        <th scope="col">{t("field.company")}</th>
                                        <th scope="col">{t("field.email")}</th>
                                        <th scope="col"><a href=sort_link("city")>{t("list.place")}{sort_mark("city")}</a></th>
                                        <th scope="col">{t("field.group_id")}</th>
                                        <th scope="col">{t("field.status")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.rows.into_iter().map(|row| view! { <ListRowView row /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=page.page pages=page.pages link=move |p| format!("/customers?{}", q.to_query_string(p)) />
                    }
                })
            })}
        </Transition>
    }
}

#[component]
fn ListRowView(row: ListRow) -> impl IntoView {
    let href = format!("/customers/{}/data", row.id);
    let status = row.status;
    view! {
        <tr>
            <td><a href=href.clone() class="customer-number">{row.number}</a></td>
            <td><a href=href>{row.name}</a></td>
            <td>{row.company}</td>
            <td>{row.email}</td>
            <td>{format!("{} {}", row.postcode, row.city)}</td>
            <td>{row.group_name.unwrap_or_default()}</td>
            <td>
                <span class=format!("badge status-{status}")>{t(&format!("choice.status.{status}"))}</span>
                {row.is_reseller.then(|| view! { " " <span class="badge">{t("field.is_reseller")}</span> })}
            </td>
        </tr>
    }
}
