//! The portal's pages: login, forgotten password, reset, and behind the login the frame with the
//! dashboard and the customer's own data.
use super::api::{portal_me, portal_notes, portal_profile, portal_save, portal_security};
use super::own_data::{OwnData, OwnForm};
use crate::account::model::AccountInfo;
use crate::account::view::{PasswordForm, TwoFactorPanel};
use crate::customers::areas::contacts::model::PortalRight;
use crate::customers::areas::data::editor::{choice_options, choices, countries};
use crate::customers::model::{LANGUAGES, Salutation};
use crate::error::AppError;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::fields::{FormState, SelectInput, TextInput, Toggle};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_query_map;

/// The frame of the public portal pages (login, forgot, reset).
#[component]
fn PortalCard(title: String, children: Children) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <main class="login" id="main">
            <div class="login-card">
                <p class="brand">{t("portal.brand")}</p>
                <h1>{title}</h1>
                {children()}
            </div>
        </main>
    }
}

#[component]
pub fn PortalLoginPage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read().get(k);
    let locale = use_locale();
    let message = move || {
        if let Some(e) = q("error") {
            let text = match e.as_str() {
                "throttled" => {
                    translate_with(locale, "login.throttled", &[("seconds", &q("wait").unwrap_or_default())])
                }
                _ => t("login.failed"),
            };
            Some(view! { <p class="banner error" role="alert">{text}</p> }.into_any())
        } else if q("sent").is_some() {
            Some(view! { <p class="banner ok" role="status">{t("portal.sent")}</p> }.into_any())
        } else if q("reset").is_some() {
            Some(view! { <p class="banner ok" role="status">{t("portal.reset_done")}</p> }.into_any())
        } else {
            None
        }
    };
    view! {
        <PortalCard title=t("portal.login")>
            {message}
            <form method="post" action="/portal/auth/login">
                <div class="field">
                    <label for="portal-email">{t("login.email")}</label>
                    <input id="portal-email" name="email" type="email" autocomplete="username" required
                        value=move || q("email").unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="portal-password">{t("login.password")}</label>
                    <input id="portal-password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <input type="hidden" name="next" value=move || q("next").unwrap_or_else(|| "/portal".into()) />
                <button type="submit" class="button primary">{t("login.submit")}</button>
            </form>
            <p><a href="/portal/forgot">{t("portal.forgot")}</a></p>
        </PortalCard>
    }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    view! {
        <PortalCard title=t("portal.forgot")>
            <p>{t("portal.forgot_lead")}</p>
            <form method="post" action="/portal/auth/forgot">
                <div class="field">
                    <label for="forgot-email">{t("login.email")}</label>
                    <input id="forgot-email" name="email" type="email" autocomplete="username" required />
                </div>
                <button type="submit" class="button primary">{t("portal.send_link")}</button>
            </form>
            <p><a href="/portal/login">{t("portal.back_to_login")}</a></p>
        </PortalCard>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let error = move || query.read().get("error");
    view! {
        <PortalCard title=t("portal.reset")>
            {move || error().map(|key| view! { <p class="banner error" role="alert">{t(&key)}</p> })}
            <form method="post" action="/portal/auth/reset">
                <input type="hidden" name="token" value=token />
                <div class="field">
                    <label for="reset-password">{t("account.new")}</label>
                    <input id="reset-password" name="password" type="password" autocomplete="new-password" required />
                </div>
                <div class="field">
                    <label for="reset-repeat">{t("account.repeat")}</label>
                    <input id="reset-repeat" name="repeat" type="password" autocomplete="new-password" required />
                </div>
                <button type="submit" class="button primary">{t("portal.set_password")}</button>
            </form>
        </PortalCard>
    }
}

/// Header and content of every page behind the portal login.
#[component]
pub fn PortalFrame() -> impl IntoView {
    let me = Resource::new(|| (), |_| portal_me());
    view! {
        <a class="skip-link" href="#main">{t("nav.skip")}</a>
        <header class="topbar portal">
            <a class="brand" href="/portal">{t("portal.brand")}</a>
            <nav class="topnav" aria-label=t("nav.main")>
                <a href="/portal">{t("portal.dashboard")}</a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        me.await.ok().map(|me| view! {
                            {me.may(PortalRight::Data).then(|| view! { <a href="/portal/data">{t("portal.my_data")}</a> })}
                            {me.may(PortalRight::Products).then(|| view! { <a href="/portal/products">{t("portal.products")}</a> })}
                            {me.may(PortalRight::Invoices).then(|| view! { <a href="/portal/invoices">{t("portal.invoices")}</a> })}
                            {me.may(PortalRight::Quotes).then(|| view! { <a href="/portal/quotes">{t("portal.quotes")}</a> })}
                            {me.may(PortalRight::Files).then(|| view! { <a href="/portal/files">{t("portal.files")}</a> })}
                            {me.may(PortalRight::Domains).then(|| view! { <a href="/portal/domains">{t("portal.domains")}</a> })}
                            {me.is_reseller.then(|| view! { <a href="/portal/reseller">{t("portal.reseller")}</a> })}
                        })
                    })}
                </Suspense>
                <a href="/portal/security">{t("portal.security")}</a>
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    me.await.ok().map(|me| view! { <span class="staff-name">{me.name} " · " {me.number}</span> })
                })}
            </Suspense>
            <form method="post" action="/portal/auth/logout">
                <button type="submit" class="link">{t("nav.logout")}</button>
            </form>
        </header>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let me = me.await.ok()?;
                let staff = me.impersonated_by.clone()?;
                let locale = use_locale();
                let until = crate::ui::format::date_time(&me.session_ends, locale);
                Some(view! {
                    <div class="banner impersonation" role="status">
                        {translate_with(locale, "portal.impersonation", &[("name", &me.name), ("staff", &staff), ("until", &until)])}
                        <form method="post" action="/portal/auth/stop-impersonation">
                            <button type="submit" class="button">{t("portal.stop_impersonation")}</button>
                        </form>
                    </div>
                })
            })}
        </Suspense>
        <main id="main" class="main">
            <Outlet />
        </main>
    }
}

#[component]
pub fn PortalDashboard() -> impl IntoView {
    let me = Resource::new(|| (), |_| portal_me());
    let notes = Resource::new(|| (), |_| portal_notes());
    let locale = use_locale();
    view! {
        <Title text=t("portal.dashboard") />
        <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) => view! {
                        <h1 class="page-title">{translate_with(locale, "portal.welcome", &[("name", &me.name)])}</h1>
                        <p class="lead">{t("portal.number")} " " <span class="customer-number">{me.number.clone()}</span></p>
                        {notes.await.ok().map(|notes| notes.into_iter().map(|n| view! {
                            <div class=format!("banner note-{}", n.visibility) role="note">
                                <strong>{n.title}</strong>
                                <p>{n.body}</p>
                            </div>
                        }).collect_view())}
                        <ul class="portal-links">
                            {me.may(PortalRight::Data).then(|| view! { <li><a href="/portal/data">{t("portal.my_data")}</a></li> })}
                            {me.may(PortalRight::Products).then(|| view! { <li><a href="/portal/products">{t("portal.products")}</a></li> })}
                            {me.may(PortalRight::Invoices).then(|| view! { <li><a href="/portal/invoices">{t("portal.invoices")}</a></li> })}
                            {me.may(PortalRight::Quotes).then(|| view! { <li><a href="/portal/quotes">{t("portal.quotes")}</a></li> })}
                            {me.may(PortalRight::Files).then(|| view! { <li><a href="/portal/files">{t("portal.files")}</a></li> })}
                            {me.may(PortalRight::Domains).then(|| view! { <li><a href="/portal/domains">{t("portal.domains")}</a></li> })}
                            {me.is_reseller.then(|| view! { <li><a href="/portal/reseller">{t("portal.reseller")}</a></li> })}
                            <li><a href="/portal/security">{t("portal.security")}</a></li>
                        </ul>
                        {me.is_contact.then(|| view! {
                            <p class="muted portal-rights">
                                {t("portal.your_rights")} " "
                                {if me.rights.is_empty() { t("contacts.rights.none") } else {
                                    me.rights.iter().map(|r| t(&format!("contacts.rights.{}", r.as_str()))).collect::<Vec<_>>().join(", ")
                                }}
                            </p>
                        })}
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PortalDataPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| portal_profile());
    view! {
        <Title text=t("portal.my_data") />
        <h1 class="page-title">{t("portal.my_data")}</h1>
        <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! { <OwnDataForm profile=p /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OwnDataForm(profile: OwnData) -> impl IntoView {
    let locale = use_locale();
    let state = FormState::new(profile.form.clone());
    let version = RwSignal::new(profile.version);
    let notice = RwSignal::new(None::<(&'static str, String)>);
    let save = Action::new(move |form: &OwnForm| portal_save(version.get_untracked(), form.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(p)) => {
            state.errors.set(Vec::new());
            state.draft.set(p.form.clone());
            version.set(p.version);
            notice.set(Some(("ok", t("editor.saved"))));
        }
        Some(Err(AppError::Validation(errs))) => {
            state.errors.set(errs);
            notice.set(Some(("error", t("editor.invalid"))));
        }
        Some(Err(AppError::Conflict { .. })) => notice.set(Some(("conflict", t("portal.conflict")))),
        Some(Err(e)) => notice.set(Some(("error", t(e.message_key())))),
        None => {}
    });
    let email = profile.email.clone();
    view! {
        <section class="panel">
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); notice.set(None); save.dispatch(state.draft.get_untracked()); }>
                <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
                <fieldset>
                    <legend>{t("editor.section.person")}</legend>
                    <div class="grid">
                        <SelectInput state name="salutation" options={choice_options::<Salutation>("salutation")} />
                        <TextInput state name="first_name" />
                        <TextInput state name="last_name" />
                        <TextInput state name="company" />
                        <TextInput state name="phone" kind="tel" />
                        <TextInput state name="fax" kind="tel" />
                        <TextInput state name="website" />
                        <TextInput state name="vat_id" />
                        <SelectInput state name="language" options=choices("language", LANGUAGES) />
                    </div>
                    <p class="muted">{t("field.email")} ": " {email} " · " {t("portal.email_note")}</p>
                </fieldset>
                <fieldset>
                    <legend>{t("editor.section.address")}</legend>
                    <div class="grid">
                        <TextInput state name="street" />
                        <TextInput state name="house_number" />
                        <TextInput state name="postcode" />
                        <TextInput state name="city" />
                        <SelectInput state name="country" options=countries(locale) />
                    </div>
                    <Toggle state name="invoice_address_enabled" />
                    <div class="grid">
                        <TextInput state name="invoice_company" />
                        <TextInput state name="invoice_name" />
                        <TextInput state name="invoice_street" />
                        <TextInput state name="invoice_house_number" />
                        <TextInput state name="invoice_postcode" />
                        <TextInput state name="invoice_city" />
                        <SelectInput state name="invoice_country" options=countries(locale) />
                    </div>
                    <Toggle state name="newsletter" />
                </fieldset>
                <div class="editor-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                    <span class="editor-notice" role="status">
                        {move || notice.get().map(|(kind, text)| view! { <span class=format!("notice-{kind}")>{text}</span> })}
                    </span>
                </div>
            </form>
        </section>
    }
}

/// The customer's password and optional two-factor login.
#[component]
pub fn PortalSecurityPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| portal_security());
    let changed = Callback::new(move |_: ()| status.refetch());
    view! {
        <Title text=t("portal.security") />
        <h1 class="page-title">{t("portal.security")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(s) => {
                        let info = AccountInfo {
                            name: String::new(),
                            email: String::new(),
                            role_name: String::new(),
                            totp_enabled: s.totp_enabled,
                            totp_required: false,
                            recovery_codes_left: s.recovery_codes_left,
                        };
                        view! {
                            <PasswordForm who=super::api::CustomerSecurity />
                            <TwoFactorPanel who=super::api::CustomerSecurity info on_changed=changed />
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// The second step of a portal login with two-factor authentication (a plain form).
#[component]
pub fn PortalSecondFactorPage() -> impl IntoView {
    let query = use_query_map();
    let failed = move || query.read().get("error").is_some();
    let next = move || query.read().get("next").unwrap_or_else(|| "/portal".into());
    view! {
        <PortalCard title=t("login.2fa.title")>
            <p>{t("login.2fa.lead")}</p>
            {move || failed().then(|| view! { <p class="banner error" role="alert">{t("login.2fa.failed")}</p> })}
            <form method="post" action="/portal/auth/2fa">
                <div class="field">
                    <label for="portal-code">{t("login.2fa.code")}</label>
                    <input id="portal-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required />
                </div>
                <input type="hidden" name="next" value=next />
                <button type="submit" class="button primary">{t("login.2fa.submit")}</button>
            </form>
        </PortalCard>
    }
}
