//! A select field over a typed choice: one option per value, labelled `{prefix}.{word}`.
use crate::choice::Choice;
use crate::i18n::t;
use leptos::prelude::*;

/// A labelled select for `T`; `get` reads the current value, `set` takes the chosen one.
pub fn choice_select<T: Choice>(
    id: String,
    label_key: &'static str,
    prefix: &'static str,
    get: impl Fn() -> T + Copy + Send + Sync + 'static,
    set: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{t(label_key)}</label>
            <select id=id on:change=move |ev| {
                if let Some(v) = T::parse(&event_target_value(&ev)) {
                    set(v);
                }
            }>
                {T::all().iter().map(|v| {
                    let v = *v;
                    view! { <option value=v.as_str() selected=move || get() == v>{t(&format!("{prefix}.{}", v.as_str()))}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
