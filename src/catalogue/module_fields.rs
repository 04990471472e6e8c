//! A provisioning module's settings as labelled fields (`provisioning::fields`) in the server and
//! package forms. They follow the chosen module; what no field names stays editable as JSON.
use crate::error::FieldError;
use crate::i18n::t;
use crate::provisioning::fields::{Kind, Scope, settings};
use crate::ui::messages::FieldMessage;
use leptos::prelude::*;

#[component]
pub fn ModuleFields(
    /// Makes the fields' ids unique on the page (`server-3`, `package-new`).
    id_prefix: String,
    scope: Scope,
    #[prop(into)] module: Signal<String>,
    #[prop(into)] values: Signal<Vec<(String, String)>>,
    on_change: Callback<(String, String)>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    move || {
        let list = settings(&module.get(), scope);
        if list.is_empty() {
            return view! { <p class="muted">{t("servers.no_settings")}</p> }.into_any();
        }
        list.iter()
            .map(|s| {
                let key = s.key;
                let id = format!("{id_prefix}-set-{key}");
                let hint = format!("{id}-hint");
                let value = move || {
                    values.with(|v| v.iter().find(|(k, _)| k == key).map(|(_, text)| text.clone()).unwrap_or_default())
                };
                let set = move |text: String| on_change.run((key.to_string(), text));
                let input = match s.kind {
                    Kind::Choice(words) => view! {
                        <select id=id.clone() aria-describedby=hint.clone() on:change=move |ev| set(event_target_value(&ev))>
                            <option value="" selected=move || value().is_empty()>{t("servers.setting_default")}</option>
                            {words.iter().map(|w| view! {
                                <option value=*w selected=move || value() == *w>{t(&format!("servers.setting.{key}.{w}"))}</option>
                            }).collect_view()}
                        </select>
                    }
                    .into_any(),
                    Kind::Hosts | Kind::Records | Kind::Pem => view! {
                        <textarea id=id.clone() rows="3" spellcheck="false" aria-describedby=hint.clone() prop:value=value
                            on:input=move |ev| set(event_target_value(&ev))></textarea>
                    }
                    .into_any(),
                    _ => view! {
                        <input id=id.clone() type="text" autocomplete="off" spellcheck="false" aria-describedby=hint.clone()
                            prop:value=value on:input=move |ev| set(event_target_value(&ev)) />
                    }
                    .into_any(),
                };
                view! {
                    <div class="field">
                        <label for=id>{t(&format!("servers.setting.{key}"))}</label>
                        {input}
                        <p id=hint class="hint">{t(&format!("servers.setting.{key}_hint"))}</p>
                        <FieldMessage errors field=format!("settings.{key}") />
                    </div>
                }
            })
            .collect_view()
            .into_any()
    }
}
