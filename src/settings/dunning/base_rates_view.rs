//! The base rate of § 247 BGB: the dated rates, newest first, a form to add the next one, and
//! removing one that has not started.
use super::Pages;
use super::api::{add_base_rate, delete_base_rate, dunning_base_rates};
use super::model::*;
use crate::customers::areas::data::actions::refusal;
use crate::i18n::{Locale, t, use_locale};
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;

/// -88 → "−0,88 %" (de) or "−0.88 %" (en), with a real minus sign.
fn percent(bp: i32, locale: Locale) -> String {
    let decimal = if locale == Locale::En { '.' } else { ',' };
    let text = crate::billing::amount::scaled_text(i64::from(bp), 2, 2, decimal);
    format!("{} %", text.replace('-', "\u{2212}"))
}

#[component]
pub fn BaseRatesPanel(pages: Pages) -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(move || pages.rates.get(), dunning_base_rates);
    let refresh = Callback::new(move |_: ()| data.refetch());
    let delete = Action::new(move |from: &String| delete_base_rate(from.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            data.refetch();
        }
    });
    view! {
        <section class="panel" aria-labelledby="base-rates-title">
            <h2 id="base-rates-title">{t("settings.dunning.base_rates")}</h2>
            <p class="muted">{t("settings.dunning.base_rates_hint")}</p>
            <details class="compose">
                <summary class="button">{t("settings.dunning.rate_new")}</summary>
                <BaseRateForm on_saved=refresh />
            </details>
            <div role="status">{move || delete.value().get().and_then(|r| r.err()).map(refusal)}</div>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="base-rates-title">
                                <table class="data-table base-rates">
                                    <thead><tr>
                                        <th scope="col">{t("settings.dunning.valid_from")}</th>
                                        <th scope="col" class="num">{t("settings.dunning.rate")}</th>
                                        <th scope="col">{t("settings.billing.rate_state")}</th>
                                        <th scope="col"><span class="visually-hidden">{t("settings.billing.actions")}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| {
                                            let state = match r.state {
                                                RateState::Current => "current",
                                                RateState::Replaced => "replaced",
                                                RateState::Future => "future",
                                            };
                                            let day = crate::ui::format::date(&r.valid_from, locale);
                                            let from = r.valid_from.clone();
                                            view! {
                                                <tr data-base-rate=r.valid_from.clone()>
                                                    <td>{day.clone()}</td>
                                                    <td class="num">{percent(r.rate_bp, locale)}</td>
                                                    <td>{t(&format!("settings.billing.rate_{state}"))}</td>
                                                    <td>
                                                        {(r.state == RateState::Future).then(|| view! {
                                                            <button type="button" class="link" disabled=move || delete.pending().get()
                                                                on:click=move |_| { delete.dispatch(from.clone()); }>
                                                                {t("settings.billing.rate_delete")}<span class="visually-hidden">" " {day.clone()}</span>
                                                            </button>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <crate::ui::pager::Pager page=p.page pages=p.pages
                                link=move |r| Pages::link(r, pages.letters.get_untracked()) />
                        }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn BaseRateForm(on_saved: Callback<()>) -> impl IntoView {
    let draft = RwSignal::new(BaseRateInput::default());
    let save = Action::new(move |r: &BaseRateInput| add_base_rate(r.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "settings.billing.conflict", None, on_saved);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            draft.set(BaseRateInput::default());
        }
    });
    view! {
        <form class="editor base-rate-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for="base-rate-valid-from">{t("settings.dunning.valid_from")}</label>
                    <input id="base-rate-valid-from" type="date" autocomplete="off"
                        prop:value=move || draft.with(|d| d.valid_from.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.valid_from = v); } />
                    <FieldMessage errors field="valid_from" />
                </div>
                <div class="field">
                    <label for="base-rate-rate">{t("settings.dunning.rate")}</label>
                    <input id="base-rate-rate" type="text" inputmode="decimal" autocomplete="off"
                        aria-describedby="base-rate-rate-hint"
                        prop:value=move || draft.with(|d| d.rate.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.rate = v); } />
                    <p id="base-rate-rate-hint" class="hint">{t("settings.dunning.rate_hint")}</p>
                    <FieldMessage errors field="rate" />
                </div>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
