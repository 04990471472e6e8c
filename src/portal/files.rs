//! /portal/files: the files staff released to the customer and that have not expired, in pages,
//! each a download (a plain link: it works without JavaScript). The download itself is
//! `GET /portal/files/{id}`, which logs it with the address.
use crate::codec::Json;
use crate::customers::areas::files::model::PortalFilePage;
use crate::error::AppError;
use crate::i18n::{t, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "portal_files", input = Json, output = Json)]
pub async fn portal_files(page: u32) -> Result<PortalFilePage, AppError> {
    let me = super::require_right(crate::customers::areas::contacts::model::PortalRight::Files)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::files::service::for_portal(db, me.customer_id, page).await
}

#[component]
pub fn PortalFilesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), portal_files);
    view! {
        <Title text=t("portal.files") />
        <h1 class="page-title">{t("portal.files")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("portal.no_files")}</p> }.into_any(),
                    Ok(p) => view! {
                        <div class="table-wrap">
                            <table class="data-table portal-files">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("files.name")}</th>
                                        <th scope="col">{t("files.size")}</th>
                                        <th scope="col">{t("files.uploaded")}</th>
                                        <th scope="col">{t("files.available_until")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows.into_iter().map(|f| {
                                        let name = f.name.clone();
                                        view! {
                                            <tr data-file=f.name.clone()>
                                                <td><a href=format!("/portal/files/{}", f.id) download=name rel="external">{f.name.clone()}</a></td>
                                                <td>{format::size(f.size, locale)}</td>
                                                <td>{format::date(&f.uploaded_at, locale)}</td>
                                                <td>{if f.expires_on.is_empty() { t("files.no_expiry") } else { format::date(&f.expires_on, locale) }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=p.page pages=p.pages link=|n| format!("/portal/files?page={n}") />
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}
