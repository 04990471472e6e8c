//! The validation message of one field, from a list of field errors.
use crate::error::FieldError;
use crate::i18n::{translate_with, use_locale};
use leptos::prelude::*;

#[component]
pub fn FieldMessage(errors: RwSignal<Vec<FieldError>>, #[prop(into)] field: String) -> impl IntoView {
    let locale = use_locale();
    move || {
        errors.with(|errs| {
            errs.iter().find(|e| e.field == field).map(|e| {
                let args: Vec<(&str, &str)> = e.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                view! { <p class="field-error" role="alert">{translate_with(locale, &e.key, &args)}</p> }
            })
        })
    }
}
