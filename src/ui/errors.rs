//! What a page shows when its data cannot be shown: 403, 404, or the error's message.
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

/// What a page shows for an error of its data: "forbidden" answers 403, "not found" 404.
pub fn error_view(error: AppError) -> AnyView {
    match error {
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        AppError::Forbidden => view! { <Forbidden /> }.into_any(),
        other => view! { <p class="banner error" role="alert">{t(other.message_key())}</p> }.into_any(),
    }
}

/// 403: the role does not allow this page.
#[component]
pub fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Title text=t("forbidden.title") />
        <section class="notfound">
            <h1>{t("forbidden.title")}</h1>
            <p>{t("forbidden.text")}</p>
            <a href="/customers" class="button">{t("notfound.back")}</a>
        </section>
    }
}

/// 404: unknown page, customer or area.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t("notfound.title") />
        <section class="notfound">
            <h1>{t("notfound.title")}</h1>
            <p>{t("notfound.text")}</p>
            <a href="/customers" class="button">{t("notfound.back")}</a>
        </section>
    }
}
