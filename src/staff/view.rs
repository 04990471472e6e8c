//! /settings/staff: the staff members, their roles and sessions; adding a member.
use super::api::{
    change_staff, create_staff, end_staff_sessions, list_roles, list_staff, reset_staff_two_factor,
    set_staff_policy, staff_login_policy,
};
use super::model::*;
use super::roles_view::role_label;
use crate::auth::Permission;
use crate::auth::guard::Guard;
use crate::error::{AppError, FieldError};
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffPage() -> impl IntoView {
    view! {
        <Guard permission=Permission::ManageStaff>
            <StaffSettings />
        </Guard>
    }
}

#[component]
fn StaffSettings() -> impl IntoView {
    let staff = Resource::new(|| (), |_| list_staff());
    let roles = Resource::new(|| (), |_| list_roles());
    let policy = Resource::new(|| (), |_| staff_login_policy());
    let changed = Callback::new(move |_: ()| staff.refetch());
    // Outside the table: the rows are rebuilt when the list reloads after a change.
    let notice = RwSignal::new(None::<String>);
    view! {
        <Title text=t("staff.title") />
        <h1 class="page-title">{t("staff.title")}</h1>
        <p class="lead">{t("staff.lead")}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { policy.await.ok().map(|p| view! { <PolicyForm policy=p /> }) })}
        </Transition>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let (rows, roles) = match (staff.await, roles.await) {
                    (Ok(rows), Ok(roles)) => (rows, roles),
                    (Err(e), _) | (_, Err(e)) => return error_view(e),
                };
                let roles = StoredValue::new(roles);
                view! {
                    <p id="staff-notice" class="editor-notice" role="status">{move || notice.get()}</p>
                    <div class="table-wrap">
                        <table class="data-table staff-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("staff.name")}</th>
                                    <th scope="col">{t("staff.email")}</th>
                                    <th scope="col">{t("staff.role")}</th>
                                    <th scope="col">{t("staff.active")}</th>
                                    <th scope="col">{t("staff.2fa")}</th>
                                    <th scope="col">{t("staff.sessions")}</th>
                                    <th scope="col"><span class="visually-hidden">{t("settings.fields.actions")}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! { <StaffLine row roles notice on_changed=changed /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <NewStaffForm roles on_created=changed />
                }.into_any()
            })}
        </Transition>
    }
}

/// One member: role and activation are changed together with "save"; sessions end at once.
#[component]
fn StaffLine(
    row: StaffRow,
    roles: StoredValue<Vec<RoleRow>>,
    notice: RwSignal<Option<String>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let id = row.id;
    let role_id = RwSignal::new(row.role_id.unwrap_or_default());
    let active = RwSignal::new(row.active);
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let save = Action::new(move |c: &StaffChange| change_staff(c.clone()));
    let end = Action::new(move |_: &()| end_staff_sessions(id));
    let reset = Action::new(move |_: &()| reset_staff_two_factor(id));
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(())) => {
            notice.set(Some(t("staff.2fa_reset_done")));
            on_changed.run(());
        }
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            errors.set(Vec::new());
            notice.set(Some(t("editor.saved")));
            on_changed.run(());
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    Effect::new(move |_| match end.value().get() {
        Some(Ok(n)) => {
            notice.set(Some(translate_with(locale, "staff.sessions_ended", &[("count", &n.to_string())])));
            on_changed.run(());
        }
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    let role_select = format!("staff-role-{id}");
    let active_box = format!("staff-active-{id}");
    view! {
        <tr data-staff=row.email.clone()>
            <td>{row.name.clone()}</td>
            <td>{row.email.clone()}<div class="muted">{t("staff.since")} " " {format::date(&row.created_at, locale)}</div></td>
            <td>
                <label for=role_select.clone() class="visually-hidden">{t("staff.role")} " " {row.name.clone()}</label>
                <select id=role_select on:change=move |ev| role_id.set(event_target_value(&ev).parse().unwrap_or_default())>
                    {roles.with_value(|roles| roles.iter().map(|r| {
                        let rid = r.id;
                        view! { <option value=rid.to_string() selected=move || role_id.get() == rid>{role_label(r)}</option> }
                    }).collect_view())}
                </select>
                <FieldMessage errors field="role_id" />
            </td>
            <td>
                <div class="toggle">
                    <input id=active_box.clone() type="checkbox" role="switch" prop:checked=move || active.get()
                        on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <label for=active_box>{t("staff.active")}</label>
                </div>
                <FieldMessage errors field="active" />
            </td>
            <td>
                {if row.totp { t("staff.2fa_on") } else { t("staff.2fa_off") }}
                {row.totp.then(|| view! {
                    " "
                    <button type="button" class="link" disabled=move || reset.pending().get() on:click=move |_| { reset.dispatch(()); }>
                        {t("staff.2fa_reset")}
                    </button>
                })}
            </td>
            <td>
                {row.sessions} " "
                <button type="button" class="link" disabled=move || end.pending().get() on:click=move |_| { end.dispatch(()); }>
                    {t("staff.end_sessions")}
                </button>
            </td>
            <td>
                <button type="button" class="button" disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(StaffChange { id, role_id: role_id.get_untracked(), active: active.get_untracked() }); }>
                    {t("editor.save")}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn NewStaffForm(roles: StoredValue<Vec<RoleRow>>, on_created: Callback<()>) -> impl IntoView {
    let first_role = roles.with_value(|r| r.iter().find(|r| r.key == "readonly").or(r.first()).map(|r| r.id));
    let draft = RwSignal::new(NewStaff { role_id: first_role.unwrap_or_default(), ..Default::default() });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let create = Action::new(move |input: &NewStaff| create_staff(input.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            draft.update(|d| *d = NewStaff { role_id: d.role_id, ..Default::default() });
            notice.set(Some(t("staff.created")));
            on_created.run(());
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    let text = move |field: &'static str, kind: &'static str| {
        let id = format!("new-staff-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(&format!("staff.{field}"))}</label>
                <input id=id type=kind autocomplete="off"
                    prop:value=move || draft.with(|d| match field { "name" => d.name.clone(), "email" => d.email.clone(), _ => d.password.clone() })
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| match field { "name" => d.name = v, "email" => d.email = v, _ => d.password = v });
                    } />
                <FieldMessage errors field />
            </div>
        }
    };
    view! {
        <section class="panel settings-form">
            <h2>{t("staff.new")}</h2>
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); create.dispatch(draft.get_untracked()); }>
                <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
                <div class="grid">
                    {text("name", "text")}
                    {text("email", "email")}
                    {text("password", "password")}
                    <div class="field">
                        <label for="new-staff-role">{t("staff.role")}</label>
                        <select id="new-staff-role" on:change=move |ev| {
                            let v = event_target_value(&ev).parse().unwrap_or_default();
                            draft.update(|d| d.role_id = v);
                        }>
                            {roles.with_value(|roles| roles.iter().map(|r| {
                                let rid = r.id;
                                view! { <option value=rid.to_string() selected=move || draft.with(|d| d.role_id == rid)>{role_label(r)}</option> }
                            }).collect_view())}
                        </select>
                        <FieldMessage errors field="role_id" />
                    </div>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary" disabled=move || create.pending().get()>{t("staff.add")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </section>
    }
}

/// "Require two-factor login for all staff".
#[component]
fn PolicyForm(policy: StaffPolicy) -> impl IntoView {
    let require = RwSignal::new(policy.require_2fa);
    let notice = RwSignal::new(None::<String>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |p: &StaffPolicy| set_staff_policy(p.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            errors.set(Vec::new());
            notice.set(Some(t("editor.saved")));
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    view! {
        <section class="panel settings-form">
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(StaffPolicy { require_2fa: require.get_untracked() }); }>
                <div class="toggle">
                    <input id="require-2fa" type="checkbox" role="switch" prop:checked=move || require.get()
                        on:change=move |ev| require.set(event_target_checked(&ev)) />
                    <label for="require-2fa">{t("staff.require_2fa")}</label>
                </div>
                <FieldMessage errors field="require_2fa" />
                <p class="muted">{t("staff.require_2fa_hint")}</p>
                <div class="editor-actions">
                    <button type="submit" class="button" disabled=move || save.pending().get()>{t("editor.save")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </section>
    }
}
