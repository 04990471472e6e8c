//! "Zurück · Seite 2 von 7 · Weiter": the links between the pages of a server-side paged list.
use crate::i18n::{t, translate_with, use_locale};
use leptos::prelude::*;

/// `link(p)` is the URL of page `p` (the list's filter carried along).
#[component]
pub fn Pager<F>(page: u32, pages: u32, link: F) -> impl IntoView
where
    F: Fn(u32) -> String + 'static,
{
    let locale = use_locale();
    let label =
        translate_with(locale, "list.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())]);
    view! {
        <nav class="pager" aria-label=t("list.pages")>
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t("list.prev")}</a> })}
            <span>{label}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t("list.next")}</a> })}
        </nav>
    }
}
