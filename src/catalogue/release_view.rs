//! /settings/products/releases/:id: who gets this update. Staff land here after entering a
//! release: the customers whose update service covers it, in pages, and how many have let their
//! update service run out (they do not get it).
use super::api::release_recipients;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ReleasePage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsProducts>
            <Recipients />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn Recipients() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let release =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0)));
    let page =
        Memo::new(move |_| query.with(|q| q.get("page").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1)));
    let data = Resource::new(move || (release.get(), page.get()), |(id, page)| release_recipients(id, page));
    view! {
        <Title text=t("catalogue.recipients_title") />
        <p><a href="/settings/products">{t("catalogue.back")}</a></p>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => {
                        let id = release.get_untracked();
                        let heading = translate_with(locale, "catalogue.recipients_heading", &[("product", &r.product_name), ("version", &r.version)]);
                        view! {
                            <h1 class="page-title">{heading}</h1>
                            <p class="lead">{translate_with(locale, "catalogue.released_lead", &[("date", &format::date(&r.released_on, locale))])}</p>
                            <ReleaseFile id file_name=r.file_name.clone() file_size=r.file_size />
                            <p class="result-count" role="status">
                                <strong>{translate_with(locale, "catalogue.recipients_count", &[("count", &format::count(r.total, locale))])}</strong>
                            </p>
                            {(r.expired > 0).then(|| view! {
                                <p class="notice warning">{translate_with(locale, "catalogue.recipients_expired", &[("count", &format::count(r.expired, locale))])}</p>
                            })}
                            {if r.rows.is_empty() {
                                view! { <p class="empty">{t("catalogue.recipients_none")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data-table recipients">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t("field.number")}</th>
                                                    <th scope="col">{t("list.name")}</th>
                                                    <th scope="col">{t("products.key")}</th>
                                                    <th scope="col">{t("products.current_version")}</th>
                                                    <th scope="col">{t("products.updates_until")}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {r.rows.into_iter().map(|c| view! {
                                                    <tr>
                                                        <td class="customer-number"><a href=format!("/customers/{}/products", c.customer_id)>{c.number}</a></td>
                                                        <td>{c.name}</td>
                                                        <td class="licence-key">{c.key}</td>
                                                        <td>{c.current_version}</td>
                                                        <td>{format::date(&c.updates_until, locale)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            <crate::ui::pager::Pager page=r.page pages=r.pages link=move |p| format!("/settings/products/releases/{id}?page={p}") />
                        }.into_any()
                    }
                    Err(e) => crate::ui::errors::error_view(e),
                }
            })}
        </Transition>
    }
}

/// The release's download: the file customers with a covering licence fetch in the
/// self-service area, replaced by uploading another (a plain form, also without JavaScript).
#[component]
fn ReleaseFile(id: i32, file_name: String, file_size: i64) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let uploaded = move || query.with(|q| q.get("file").is_some());
    let current = if file_name.is_empty() {
        t("catalogue.no_file")
    } else {
        let size = format::size(file_size, locale);
        translate_with(locale, "catalogue.file_is", &[("name", &file_name), ("size", &size)])
    };
    view! {
        <section class="panel release-file" aria-labelledby="release-file-title">
            <h2 id="release-file-title">{t("catalogue.download")}</h2>
            {move || uploaded().then(|| view! { <p class="notice" role="status">{t("catalogue.file_saved")}</p> })}
            <p>{current}</p>
            <form class="editor" method="post" action=format!("/settings/releases/{id}/file") enctype="multipart/form-data">
                <div class="field">
                    <label for="release-file">{t("catalogue.choose_file")}</label>
                    <input id="release-file" type="file" name="file" required />
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary">{t("catalogue.upload_file")}</button>
                </div>
            </form>
        </section>
    }
}
