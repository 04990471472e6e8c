//! /settings/roles: what each role may do. Built-in roles are shown as they are; operator-defined
//! roles are named and given permissions here.
use super::api::{list_roles, save_role};
use super::model::*;
use crate::auth::Permission;
use crate::auth::guard::Guard;
use crate::error::{AppError, FieldError};
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::messages::FieldMessage;
use leptos::prelude::*;
use leptos_meta::Title;

/// A role's name in the user's language (built-in roles are translated).
pub fn role_label(role: &RoleRow) -> String {
    if role.builtin { t(&format!("roles.builtin.{}", role.key)) } else { role.name.clone() }
}

#[component]
pub fn RolesPage() -> impl IntoView {
    view! {
        <Guard permission=Permission::ManageStaff>
            <RolesSettings />
        </Guard>
    }
}

#[component]
fn RolesSettings() -> impl IntoView {
    let roles = Resource::new(|| (), |_| list_roles());
    let saved = Callback::new(move |_: ()| roles.refetch());
    view! {
        <Title text=t("roles.title") />
        <h1 class="page-title">{t("roles.title")}</h1>
        <p class="lead">{t("roles.lead")}</p>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match roles.await {
                    Ok(rows) => view! {
                        <div class="role-cards">
                            {rows.into_iter().map(|role| view! { <RoleCard role=Some(role) on_saved=saved /> }).collect_view()}
                            <RoleCard role=None on_saved=saved />
                        </div>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// One role with its permissions; `None` is the form for a new role.
#[component]
fn RoleCard(role: Option<RoleRow>, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let builtin = role.as_ref().is_some_and(|r| r.builtin);
    let slug = role.as_ref().map(|r| r.key.clone()).unwrap_or_else(|| "new".into());
    let draft = RwSignal::new(RoleInput {
        id: role.as_ref().map(|r| r.id),
        name: role.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        permissions: role.as_ref().map(|r| r.permissions.clone()).unwrap_or_default(),
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let save = Action::new(move |input: &RoleInput| save_role(input.clone()));
    let is_new = role.is_none();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            notice.set(Some(t("editor.saved")));
            if is_new {
                draft.set(RoleInput::default());
            }
            on_saved.run(());
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    let name_id = format!("role-{slug}-name");
    let title = match &role {
        Some(r) => role_label(r),
        None => t("roles.new"),
    };
    let members = role.as_ref().map(|r| r.members).unwrap_or(0);
    let card_slug = slug.clone();
    let checkbox = move |p: Permission| {
        let id = format!("role-{card_slug}-{}", p.key().replace('.', "-"));
        view! {
            <li class="toggle">
                <input id=id.clone() type="checkbox" disabled=builtin
                    prop:checked=move || draft.with(|d| d.permissions.contains(&p))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| {
                            d.permissions.retain(|x| *x != p);
                            if on { d.permissions.push(p); }
                        });
                    } />
                <label for=id>{t(&p.label_key())}</label>
            </li>
        }
    };
    let group = move |dangerous: bool| {
        Permission::ALL
            .iter()
            .copied()
            .filter(move |p| p.is_dangerous() == dangerous)
            .map(checkbox.clone())
            .collect_view()
    };
    view! {
        <section class="panel role-card" data-role=slug.clone()>
            <h2>{title}</h2>
            {role.is_some().then(|| view! {
                <p class="muted">
                    {translate_with(locale, "roles.members", &[("count", &members.to_string())])}
                    {builtin.then(|| view! { " · " {t("roles.builtin")} })}
                </p>
            })}
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
                {(!builtin).then(|| view! {
                    <div class="field">
                        <label for=name_id.clone()>{t("roles.name")}</label>
                        <input id=name_id.clone() type="text" prop:value=move || draft.with(|d| d.name.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.name = v); } />
                        <FieldMessage errors field="name" />
                    </div>
                })}
                <h3>{t("roles.areas")}</h3>
                <ul class="permission-list">{group(false)}</ul>
                <h3>{t("roles.dangerous")}</h3>
                <ul class="permission-list">{group(true)}</ul>
                <FieldMessage errors field="permissions" />
                {(!builtin).then(|| view! {
                    <div class="editor-actions">
                        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
                        <button type="submit" class="button primary" disabled=move || save.pending().get()>
                            {if is_new { t("roles.create") } else { t("editor.save") }}
                        </button>
                        <span class="editor-notice" role="status">{move || notice.get()}</span>
                    </div>
                })}
            </form>
        </section>
    }
}
