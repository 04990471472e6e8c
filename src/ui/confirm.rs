//! A button that asks before it acts (actions that cannot be taken back or that mail someone).
use crate::i18n::t;
use leptos::prelude::*;

/// An action that asks first, as an item of an action list: `key` names it, `key.confirm`
/// asks, `key.do` confirms; the children show its result.
#[component]
pub fn ConfirmAction(key: &'static str, on_confirm: Callback<()>, children: Children) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <li>
            <button type="button" class="link" on:click=move |_| asking.set(true)>{t(key)}</button>
            <Show when=move || asking.get()>
                <div class="confirm" role="group" aria-label=t(key)>
                    <p>{t(&format!("{key}.confirm"))}</p>
                    <button type="button" class="button primary" on:click=move |_| {
                        asking.set(false);
                        on_confirm.run(());
                    }>{t(&format!("{key}.do"))}</button>
                    <button type="button" class="button quiet" on:click=move |_| asking.set(false)>{t("common.cancel")}</button>
                </div>
            </Show>
            {children()}
        </li>
    }
}
