//! "SEPA-Lastschriften": collect the open invoices due by a day from the customers with a
//! mandate into a pain.008 file for the bank, and the files made (each to download again).
use super::Pages;
use super::sepa_api::{collect_direct_debits, sepa_collections};
use crate::customers::areas::data::actions::refusal;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;

#[component]
pub fn SepaPanel(pages: Pages) -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(move || pages.collections.get(), sepa_collections);
    let day = RwSignal::new(String::new());
    let collect = Action::new(move |d: &String| collect_direct_debits(d.clone()));
    Effect::new(move |_| {
        if matches!(collect.value().get(), Some(Ok(_))) {
            data.refetch();
        }
    });
    view! {
        <section class="panel" aria-labelledby="sepa-title">
            <h2 id="sepa-title">{t("sepa.collections")}</h2>
            <p class="muted">{t("sepa.collections_hint")}</p>
            <div class="action-result" role="status">
                {move || collect.value().get().map(|r| match r {
                    Ok(o) if o.collection_id.is_none() => view! { <p class="notice">{t("sepa.nothing_due")}</p> }.into_any(),
                    Ok(o) => {
                        let text = translate_with(locale, "sepa.collected", &[
                            ("count", &format::count(o.count, locale)),
                            ("amount", &format::cents(o.total_cents, locale)),
                        ]);
                        let href = format!("/bank/sepa/{}", o.collection_id.unwrap_or_default());
                        view! { <p class="notice-ok">{text} " " <a href=href rel="external" download>{t("sepa.download")}</a></p> }.into_any()
                    }
                    Err(e) => refusal(e),
                })}
            </div>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => {
                            let earliest = p.earliest.clone();
                            if day.get_untracked().is_empty() {
                                day.set(earliest.clone());
                            }
                            view! {
                                {(!p.creditor_ready).then(|| view! { <p class="notice">{t("sepa.creditor_missing")}</p> })}
                                <form class="editor inline-form" on:submit=move |ev| { ev.prevent_default(); collect.dispatch(day.get()); }>
                                    <div class="field">
                                        <label for="sepa-date">{t("sepa.collection_date")}</label>
                                        <input id="sepa-date" type="date" required min=earliest
                                            prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) />
                                    </div>
                                    <button type="submit" class="button primary" disabled=move || collect.pending().get() || !p.creditor_ready>
                                        {t("sepa.collect")}
                                    </button>
                                </form>
                                {(p.total > 0).then(|| view! {
                                    <crate::ui::panel::DataTable class="sepa-collections" heads=&["sepa.message_id", "sepa.collection_date", "sepa.count", "sepa.total", "sepa.created"]>
                                        {p.rows.into_iter().map(|c| view! {
                                            <tr data-collection=c.id>
                                                <td><a href=format!("/bank/sepa/{}", c.id) rel="external" download>{c.message_id.clone()}</a></td>
                                                <td>{format::date(&c.collection_date, locale)}</td>
                                                <td>{c.count}</td>
                                                <td class="num">{format::cents(c.total_cents, locale)}</td>
                                                <td>{format::date_time(&c.created_at, locale)} " " <span class="muted">{c.created_by.clone()}</span></td>
                                            </tr>
                                        }).collect_view()}
                                    </crate::ui::panel::DataTable>
                                    <crate::ui::pager::Pager page=p.page pages=p.pages
                                        link=move |n| Pages::link_with(pages.open.get_untracked(), pages.imports.get_untracked(), n) />
                                })}
                            }.into_any()
                        }
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}
