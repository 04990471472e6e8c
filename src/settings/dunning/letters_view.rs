//! "Briefe zu drucken": the notices to be sent by letter that wait to be printed, oldest
//! first, each with its PDF and a button to mark it printed.
use super::Pages;
use super::api::{dunning_letters, mark_letter_printed};
use super::levels_view::level_name;
use super::model::*;
use crate::customers::areas::data::actions::refusal;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;

/// `stale` changes when letters may have been added (a run started here).
#[component]
pub fn LettersPanel(pages: Pages, stale: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(move || (pages.letters.get(), stale.get()), |(page, _)| dunning_letters(page));
    let mark = Action::new(move |id: &i32| mark_letter_printed(*id));
    Effect::new(move |_| {
        // Printed by someone else meanwhile (false) is gone from the list too.
        if let Some(Ok(_)) = mark.value().get() {
            data.refetch();
        }
    });
    view! {
        <section class="panel" aria-labelledby="letters-title">
            <h2 id="letters-title">{t("settings.dunning.letters")}</h2>
            <p class="muted">{t("settings.dunning.letters_hint")}</p>
            <div role="status">{move || mark.value().get().and_then(|r| r.err()).map(refusal)}</div>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) if p.total == 0 => {
                            view! { <p class="empty">{t("settings.dunning.no_letters")}</p> }.into_any()
                        }
                        Ok(p) => view! {
                            <p class="muted">
                                {translate_with(locale, "settings.dunning.letters_count", &[("count", &format::count(p.total, locale))])}
                            </p>
                            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="letters-title">
                                <table class="data-table letters">
                                    <thead><tr>
                                        <th scope="col">{t("settings.dunning.customer")}</th>
                                        <th scope="col">{t("settings.dunning.invoice")}</th>
                                        <th scope="col">{t("settings.dunning.level")}</th>
                                        <th scope="col">{t("settings.dunning.issued_on")}</th>
                                        <th scope="col"><span class="visually-hidden">{t("settings.billing.actions")}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| view! { <LetterLine r mark /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <crate::ui::pager::Pager page=p.page pages=p.pages
                                link=move |l| Pages::link(pages.rates.get_untracked(), l) />
                        }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LetterLine(r: LetterRow, mark: Action<i32, Result<bool, crate::error::AppError>>) -> impl IntoView {
    let locale = use_locale();
    let level = level_name(r.level);
    // Names the letter for screen readers: "1. Mahnung zu RE-2026-00012, K-10042".
    let what = format!("{level} {} {}", r.invoice_number, r.customer_number);
    let pdf = if r.archived {
        let label = translate_with(locale, "settings.dunning.pdf_of", &[("letter", &what)]);
        // The fee document goes into the same envelope.
        let fee = r.fee_invoice_id.map(|fee| {
            let label = translate_with(locale, "settings.dunning.fee_pdf_of", &[("letter", &what)]);
            view! {
                " " <a class="button small quiet" rel="external" aria-label=label
                    href=format!("/documents/customers/{}/invoices/{fee}/pdf", r.customer_id)>{t("settings.dunning.fee_pdf")}</a>
            }
        });
        view! {
            <a class="button small quiet" rel="external" aria-label=label
                href=format!("/documents/customers/{}/dunning/{}/pdf", r.customer_id, r.id)>"PDF"</a>
            {fee}
        }
        .into_any()
    } else {
        view! { <span class="muted">{t("settings.dunning.pdf_pending")}</span> }.into_any()
    };
    let (id, archived) = (r.id, r.archived);
    view! {
        <tr data-letter=r.id>
            <td>
                <a href=format!("/customers/{}", r.customer_id)>{r.customer_number.clone()}</a>
                " " {r.customer_name.clone()}
            </td>
            <td>{r.invoice_number.clone()}</td>
            <td>{level.clone()}</td>
            <td>{format::date(&r.issued_on, locale)}</td>
            <td>
                {pdf}
                " "
                <button type="button" class="button small" disabled=move || !archived || mark.pending().get()
                    on:click=move |_| { mark.dispatch(id); }>
                    {t("settings.dunning.mark_printed")}<span class="visually-hidden">": " {what.clone()}</span>
                </button>
            </td>
        </tr>
    }
}
