//! The form of what a module talks to (a server, a registrar): name, module, address, account,
//! the write-only secret and the module's settings as fields; and its "Verbindung testen".
use super::module_fields::ModuleFields;
use super::registrars_api::{save_registrar, test_registrar};
use super::server_model::ServerInput;
use super::servers_api::{save_server, test_server};
use crate::i18n::t;
use crate::provisioning::fields::{self, Scope};
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;

/// The element id prefix and the translation keys' prefix of a scope.
fn noun(scope: Scope) -> (&'static str, &'static str) {
    match scope {
        Scope::Registrar => ("registrar", "registrars"),
        _ => ("server", "servers"),
    }
}

/// Asks the module whether it reaches the server or registry with the stored credential.
#[component]
pub fn TestButton(id: i32, name: String, scope: Scope) -> impl IntoView {
    let test = Action::new(move |_: &()| async move {
        match scope {
            Scope::Registrar => test_registrar(id).await,
            _ => test_server(id).await,
        }
    });
    view! {
        <button type="button" class="button" on:click=move |_| { test.dispatch(()); } disabled=move || test.pending().get()>
            {t("servers.test")}<span class="visually-hidden">" " {name}</span>
        </button>
        <span class="test-result" role="status">
            {move || test.value().get().map(|r| match r {
                Ok(Ok(answer)) => view! { <span class="ok">{t("servers.test_ok")} " " {answer}</span> }.into_any(),
                Ok(Err(why)) => view! { <span class="error">{t("servers.test_failed")} " " {why}</span> }.into_any(),
                Err(e) => crate::ui::errors::error_view(e),
            })}
        </span>
    }
}

/// The form of a server (`Scope::Server`) or a registrar (`Scope::Registrar`).
#[component]
pub fn ConnectionForm(
    start: ServerInput,
    modules: Vec<String>,
    has_secret: bool,
    scope: Scope,
    on_saved: Callback<()>,
) -> impl IntoView {
    let key = start.id;
    let (kind, keys) = noun(scope);
    let stored = StoredValue::new(start.settings.clone());
    let draft = RwSignal::new(ServerInput {
        fields: fields::start(&start.module, scope, &start.settings),
        settings: fields::others(&start.module, scope, &start.settings),
        ..start
    });
    let module = Memo::new(move |_| draft.with(|d| d.module.clone()));
    Effect::watch(
        move || module.get(),
        move |m, _, _| draft.update(|d| d.fields = stored.with_value(|s| fields::start(m, scope, s))),
        false,
    );
    let save = Action::new(move |s: &ServerInput| {
        let s = s.clone();
        async move {
            match scope {
                Scope::Registrar => save_registrar(s).await,
                _ => save_server(s).await,
            }
        }
    });
    let SaveResult { errors, notice } = use_save_result(save, "catalogue.conflict", None, on_saved);
    let id = move |f: &str| match key {
        Some(k) => format!("{kind}-{k}-{f}"),
        None => format!("{kind}-new-{f}"),
    };
    let text = move |f: &'static str,
                     get: fn(&ServerInput) -> String,
                     set: fn(&mut ServerInput, String),
                     input_type: &'static str| {
        view! {
            <div class="field">
                <label for=id(f)>{t(&format!("{keys}.{f}"))}</label>
                <input id=id(f) type=input_type autocomplete="off" prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    view! {
        <form class=format!("editor {kind}-form") novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {text("name", |d| d.name.clone(), |d, v| d.name = v, "text")}
                <div class="field">
                    <label for=id("module")>{t(&format!("{keys}.module"))}</label>
                    <select id=id("module") on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.module = v); }>
                        {modules.into_iter().map(|m| {
                            let value = m.clone();
                            view! { <option value=m.clone() selected=move || draft.with(|d| d.module == value)>{t(&format!("{keys}.module.{m}"))}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="module" />
                </div>
                {text("host", |d| d.host.clone(), |d, v| d.host = v, "text")}
                {text("port", |d| d.port.to_string(), |d, v| d.port = v.trim().parse().unwrap_or(-1), "number")}
                {text("username", |d| d.username.clone(), |d, v| d.username = v, "text")}
                {text("secret", |d| d.secret.clone(), |d, v| d.secret = v, "password")}
            </div>
            {has_secret.then(|| view! { <p class="muted">{t("servers.secret_keep")}</p> })}
            <fieldset class="module-settings">
                <legend>{t("servers.module_settings")}</legend>
                <ModuleFields id_prefix=id("module") scope=scope module values=Signal::derive(move || draft.with(|d| d.fields.clone()))
                    on_change=Callback::new(move |(k, v): (String, String)| draft.update(|d| set_field(&mut d.fields, k, v))) errors />
                <div class="field">
                    <label for=id("settings")>{t("servers.settings")}</label>
                    <textarea id=id("settings") rows="2" spellcheck="false" aria-describedby=id("settings-hint") prop:value=move || draft.with(|d| d.settings.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.settings = v); }></textarea>
                    <p id=id("settings-hint") class="hint">{t("servers.settings_hint")}</p>
                    <FieldMessage errors field="settings" />
                </div>
            </fieldset>
            <div class="toggle">
                <input id=id("active") type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.active)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.active = v); } />
                <label for=id("active")>{t("catalogue.active")}</label>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

/// Set one field's text in a form's field list.
pub fn set_field(fields: &mut Vec<(String, String)>, key: String, text: String) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some(field) => field.1 = text,
        None => fields.push((key, text)),
    }
}
