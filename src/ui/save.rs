//! What a hand-written form shows after its save: the field messages, and one notice (saved,
//! someone else saved meanwhile, the input is invalid, or the error), in the user's language.
use crate::error::{AppError, FieldError};
use crate::i18n::t;
use leptos::prelude::*;

/// The messages of a form's save, for its fields and its notice line.
#[derive(Clone, Copy)]
pub struct SaveResult {
    pub errors: RwSignal<Vec<FieldError>>,
    pub notice: RwSignal<Option<String>>,
}

/// Follow `action`'s answers: on success clear the messages, say "saved" and call `on_saved`;
/// a validation error goes to the fields (with `invalid_key`'s notice when given), a conflict
/// says `conflict_key`, any other error its message.
pub fn use_save_result<I, T>(
    action: Action<I, Result<T, AppError>>,
    conflict_key: &'static str,
    invalid_key: Option<&'static str>,
    on_saved: Callback<()>,
) -> SaveResult
where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let result = SaveResult { errors: RwSignal::new(Vec::new()), notice: RwSignal::new(None) };
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            result.errors.set(Vec::new());
            result.notice.set(Some(t("editor.saved")));
            on_saved.run(());
        }
        Some(Err(AppError::Validation(errs))) => {
            result.notice.set(invalid_key.map(t));
            result.errors.set(errs);
        }
        Some(Err(AppError::Conflict { .. })) => result.notice.set(Some(t(conflict_key))),
        Some(Err(e)) => result.notice.set(Some(t(e.message_key()))),
        None => {}
    });
    result
}
