//! The four dunning levels as one form: a table row per level, then each level's own text.
//! Saved all at once; a level someone else saved meanwhile refuses the save.
use super::api::{dunning_levels, save_dunning_levels};
use super::model::*;
use crate::i18n::{Locale, t, use_locale};
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;

type ReadText = fn(&LevelInput) -> String;
type WriteText = fn(&mut LevelInput, String);
type ReadFlag = fn(&LevelInput) -> bool;
type WriteFlag = fn(&mut LevelInput, bool);

/// "Zahlungserinnerung", "1. Mahnung", ... as the invoices list names the notices.
pub fn level_name(level: i32) -> String {
    t(&format!("invoices.dunning_level.{level}"))
}

/// The label of one cell's field: its column and its level ("Tage nach Fälligkeit – 1. Mahnung").
fn cell_label(name: &str, level: i32) -> String {
    format!("{} – {}", t(&format!("settings.dunning.{name}")), level_name(level))
}

#[component]
pub fn LevelsPanel() -> impl IntoView {
    let data = Resource::new(|| (), |_| dunning_levels());
    view! {
        <section class="panel" aria-labelledby="levels-title">
            <h2 id="levels-title">{t("settings.dunning.levels")}</h2>
            <ul class="muted">
                <li>{t("settings.dunning.note_reminder")}</li>
                <li>{t("settings.dunning.note_first_free")}</li>
                <li>{t("settings.dunning.note_flat")}</li>
            </ul>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <LevelsForm start=rows /> }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LevelsForm(start: Vec<LevelRow>) -> impl IntoView {
    let decimal = if use_locale() == Locale::De { ',' } else { '.' };
    let shown = move |rows: &[LevelRow]| rows.iter().map(|r| LevelInput::of(r, decimal)).collect::<Vec<_>>();
    let levels: Vec<i32> = start.iter().map(|r| r.level).collect();
    let draft = RwSignal::new(shown(start.as_slice()));
    let save = Action::new(move |d: &Vec<LevelInput>| save_dunning_levels(d.clone()));
    Effect::new(move |_| {
        if let Some(Ok(rows)) = save.value().get() {
            // The new versions, and the amounts as stored ("2,5" → "2,50").
            draft.set(shown(rows.as_slice()));
        }
    });
    let SaveResult { errors, notice } = use_save_result(
        save,
        "settings.billing.conflict",
        Some("settings.billing.invalid"),
        Callback::new(|_| ()),
    );
    let text_cell = move |i: usize,
                          level: i32,
                          name: &'static str,
                          get: ReadText,
                          set: WriteText,
                          mode: &'static str| {
        let id = format!("level-{level}-{name}");
        view! {
            <td>
                <label class="visually-hidden" for=id.clone()>{cell_label(name, level)}</label>
                <input id=id type="text" inputmode=mode autocomplete="off" size="6"
                    prop:value=move || draft.with(|d| get(&d[i]))
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(&mut d[i], v)); } />
                <FieldMessage errors field=level_field(level, name) />
            </td>
        }
    };
    let check_cell = move |i: usize, level: i32, name: &'static str, get: ReadFlag, set: WriteFlag| {
        let id = format!("level-{level}-{name}");
        view! {
            <td>
                <input id=id.clone() type="checkbox" prop:checked=move || draft.with(|d| get(&d[i]))
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| set(&mut d[i], v)); } />
                <label class="visually-hidden" for=id>{cell_label(name, level)}</label>
                <FieldMessage errors field=level_field(level, name) />
            </td>
        }
    };
    let rows = levels.iter().enumerate().map(|(i, &level)| {
        view! {
            <tr data-level=level>
                <th scope="row">{level_name(level)}</th>
                {check_cell(i, level, "active", |l| l.active, |l, v| l.active = v)}
                {text_cell(i, level, "days", |l| l.days.clone(), |l, v| l.days = v, "numeric")}
                {text_cell(i, level, "fee_business", |l| l.fee_business.clone(), |l, v| l.fee_business = v, "decimal")}
                {text_cell(i, level, "fee_consumer", |l| l.fee_consumer.clone(), |l, v| l.fee_consumer = v, "decimal")}
                {text_cell(i, level, "pay_days", |l| l.pay_days.clone(), |l, v| l.pay_days = v, "numeric")}
                {check_cell(i, level, "by_mail", |l| l.by_mail, |l, v| l.by_mail = v)}
                {check_cell(i, level, "by_letter", |l| l.by_letter, |l, v| l.by_letter = v)}
            </tr>
        }
    }).collect_view();
    let texts = levels.iter().enumerate().map(|(i, &level)| {
        let id = format!("level-{level}-text");
        view! {
            <div class="field">
                <label for=id.clone()>{cell_label("text", level)}</label>
                <textarea id=id rows="4" placeholder=t("settings.dunning.text_placeholder")
                    prop:value=move || draft.with(|d| d[i].text.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d[i].text = v); }></textarea>
                <FieldMessage errors field=level_field(level, "text") />
            </div>
        }
    }).collect_view();
    view! {
        <form class="editor levels-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(draft.get_untracked());
        }>
            <div class="table-wrap">
                <table class="data-table dunning-levels" aria-labelledby="levels-title">
                    <thead><tr>
                        <th scope="col">{t("settings.dunning.level")}</th>
                        <th scope="col">{t("settings.dunning.active")}</th>
                        <th scope="col">{t("settings.dunning.days")}</th>
                        <th scope="col">{t("settings.dunning.fee_business")}</th>
                        <th scope="col">{t("settings.dunning.fee_consumer")}</th>
                        <th scope="col">{t("settings.dunning.pay_days")}</th>
                        <th scope="col">{t("settings.dunning.by_mail")}</th>
                        <th scope="col">{t("settings.dunning.by_letter")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="hint">{t("settings.dunning.fee_hint")}</p>
            <fieldset class="plain">
                <legend>{t("settings.dunning.texts")}</legend>
                {texts}
            </fieldset>
            <FieldMessage errors field="levels" />
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
