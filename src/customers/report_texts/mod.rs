//! The operator's Art. 15 texts of the data report (/settings/report-texts), per language.
pub mod api;

use crate::error::AppError;
use crate::i18n::t;
use crate::records::model::{REPORT_TOPICS, ReportTexts};
use crate::ui::messages::FieldMessage;
use api::{load_report_texts, save_report_texts};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReportTextsPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsTexts>
            <ReportTextsSettings />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn ReportTextsSettings() -> impl IntoView {
    let language = RwSignal::new("de".to_string());
    let texts = Resource::new(move || language.get(), load_report_texts);
    view! {
        <Title text=t("settings.report_texts.title") />
        <h1 class="page-title">{t("settings.report_texts.title")}</h1>
        <p class="lead">{t("settings.report_texts.lead")}</p>
        <div class="field inline">
            <label for="texts-language">{t("field.language")}</label>
            <select id="texts-language" on:change=move |ev| language.set(event_target_value(&ev))>
                <option value="de" selected>{t("choice.language.de")}</option>
                <option value="en">{t("choice.language.en")}</option>
            </select>
        </div>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match texts.await {
                    Ok(current) => view! { <TextsForm current /> }.into_any(),
                    Err(e) => crate::ui::errors::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn TextsForm(current: ReportTexts) -> impl IntoView {
    let language = current.language.clone();
    let values: Vec<(String, RwSignal<String>)> =
        current.texts.into_iter().map(|(topic, text)| (topic, RwSignal::new(text))).collect();
    let fields = values.clone();
    let save = Action::new(move |input: &ReportTexts| save_report_texts(input.clone()));
    let errors = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        errors.set(match save.value().get() {
            Some(Err(AppError::Validation(e))) => e,
            _ => Vec::new(),
        })
    });
    view! {
        <form class="editor" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let texts = values.iter().map(|(topic, v)| (topic.clone(), v.get_untracked())).collect();
            save.dispatch(ReportTexts { language: language.clone(), texts });
        }>
            {REPORT_TOPICS.into_iter().filter_map(|topic| {
                let value = fields.iter().find(|(t, _)| t == topic)?.1;
                let id = format!("text-{topic}");
                Some(view! {
                    <div class="field">
                        <label for=id.clone()>{t(&format!("report.topic.{topic}"))}</label>
                        <textarea id=id rows="4" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                        <FieldMessage errors field=topic />
                    </div>
                })
            }).collect_view()}
            <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <p class="notice-ok" role="status">{t("settings.report_texts.saved")}</p> }.into_any()),
                Some(Err(AppError::Validation(_))) | None => None,
                Some(Err(e)) => Some(crate::customers::areas::data::actions::refusal(e)),
            }}
        </form>
    }
}
