//! /settings/registrars: the registrars domains are registered through (the password is
//! write-only, "Verbindung testen" logs in and out again) and the endings each one serves.
use super::connection_form::{ConnectionForm, TestButton};
use super::registrar_model::*;
use super::registrars_api::registrar_page;
use crate::i18n::{t, translate_with, use_locale};
use crate::provisioning::fields::Scope;
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegistrarsPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsRegistrars>
            <Registrars />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn Registrars() -> impl IntoView {
    let data = Resource::new(|| (), |_| registrar_page());
    let refresh = Callback::new(move |_: ()| data.refetch());
    view! {
        <Title text=t("nav.registrars") />
        <h1 class="page-title">{t("nav.registrars")}</h1>
        <p class="lead">{t("registrars.lead")}</p>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let modules = StoredValue::new(page.modules.clone());
                        view! {
                            <section class="panel" aria-labelledby="registrars-title">
                                <h2 id="registrars-title">{t("registrars.list")}</h2>
                                <details class="compose">
                                    <summary class="button">{t("registrars.new")}</summary>
                                    <ConnectionForm start=RegistrarInput { module: "epp".into(), active: true, ..Default::default() }
                                        modules=modules.get_value() has_secret=false scope=Scope::Registrar on_saved=refresh />
                                </details>
                                {if page.registrars.is_empty() {
                                    view! { <p class="empty">{t("registrars.none")}</p> }.into_any()
                                } else {
                                    page.registrars.into_iter().map(|r| view! { <RegistrarCard row=r modules=modules.get_value() on_saved=refresh /> }).collect_view().into_any()
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
fn RegistrarCard(row: RegistrarRow, modules: Vec<String>, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let id = row.input.id.unwrap_or_default();
    let editing = RwSignal::new(false);
    let start = row.input.clone();
    let endings = if row.tlds.is_empty() {
        t("registrars.no_tlds")
    } else {
        let list = row.tlds.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ");
        translate_with(locale, "registrars.tlds", &[("list", &list)])
    };
    let address = match (row.input.host.as_str(), row.input.port) {
        ("", _) => None,
        (host, 0) => Some(host.to_string()),
        (host, port) => Some(format!("{host}:{port}")),
    };
    view! {
        <article class="registrar-card" data-registrar=row.input.name.clone()>
            <h3>
                {row.input.name.clone()} " " <span class="muted">{t(&format!("registrars.module.{}", row.input.module))}</span>
                {(!row.input.active).then(|| view! { " " <span class="badge">{t("catalogue.inactive")}</span> })}
            </h3>
            <p class="muted">
                {address.map(|a| view! { {a} " · " })}
                {translate_with(locale, "registrars.domains", &[("count", &format::count(row.domains, locale))])} " · "
                {if row.has_secret { t("servers.secret_stored") } else { t("servers.no_secret") }}
            </p>
            <p class="muted">{endings}</p>
            <TestButton id name=row.input.name.clone() scope=Scope::Registrar />
            " "
            <button type="button" class="link" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {t("catalogue.edit")}<span class="visually-hidden">" " {row.input.name.clone()}</span>
            </button>
            <Show when=move || editing.get()>
                <ConnectionForm start=start.clone() modules=modules.clone() has_secret=row.has_secret scope=Scope::Registrar on_saved />
            </Show>
        </article>
    }
}
