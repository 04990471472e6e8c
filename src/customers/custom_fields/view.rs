//! /settings/custom-fields: the operator defines extra master-data fields.
use super::api::{list_custom_fields, save_custom_field};
use super::model::*;
use crate::error::{AppError, FieldError};
use crate::i18n::{t, translate_with, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CustomFieldsPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsFields>
            <CustomFieldsSettings />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn CustomFieldsSettings() -> impl IntoView {
    let fields = Resource::new(|| (), |_| list_custom_fields());
    let editing = RwSignal::new(CustomFieldInput { kind: "text".into(), active: true, ..Default::default() });
    let form_key = RwSignal::new(0u32);
    let edit = move |input: CustomFieldInput| {
        editing.set(input);
        form_key.update(|k| *k += 1);
    };
    view! {
        <Title text=t("settings.fields.title") />
        <h1 class="page-title">{t("settings.fields.title")}</h1>
        <p class="lead">{t("settings.fields.lead")}</p>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                fields.await.map(|rows| view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("settings.fields.key")}</th>
                                    <th scope="col">{t("settings.fields.label_de")}</th>
                                    <th scope="col">{t("settings.fields.label_en")}</th>
                                    <th scope="col">{t("settings.fields.kind")}</th>
                                    <th scope="col">{t("settings.fields.state")}</th>
                                    <th scope="col">{t("settings.fields.used_by")}</th>
                                    <th scope="col"><span class="visually-hidden">{t("settings.fields.actions")}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|row| {
                                    let input = row.input.clone();
                                    view! {
                                        <tr>
                                            <td class="customer-number">{row.input.key.clone()}</td>
                                            <td>{row.input.label_de.clone()}</td>
                                            <td>{row.input.label_en.clone()}</td>
                                            <td>{t(&format!("settings.fields.kind.{}", row.input.kind))}</td>
                                            <td>
                                                {if row.input.active { t("settings.fields.active") } else { t("settings.fields.inactive") }}
                                                {row.input.required.then(|| view! { " · " {t("settings.fields.required")} })}
                                            </td>
                                            <td>{row.used_by}</td>
                                            <td>
                                                <button type="button" class="link" on:click=move |_| edit(input.clone())>
                                                    {t("settings.fields.edit")} " " {row.input.key.clone()}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            })}
        </Transition>
        {move || {
            form_key.get();
            view! { <FieldDefinitionForm start=editing.get_untracked() on_saved=Callback::new(move |_| {
                fields.refetch();
                edit(CustomFieldInput { kind: "text".into(), active: true, ..Default::default() });
            }) /> }
        }}
    }
}

#[component]
fn FieldDefinitionForm(start: CustomFieldInput, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let is_new = start.id.is_none();
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let save = Action::new(move |input: &CustomFieldInput| save_custom_field(input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            notice.set(Some(t("editor.saved")));
            on_saved.run(());
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(other)) => notice.set(Some(t(other.message_key()))),
        None => {}
    });
    let error = move |field: &'static str| {
        move || {
            errors.with(|errs| {
                errs.iter().find(|e| e.field == field).map(|e| {
                    let args: Vec<(&str, &str)> =
                        e.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    view! { <p class="field-error" role="alert">{translate_with(locale, &e.key, &args)}</p> }
                })
            })
        }
    };
    let text = move |field: &'static str, id: &'static str| {
        view! {
            <div class="field">
                <label for=id>{t(&format!("settings.fields.{field}"))}</label>
                <input id=id type="text"
                    prop:value=move || draft.with(|d| match field { "key" => d.key.clone(), "label_de" => d.label_de.clone(), _ => d.label_en.clone() })
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| match field { "key" => d.key = v, "label_de" => d.label_de = v, _ => d.label_en = v });
                    } />
                {error(field)}
            </div>
        }
    };
    view! {
        <section class="panel settings-form">
            <h2>{if is_new { t("settings.fields.new") } else { t("settings.fields.change") }}</h2>
            <form class="editor" on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); } novalidate>
                <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
                <div class="grid">
                    {text("key", "cf-key")}
                    {text("label_de", "cf-label-de")}
                    {text("label_en", "cf-label-en")}
                    <div class="field">
                        <label for="cf-kind">{t("settings.fields.kind")}</label>
                        <select id="cf-kind" prop:value=move || draft.with(|d| d.kind.clone())
                            on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.kind = v); }>
                            {KINDS.iter().map(|k| view! {
                                <option value=*k selected=move || draft.with(|d| d.kind == *k)>{t(&format!("settings.fields.kind.{k}"))}</option>
                            }).collect_view()}
                        </select>
                        {error("kind")}
                    </div>
                </div>
                <Show when=move || draft.with(|d| d.kind == "select")>
                    <div class="field">
                        <label for="cf-options">{t("settings.fields.options")}</label>
                        <textarea id="cf-options" rows="4" prop:value=move || draft.with(|d| d.options.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.options = v); }></textarea>
                        {error("options")}
                    </div>
                </Show>
                <div class="toggles">
                    <div class="toggle">
                        <input id="cf-required" type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.required)
                            on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.required = v); } />
                        <label for="cf-required">{t("settings.fields.required")}</label>
                    </div>
                    <div class="toggle">
                        <input id="cf-active" type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.active)
                            on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.active = v); } />
                        <label for="cf-active">{t("settings.fields.active")}</label>
                    </div>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </section>
    }
}
