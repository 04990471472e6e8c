//! /account: change the own password; set up or turn off two-factor login.
use super::api::{StaffSecurity, change_email, my_account};
use super::model::*;
use crate::error::{AppError, FieldError};
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::messages::FieldMessage;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| my_account());
    let changed = Callback::new(move |_: ()| info.refetch());
    view! {
        <Title text=t("account.title") />
        <h1 class="page-title">{t("account.title")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! {
                        <p class="lead">{info.name.clone()} " · " {info.email.clone()} " · " {info.role_name.clone()}</p>
                        {(info.totp_required && !info.totp_enabled).then(|| view! {
                            <p class="banner warning" role="alert">{t("account.must_enrol")}</p>
                        })}
                        <EmailForm current=info.email.clone() on_changed=changed />
                        <PasswordForm who=StaffSecurity />
                        <TwoFactorPanel who=StaffSecurity info on_changed=changed />
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// A password input bound to a signal, with its label and message.
#[component]
fn PasswordInput(
    id: &'static str,
    label: &'static str,
    field: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
    #[prop(default = "current-password")] autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input id=id type="password" autocomplete=autocomplete prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <FieldMessage errors field />
        </div>
    }
}

#[component]
pub fn PasswordForm<S: OwnSecurity>(who: S) -> impl IntoView {
    let (current, new, repeat) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let save = Action::new(move |(c, n): &(String, String)| {
        let (c, n) = (c.clone(), n.clone());
        async move { who.change_password(c, n).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            errors.set(Vec::new());
            for s in [current, new, repeat] {
                s.set(String::new());
            }
            notice.set(Some(t("account.password_changed")));
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        if new.get_untracked() != repeat.get_untracked() {
            errors.set(vec![FieldError::new("repeat", "account.mismatch")]);
            return;
        }
        save.dispatch((current.get_untracked(), new.get_untracked()));
    };
    view! {
        <section class="panel settings-form">
            <h2>{t("account.password")}</h2>
            <form class="editor" novalidate on:submit=submit>
                <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
                <div class="grid">
                    <PasswordInput id="pw-current" label="account.current" field="current" value=current errors />
                    <PasswordInput id="pw-new" label="account.new" field="new" value=new errors autocomplete="new-password" />
                    <PasswordInput id="pw-repeat" label="account.repeat" field="repeat" value=repeat errors autocomplete="new-password" />
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("account.change_password")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </section>
    }
}

/// Where the enrolment stands in this panel.
#[derive(Clone)]
enum Step {
    Idle,
    Scan(EnrolmentView),
    Codes(Vec<String>),
}

#[component]
pub fn TwoFactorPanel<S: OwnSecurity>(who: S, info: AccountInfo, on_changed: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let step = RwSignal::new(Step::Idle);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let start = Action::new(move |p: &String| {
        let p = p.clone();
        async move { who.start_totp(p).await }
    });
    let confirm = Action::new(move |c: &String| {
        let c = c.clone();
        async move { who.confirm_totp(c).await }
    });
    let disable = Action::new(move |p: &String| {
        let p = p.clone();
        async move { who.disable_totp(p).await }
    });
    let fail = move |e: AppError| match e {
        AppError::Validation(errs) => errors.set(errs),
        other => notice.set(Some(t(other.message_key()))),
    };
    Effect::new(move |_| match start.value().get() {
        Some(Ok(e)) => {
            errors.set(Vec::new());
            password.set(String::new());
            step.set(Step::Scan(e));
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(codes)) => {
            errors.set(Vec::new());
            step.set(Step::Codes(codes));
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    Effect::new(move |_| match disable.value().get() {
        Some(Ok(())) => {
            errors.set(Vec::new());
            on_changed.run(());
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    let password_field = move || view! { <PasswordInput id="tfa-password" label="account.current" field="password" value=password errors /> };
    let enabled = info.totp_enabled;
    let required = info.totp_required;
    let left = info.recovery_codes_left;
    view! {
        <section class="panel settings-form">
            <h2>{t("account.2fa")}</h2>
            <span class="editor-notice" role="status">{move || notice.get()}</span>
            {move || match step.get() {
                Step::Codes(codes) => view! {
                    <p>{t("account.codes_lead")}</p>
                    <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <button type="button" class="button primary" on:click=move |_| { step.set(Step::Idle); on_changed.run(()); }>
                        {t("account.codes_done")}
                    </button>
                }.into_any(),
                Step::Scan(e) => view! {
                    <p>{t("account.scan")}</p>
                    <div class="qr" inner_html=e.qr_svg.clone()></div>
                    <p class="muted">{t("account.secret")} " " <code class="secret" data-secret=e.secret.clone()>{e.secret.clone()}</code></p>
                    <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); confirm.dispatch(code.get_untracked()); }>
                        <div class="field">
                            <label for="tfa-code">{t("login.2fa.code")}</label>
                            <input id="tfa-code" type="text" inputmode="numeric" autocomplete="one-time-code"
                                prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                            <FieldMessage errors field="code" />
                        </div>
                        <button type="submit" class="button primary">{t("account.confirm")}</button>
                    </form>
                }.into_any(),
                Step::Idle if enabled => view! {
                    <p>{translate_with(locale, "account.2fa_on", &[("count", &left.to_string())])}</p>
                    {(!required).then(|| view! {
                        <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); disable.dispatch(password.get_untracked()); }>
                            {password_field()}
                            <button type="submit" class="button">{t("account.disable")}</button>
                        </form>
                    })}
                }.into_any(),
                Step::Idle => view! {
                    <p>{t("account.2fa_off")}</p>
                    <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); start.dispatch(password.get_untracked()); }>
                        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
                        {password_field()}
                        <button type="submit" class="button primary">{t("account.enrol")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// The own login address; needs the password again.
#[component]
fn EmailForm(current: String, on_changed: Callback<()>) -> impl IntoView {
    let email = RwSignal::new(current);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let save = Action::new(move |(p, e): &(String, String)| change_email(p.clone(), e.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            errors.set(Vec::new());
            password.set(String::new());
            notice.set(Some(t("editor.saved")));
            on_changed.run(());
        }
        Some(Err(AppError::Validation(errs))) => errors.set(errs),
        Some(Err(e)) => notice.set(Some(t(e.message_key()))),
        None => {}
    });
    view! {
        <section class="panel settings-form">
            <h2>{t("account.email")}</h2>
            <form class="editor" novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch((password.get_untracked(), email.get_untracked()));
            }>
                <div class="grid">
                    <div class="field">
                        <label for="account-email">{t("account.email")}</label>
                        <input id="account-email" type="email" autocomplete="username" prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev)) />
                        <FieldMessage errors field="email" />
                    </div>
                    <PasswordInput id="email-password" label="account.current" field="password" value=password errors />
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("account.change_email")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </section>
    }
}
