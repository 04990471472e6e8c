//! /settings/bank/{id}: an import. In preview it shows what booking would do (each line with
//! its proposed customer and invoices, lines known from an earlier file) and books or discards
//! it; afterwards it is the record of what each line became.
use super::api::{bank_import, book_bank_import, discard_bank_import};
use super::lines_view::{match_cell, statement_cells};
use super::model::*;
use super::state_key;
use crate::customers::areas::data::actions::refusal;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BankImportPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::PaymentsBook>
            <ImportView />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn ImportView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0)));
    let page =
        Memo::new(move |_| query.with(|q| q.get("page").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1)));
    let data = Resource::new(move || (id.get(), page.get()), |(id, page)| bank_import(id, page));
    let book = Action::new(move |id: &i32| book_bank_import(*id));
    let discard = Action::new(move |id: &i32| discard_bank_import(*id));
    Effect::new(move |_| {
        if book.value().get().is_some() || discard.value().get().is_some() {
            data.refetch();
        }
    });
    view! {
        <Title text=t("settings.bank.import_title") />
        <p><a href="/settings/bank">{t("settings.bank.back")}</a></p>
        <h1 class="page-title">{t("settings.bank.import_title")}</h1>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <Outcome book discard />
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Detail d book discard /> }.into_any(),
                    Err(e) => crate::ui::errors::error_view(e),
                }
            })}
        </Transition>
    }
}

type BookAction = Action<i32, Result<BookOutcome, crate::error::AppError>>;
type DiscardAction = Action<i32, Result<(), crate::error::AppError>>;

#[component]
fn Outcome(book: BookAction, discard: DiscardAction) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="action-result" role="status">
            {move || book.pending().get().then(|| view! { <p>{t("settings.bank.booking")}</p> })}
            {move || book.value().get().map(|r| match r {
                Ok(o) => {
                    let n = |v: u64| format::count(v, locale);
                    let text = translate_with(locale, "settings.bank.booked", &[
                        ("booked", &n(o.booked)), ("open", &n(o.open)), ("returned", &n(o.returned)),
                        ("ignored", &n(o.ignored)), ("known", &n(o.duplicates)),
                    ]);
                    view! { <p class="notice-ok">{text}</p> }.into_any()
                }
                Err(e) => refusal(e),
            })}
            {move || discard.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice-ok">{t("settings.bank.discarded")}</p> }.into_any(),
                Err(e) => refusal(e),
            })}
        </div>
    }
}

#[component]
fn Detail(d: ImportDetail, book: BookAction, discard: DiscardAction) -> impl IntoView {
    let locale = use_locale();
    let ImportDetail { import, counts, lines, page, pages, total } = d;
    let id = import.id;
    let preview = import.state == "preview";
    let n = move |v: u64| format::count(v, locale);
    let summary = translate_with(
        locale,
        if preview { "settings.bank.summary_preview" } else { "settings.bank.summary" },
        &[
            ("matched", &n(counts.matched)),
            ("unmatched", &n(counts.unmatched)),
            ("returns", &n(counts.returns)),
            ("debits", &n(counts.debits)),
            ("known", &n(counts.known)),
            ("credits", &format::cents(counts.credits_cents, locale)),
        ],
    );
    let busy = move || book.pending().get() || discard.pending().get();
    let actions = preview.then(|| {
        view! {
            <div class="editor-actions">
                <button type="button" class="button primary" disabled=busy on:click=move |_| { book.dispatch(id); }>
                    {t("settings.bank.book")}
                </button>
                <button type="button" class="button" disabled=busy on:click=move |_| { discard.dispatch(id); }>
                    {t("settings.bank.discard")}
                </button>
            </div>
        }
    });
    view! {
        <section class="panel" aria-labelledby="bank-import-head">
            <h2 id="bank-import-head">{import.file_name.clone()}</h2>
            <dl class="facts">
                <dt>{t("settings.bank.state")}</dt><dd data-import-state=import.state.clone()>{t(&state_key(&import.state))}</dd>
                <dt>{t("settings.bank.uploaded")}</dt>
                <dd>{format::date_time(&import.uploaded_at, locale)} " " {import.uploaded_by.clone()}</dd>
                <dt>{t("settings.bank.lines")}</dt><dd>{n(total)}</dd>
            </dl>
            <p class="summary">{summary}</p>
            {actions}
        </section>
        <section class="panel" aria-labelledby="bank-lines-title">
            <h2 id="bank-lines-title">{t("settings.bank.entries")}</h2>
            <crate::ui::panel::DataTable class="bank-lines" heads=&["settings.bank.day", "settings.bank.payer", "settings.bank.remittance", "settings.bank.amount", "settings.bank.match", "settings.bank.state"]>
                {lines.into_iter().map(|l| {
                    let state = if l.known { t("settings.bank.known") } else { t(&state_key(&l.state)) };
                    view! {
                        <tr data-line=l.id data-state=l.state.clone()>
                            {statement_cells(&l, locale)}
                            {match_cell(&l)}
                            <td>{state}{(!l.note.is_empty()).then(|| view! { <br /><span class="muted">{l.note.clone()}</span> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </crate::ui::panel::DataTable>
            <crate::ui::pager::Pager page pages link=move |p| format!("/settings/bank/{id}?page={p}") />
        </section>
    }
}
