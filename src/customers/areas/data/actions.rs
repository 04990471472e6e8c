//! Actions of the Daten area, listed under the sidebar.
use crate::customers::api::regenerate_api_key;
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;

pub const REGENERATE_API_KEY: &str = "regenerate_api_key";

/// "API-Schlüssel neu erzeugen": asks first (the old key stops working), then shows the new
/// key once; only its hash is stored.
#[component]
pub fn RegenerateApiKey(customer_id: i32) -> impl IntoView {
    let asking = RwSignal::new(false);
    let regenerate = Action::new(move |_: &()| regenerate_api_key(customer_id));
    let result = move || {
        regenerate.value().get().map(|r| match r {
            Ok(key) => view! {
                <div class="action-result" role="status">
                    <p>{t("action.api_key.shown_once")}</p>
                    <code class="secret">{key}</code>
                </div>
            }
            .into_any(),
            Err(AppError::Validation(errors)) => {
                let key = errors.first().map(|e| e.key.clone()).unwrap_or_default();
                view! { <p class="field-error" role="alert">{t(&key)}</p> }.into_any()
            }
            Err(other) => {
                view! { <p class="field-error" role="alert">{t(other.message_key())}</p> }.into_any()
            }
        })
    };
    view! {
        <li>
            <button type="button" class="link" on:click=move |_| asking.set(true)>{t("action.api_key")}</button>
            <Show when=move || asking.get()>
                <div class="confirm" role="group" aria-label=t("action.api_key")>
                    <p>{t("action.api_key.confirm")}</p>
                    <button type="button" class="button primary" on:click=move |_| {
                        asking.set(false);
                        regenerate.dispatch(());
                    }>{t("action.api_key.do")}</button>
                    <button type="button" class="button quiet" on:click=move |_| asking.set(false)>{t("common.cancel")}</button>
                </div>
            </Show>
            {result}
        </li>
    }
}
