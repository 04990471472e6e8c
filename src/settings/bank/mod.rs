//! /settings/bank (Bankimport): upload a bank statement (CAMT.053, MT940) to see what it would
//! book, book it, assign the payments nobody was found for, and the imports made. An import's
//! own page (/settings/bank/{id}) is its preview, then its record.
pub mod api;
mod import_view;
mod lines_view;
pub mod model;
mod open_view;
pub mod sepa_api;
mod sepa_view;

#[cfg(feature = "ssr")]
pub mod sepa_service;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod upload;

pub use import_view::BankImportPage;

use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use api::bank_imports;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use open_view::OpenPaymentsPanel;
use sepa_view::SepaPanel;

#[component]
pub fn BankPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::PaymentsBook>
            <BankView />
        </crate::auth::guard::Guard>
    }
}

/// The page numbers of the three paged lists, from the URL (`?open=2&imports=3&collections=1`).
#[derive(Clone, Copy)]
pub struct Pages {
    pub open: Memo<u32>,
    pub imports: Memo<u32>,
    pub collections: Memo<u32>,
}

impl Pages {
    fn from_query() -> Pages {
        let query = use_query_map();
        let page = move |name: &'static str| {
            Memo::new(move |_| query.with(|q| q.get(name).and_then(|p| p.parse().ok()).unwrap_or(1u32)))
        };
        Pages { open: page("open"), imports: page("imports"), collections: page("collections") }
    }

    pub fn link(open: u32, imports: u32) -> String {
        format!("/settings/bank?open={open}&imports={imports}")
    }

    pub fn link_with(open: u32, imports: u32, collections: u32) -> String {
        format!("/settings/bank?open={open}&imports={imports}&collections={collections}")
    }
}

#[component]
fn BankView() -> impl IntoView {
    let pages = Pages::from_query();
    view! {
        <Title text=t("nav.bank") />
        <h1 class="page-title">{t("nav.bank")}</h1>
        <p class="lead">{t("settings.bank.lead")}</p>
        <UploadPanel />
        <OpenPaymentsPanel pages />
        <ImportsPanel pages />
        <SepaPanel pages />
    }
}

/// A plain multipart form: works without JavaScript; the server answers with the preview.
#[component]
fn UploadPanel() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="bank-upload-title">
            <h2 id="bank-upload-title">{t("settings.bank.upload_title")}</h2>
            <form class="editor upload-form" method="post" action="/bank/imports" enctype="multipart/form-data">
                <div class="field">
                    <label for="bank-file">{t("settings.bank.file")}</label>
                    <input id="bank-file" type="file" name="file" required accept=".xml,.sta,.mt940,.txt,.940"
                        aria-describedby="bank-file-hint" />
                    <p id="bank-file-hint" class="hint">{t("settings.bank.file_hint")}</p>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary">{t("settings.bank.preview")}</button>
                </div>
            </form>
        </section>
    }
}

/// The key of an import's or a line's state.
pub fn state_key(state: &str) -> String {
    format!("settings.bank.state.{state}")
}

#[component]
fn ImportsPanel(pages: Pages) -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(move || pages.imports.get(), bank_imports);
    view! {
        <section class="panel" aria-labelledby="bank-imports-title">
            <h2 id="bank-imports-title">{t("settings.bank.imports")}</h2>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) if p.total == 0 => view! { <p class="empty">{t("settings.bank.no_imports")}</p> }.into_any(),
                        Ok(p) => view! {
                            <crate::ui::panel::DataTable class="bank-imports" heads=&["settings.bank.file", "settings.bank.uploaded", "settings.bank.lines", "settings.bank.state"]>
                                {p.rows.into_iter().map(|r| view! {
                                    <tr data-import=r.id>
                                        <td><a href=format!("/settings/bank/{}", r.id)>{r.file_name.clone()}</a>
                                            " " <span class="muted">{if r.format == "mt940" { "MT940" } else { "CAMT.053" }}</span></td>
                                        <td>{format::date_time(&r.uploaded_at, locale)} " " <span class="muted">{r.uploaded_by.clone()}</span></td>
                                        <td>{format::count(r.line_count.max(0) as u64, locale)}</td>
                                        <td>{t(&state_key(&r.state))}</td>
                                    </tr>
                                }).collect_view()}
                            </crate::ui::panel::DataTable>
                            <p class="muted">{translate_with(locale, "settings.bank.imports_count", &[("count", &format::count(p.total, locale))])}</p>
                            <crate::ui::pager::Pager page=p.page pages=p.pages
                                link=move |n| Pages::link(pages.open.get_untracked(), n) />
                        }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}
