//! Kontakte: contact persons of a customer with the kinds of mail they get in CC and an
//! optional own login to the self-service area with rights per area.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, EntityLabels, PanelCtx, Placement};
use crate::auth::Permission;
use crate::choice::Choice;
use crate::customers::areas::history::label_or_value;
use crate::customers::model::{LANGUAGES, Salutation};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::i18n::{t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{ListView, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::{customer_contacts, remove_contact, save_contact};
use leptos::prelude::*;
use model::*;

#[component]
pub fn ContactsPanel(customer_id: i32, read_only: bool) -> impl IntoView {
    let contacts =
        Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| customer_contacts(id));
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => contacts.refetch(),
    });
    let start = ContactInput { language: "de".into(), ..Default::default() };
    view! {
        <Panel title_key="area.contacts">
            {(!read_only).then(|| view! {
                <details class="compose">
                    <summary class="button">{t("contacts.new")}</summary>
                    <ContactForm customer_id start on_saved=changed />
                </details>
            })}
            <ListView resource=contacts empty_key="contacts.empty" rows=move |rows| rows.into_iter().map(|c| view! { <ContactCard contact=c customer_id read_only on_saved=changed /> }).collect_view().into_any() />
        </Panel>
    }
}

/// Translated names of a list of choices, comma-separated.
fn choices<T: Choice>(prefix: &str, values: &[T]) -> String {
    values.iter().map(|v| t(&format!("{prefix}.{}", v.as_str()))).collect::<Vec<_>>().join(", ")
}

#[component]
fn ContactCard(
    contact: ContactRow,
    customer_id: i32,
    read_only: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let editing = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let c = contact.input.clone();
    let (id, version) = (c.id.unwrap_or_default(), c.version);
    let remove = Action::new(move |_: &()| remove_contact(customer_id, id, version));
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            on_saved.run(());
        }
    });
    let class = if contact.active { "contact" } else { "contact removed" };
    let editable = !read_only && contact.active;
    let form_start = c.clone();
    let email = c.email.clone();
    view! {
        <article class=class data-contact=email>
            <header>
                <strong>{c.name()}</strong>
                {(!c.position.is_empty()).then(|| view! { <span class="muted">" · " {c.position.clone()}</span> })}
                {(!contact.active).then(|| view! { <span class="badge">{t("contacts.removed")}</span> })}
                {(contact.login != LoginState::NoLogin).then(|| view! {
                    <span class="badge" data-login=contact.login.as_str()>{t(&format!("contacts.login.{}", contact.login))}</span>
                })}
            </header>
            <p>
                <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a>
                {(!c.phone.is_empty()).then(|| view! { " · " {c.phone.clone()} })}
                " · " {t(&format!("choice.language.{}", c.language))}
            </p>
            <p class="muted">
                {t("contacts.cc")} ": "
                <span class="contact-cc">{if c.cc.is_empty() { t("contacts.cc.none") } else { choices("contacts.cc", &c.cc) }}</span>
            </p>
            {c.portal_access.then(|| view! {
                <p class="muted">{t("contacts.rights")} ": " {if c.rights.is_empty() { t("contacts.rights.none") } else { choices("contacts.rights", &c.rights) }}</p>
            })}
            <p class="muted">{translate_with(locale, "contacts.updated", &[("at", &format::date_time(&contact.updated_at, locale))])}</p>
            {editable.then(|| view! {
                <div class="contact-actions">
                    <button type="button" class="link" on:click=move |_| editing.update(|e| *e = !*e)>{t("contacts.edit")}</button>
                    <button type="button" class="link" on:click=move |_| asking.set(true)>{t("contacts.remove")}</button>
                </div>
                <Show when=move || asking.get()>
                    <div class="confirm" role="group" aria-label=t("contacts.remove")>
                        <p>{t("contacts.remove.confirm")}</p>
                        <button type="button" class="button primary" on:click=move |_| { asking.set(false); remove.dispatch(()); }>{t("contacts.remove.do")}</button>
                        <button type="button" class="button quiet" on:click=move |_| asking.set(false)>{t("common.cancel")}</button>
                    </div>
                </Show>
                {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field-error" role="alert">{t(conflict_or(&e))}</p> })}
                <Show when=move || editing.get()>
                    <ContactForm customer_id start=form_start.clone() on_saved />
                </Show>
            })}
        </article>
    }
}

fn conflict_or(e: &AppError) -> &'static str {
    match e {
        AppError::Conflict { .. } => "contacts.conflict",
        other => other.message_key(),
    }
}

/// A set of checkboxes bound to one list field of the draft ("cc" or "rights").
fn checkboxes<T: Choice>(draft: RwSignal<ContactInput>, key: String, field: &'static str) -> impl IntoView {
    let values: Vec<&'static str> = T::all().iter().map(|v| v.as_str()).collect();
    let has = move |d: &ContactInput, v: &str| d.read(field).unwrap_or_default().split(',').any(|x| x == v);
    view! {
        <fieldset class="choices">
            <legend>{t(&format!("contacts.{field}"))}</legend>
            {values.clone().into_iter().map(|v| {
                let values = values.clone();
                let fid = format!("contact-{key}-{field}-{v}");
                view! {
                    <label class="choice">
                        <input id=fid type="checkbox" value=v
                            prop:checked=move || draft.with(|d| has(d, v))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    let mut list: Vec<&str> = values.iter().copied().filter(|x| has(d, x) && *x != v).collect();
                                    if on { list.push(v); }
                                    d.write(field, &list.join(","));
                                });
                            } />
                        {t(&format!("contacts.{field}.{v}"))}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn ContactForm(customer_id: i32, start: ContactInput, on_saved: Callback<()>) -> impl IntoView {
    let draft = RwSignal::new(start);
    let save = Action::new(move |c: &ContactInput| save_contact(customer_id, c.clone()));
    let SaveResult { errors, notice } =
        use_save_result(save, "contacts.conflict", Some("editor.invalid"), on_saved);
    let key = draft.with_untracked(|d| d.id.map(|i| i.to_string()).unwrap_or_else(|| "new".into()));
    let fid = {
        let key = key.clone();
        move |f: &str| format!("contact-{key}-{f}")
    };
    let text = {
        let fid = fid.clone();
        move |field: &'static str, kind: &'static str| {
            let get = move |d: &ContactInput| d.read(field).unwrap_or_default();
            view! {
                <div class="field">
                    <label for=fid(field)>{t(&format!("contacts.field.{field}"))}</label>
                    <input id=fid(field) type=kind prop:value=move || draft.with(get)
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| { d.write(field, &v); }); } />
                    <FieldMessage errors field />
                </div>
            }
        }
    };
    let select = {
        let fid = fid.clone();
        move |field: &'static str, values: Vec<&'static str>| {
            view! {
                <div class="field">
                    <label for=fid(field)>{t(&format!("contacts.field.{field}"))}</label>
                    <select id=fid(field) on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| { d.write(field, &v); }); }>
                        {(field == "salutation").then(|| view! { <option value="">"–"</option> })}
                        {values.into_iter().map(|v| view! {
                            <option value=v selected=move || draft.with(|d| d.read(field).as_deref() == Some(v))>{t(&format!("choice.{field}.{v}"))}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field />
                </div>
            }
        }
    };
    let access_id = fid("portal_access");
    view! {
        <form class="editor contact-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {select("salutation", Salutation::ALL.iter().map(|s| s.as_str()).collect())}
                {text("first_name", "text")}
                {text("last_name", "text")}
                {text("email", "email")}
                {text("phone", "tel")}
                {text("position", "text")}
                {select("language", LANGUAGES.to_vec())}
            </div>
            {checkboxes::<CcKind>(draft, key.clone(), "cc")}
            <div class="toggle">
                <input id=access_id.clone() type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.portal_access)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.portal_access = v); } />
                <label for=access_id>{t("contacts.portal_access")}</label>
            </div>
            <Show when=move || draft.with(|d| d.portal_access)>
                {checkboxes::<PortalRight>(draft, key.clone(), "rights")}
            </Show>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "contacts",
    label_key: "area.contacts",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::CustomersView,
    edit: Permission::CustomersEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["contacts"],
    entities: &[EntityLabels { entity: "contact", change: change_label, value: value_text }],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    view! { <ContactsPanel customer_id read_only /> }.into_any()
}

/// A contact's field in the Verlauf: whose (when known) and which.
fn change_label(locale: Locale, field: &str, subject: Option<&str>) -> String {
    let whose = match subject {
        Some(name) => translate_with(locale, "history.contact", &[("name", name)]),
        None => crate::i18n::translate(locale, "area.contacts"),
    };
    format!("{whose} · {}", crate::i18n::translate(locale, &format!("contacts.field.{field}")))
}

/// The lists of mail kinds in CC and of rights, by their labels.
fn value_text(locale: Locale, field: &str, value: &str) -> Option<String> {
    let prefix = match field {
        "cc" => "contacts.cc",
        "rights" => "contacts.rights",
        _ => return None,
    };
    Some(value.split(',').map(|v| label_or_value(locale, prefix, v.trim())).collect::<Vec<_>>().join(", "))
}
