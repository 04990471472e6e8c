//! The staff login page: a plain HTML form posting to /auth/login (works without JavaScript).
use crate::i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error");
    let wait = move || query.read().get("wait").unwrap_or_default();
    let email = move || query.read().get("email").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_else(|| "/customers".into());
    view! {
        <Title text=t("login.title") />
        <main class="login" id="main">
            <form class="login-card" method="post" action="/auth/login">
                <p class="brand">"clientdesk"</p>
                <h1>{t("login.title")}</h1>
                {move || error().map(|e| {
                    let text = match e.as_str() {
                        "throttled" => crate::i18n::translate_with(
                            crate::i18n::use_locale(),
                            "login.throttled",
                            &[("seconds", &wait())],
                        ),
                        "expired" => t("login.2fa.expired"),
                        _ => t("login.failed"),
                    };
                    view! { <p class="banner error" role="alert">{text}</p> }
                })}
                <div class="field">
                    <label for="login-email">{t("login.email")}</label>
                    <input id="login-email" name="email" type="email" autocomplete="username" required value=email />
                </div>
                <div class="field">
                    <label for="login-password">{t("login.password")}</label>
                    <input id="login-password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <input type="hidden" name="next" value=next />
                <button type="submit" class="button primary">{t("login.submit")}</button>
            </form>
        </main>
    }
}

/// The second step of a login with two-factor authentication (a plain form as well).
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let query = use_query_map();
    let failed = move || query.read().get("error").is_some();
    let next = move || query.read().get("next").unwrap_or_else(|| "/customers".into());
    view! {
        <Title text=t("login.2fa.title") />
        <main class="login" id="main">
            <form class="login-card" method="post" action="/auth/2fa">
                <p class="brand">"clientdesk"</p>
                <h1>{t("login.2fa.title")}</h1>
                <p>{t("login.2fa.lead")}</p>
                {move || failed().then(|| view! { <p class="banner error" role="alert">{t("login.2fa.failed")}</p> })}
                <div class="field">
                    <label for="login-code">{t("login.2fa.code")}</label>
                    <input id="login-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus />
                </div>
                <input type="hidden" name="next" value=next />
                <button type="submit" class="button primary">{t("login.2fa.submit")}</button>
            </form>
        </main>
    }
}
