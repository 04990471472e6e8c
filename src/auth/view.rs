//! The staff login page: a plain HTML form posting to /auth/login (works without JavaScript).
use crate::i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let failed = move || query.read().get("error").is_some();
    let email = move || query.read().get("email").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_else(|| "/customers".into());
    view! {
        <Title text=t("login.title") />
        <main class="login" id="main">
            <form class="login-card" method="post" action="/auth/login">
                <p class="brand">"clientdesk"</p>
                <h1>{t("login.title")}</h1>
                {move || failed().then(|| view! { <p class="banner error" role="alert">{t("login.failed")}</p> })}
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
