//! /settings/servers: the servers provisioning modules talk to (the admin secret is write-only,
//! "Verbindung testen" asks the module) and the hosting packages sold on them.
use super::connection_form::{ConnectionForm, TestButton, set_field};
use super::module_fields::ModuleFields;
use super::server_model::*;
use super::servers_api::{save_package, server_page};
use crate::i18n::{t, translate_with, use_locale};
use crate::provisioning::fields::{self, Scope};
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ServersPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsServers>
            <Servers />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn Servers() -> impl IntoView {
    let data = Resource::new(|| (), |_| server_page());
    let refresh = Callback::new(move |_: ()| data.refetch());
    view! {
        <Title text=t("nav.servers") />
        <h1 class="page-title">{t("nav.servers")}</h1>
        <p class="lead">{t("servers.lead")}</p>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let modules = StoredValue::new(page.modules.clone());
                        let servers: Vec<(i32, String, String)> = page.servers.iter().map(|s| (s.input.id.unwrap_or_default(), s.input.name.clone(), s.input.module.clone())).collect();
                        let servers = StoredValue::new(servers);
                        view! {
                            <section class="panel" aria-labelledby="servers-title">
                                <h2 id="servers-title">{t("servers.servers")}</h2>
                                <details class="compose">
                                    <summary class="button">{t("servers.new_server")}</summary>
                                    <ConnectionForm start=ServerInput { module: "manual".into(), active: true, ..Default::default() } modules=modules.get_value() has_secret=false scope=Scope::Server on_saved=refresh />
                                </details>
                                {if page.servers.is_empty() {
                                    view! { <p class="empty">{t("servers.no_servers")}</p> }.into_any()
                                } else {
                                    page.servers.into_iter().map(|s| view! { <ServerCard row=s modules=modules.get_value() on_saved=refresh /> }).collect_view().into_any()
                                }}
                            </section>
                            <section class="panel" aria-labelledby="packages-title">
                                <h2 id="packages-title">{t("servers.packages")}</h2>
                                {(!servers.with_value(|s| s.is_empty())).then(|| view! {
                                    <details class="compose">
                                        <summary class="button">{t("servers.new_package")}</summary>
                                        <PackageForm start=PackageInput { server_id: servers.with_value(|s| s[0].0), active: true, settings: "{}".into(), ..Default::default() } servers=servers.get_value() on_saved=refresh />
                                    </details>
                                })}
                                {if page.packages.is_empty() {
                                    view! { <p class="empty">{t("servers.no_packages")}</p> }.into_any()
                                } else {
                                    page.packages.into_iter().map(|p| view! { <PackageCard row=p servers=servers.get_value() on_saved=refresh /> }).collect_view().into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(e) => crate::ui::errors::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ServerCard(row: ServerRow, modules: Vec<String>, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let id = row.input.id.unwrap_or_default();
    let editing = RwSignal::new(false);
    let start = row.input.clone();
    view! {
        <article class="server-card" data-server=row.input.name.clone()>
            <h3>
                {row.input.name.clone()} " " <span class="muted">{t(&format!("servers.module.{}", row.input.module))}</span>
                {(!row.input.active).then(|| view! { " " <span class="badge">{t("catalogue.inactive")}</span> })}
            </h3>
            <p class="muted">
                {format!("{}:{}", row.input.host, row.input.port)} " · "
                {translate_with(locale, "servers.hostings", &[("count", &format::count(row.hostings, locale))])} " · "
                {if row.has_secret { t("servers.secret_stored") } else { t("servers.no_secret") }}
            </p>
            <TestButton id name=row.input.name.clone() scope=Scope::Server />
            " "
            <button type="button" class="link" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {t("catalogue.edit")}<span class="visually-hidden">" " {row.input.name.clone()}</span>
            </button>
            <Show when=move || editing.get()>
                <ConnectionForm start=start.clone() modules=modules.clone() has_secret=row.has_secret scope=Scope::Server on_saved />
            </Show>
        </article>
    }
}

#[component]
fn PackageCard(
    row: PackageRow,
    servers: Vec<(i32, String, String)>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let editing = RwSignal::new(false);
    let start = row.input.clone();
    view! {
        <article class="package-card" data-package=row.input.name.clone()>
            <h3>
                {row.input.name.clone()} " " <span class="muted">{row.server_name.clone()}</span>
                {(!row.input.active).then(|| view! { " " <span class="badge">{t("catalogue.inactive")}</span> })}
            </h3>
            <p class="muted">
                {translate_with(locale, "servers.hostings", &[("count", &format::count(row.hostings, locale))])}
                {row.input.auto_provision.then(|| view! { " · " {t("servers.auto_provision")} })}
            </p>
            <button type="button" class="link" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {t("catalogue.edit")}<span class="visually-hidden">" " {row.input.name.clone()}</span>
            </button>
            <Show when=move || editing.get()>
                <PackageForm start=start.clone() servers=servers.clone() on_saved />
            </Show>
        </article>
    }
}

#[component]
fn PackageForm(
    start: PackageInput,
    servers: Vec<(i32, String, String)>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let key = start.id;
    let stored = StoredValue::new(start.settings.clone());
    let modules: Vec<(i32, String)> = servers.iter().map(|(id, _, m)| (*id, m.clone())).collect();
    let module_of = move |server: i32| {
        modules.iter().find(|(id, _)| *id == server).map(|(_, m)| m.clone()).unwrap_or_default()
    };
    let first = module_of(start.server_id);
    let draft = RwSignal::new(PackageInput {
        fields: fields::start(&first, Scope::Package, &start.settings),
        settings: fields::others(&first, Scope::Package, &start.settings),
        ..start
    });
    let module = Memo::new(move |_| module_of(draft.with(|d| d.server_id)));
    // Another server may run another module: its fields start from what is stored.
    Effect::watch(
        move || module.get(),
        move |m, _, _| {
            draft.update(|d| d.fields = stored.with_value(|s| fields::start(m, Scope::Package, s)))
        },
        false,
    );
    let save = Action::new(move |p: &PackageInput| save_package(p.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "catalogue.conflict", None, on_saved);
    let id = move |f: &str| match key {
        Some(k) => format!("package-{k}-{f}"),
        None => format!("package-new-{f}"),
    };
    view! {
        <form class="editor package-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for=id("name")>{t("servers.package_name")}</label>
                    <input id=id("name") type="text" prop:value=move || draft.with(|d| d.name.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.name = v); } />
                    <FieldMessage errors field="name" />
                </div>
                <div class="field">
                    <label for=id("server")>{t("servers.server")}</label>
                    <select id=id("server") on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<i32>() { draft.update(|d| d.server_id = v); }
                    }>
                        {servers.into_iter().map(|(sid, name, _)| view! {
                            <option value=sid.to_string() selected=move || draft.with(|d| d.server_id == sid)>{name}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="server_id" />
                </div>
            </div>
            <fieldset class="module-settings">
                <legend>{t("servers.module_settings")}</legend>
                <ModuleFields id_prefix=id("module") scope=Scope::Package module values=Signal::derive(move || draft.with(|d| d.fields.clone()))
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
                <input id=id("auto") type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.auto_provision)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.auto_provision = v); } />
                <label for=id("auto")>{t("servers.auto_provision")}</label>
            </div>
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
