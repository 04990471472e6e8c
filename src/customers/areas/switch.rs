//! A sidebar action that switches one flag of the customer (e.g. "Update-Service aktivieren /
//! deaktivieren"). It asks first; its label follows the customer's current state (after this
//! action, a colleague's change or a save in Daten), and it saves at the version shown.
use crate::customers::areas::data::actions::refusal;
use crate::customers::areas::def::ShownProfile;
use crate::customers::model::{CustomerDetail, CustomerForm};
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::confirm::ConfirmAction;
use leptos::prelude::*;
use std::future::Future;

/// One switchable flag: how to read it, what the action is called, and the server function
/// that sets it.
pub trait Flag: Copy + Send + Sync + 'static {
    fn is_on(self, form: &CustomerForm) -> bool;
    /// The label key of the action that switches away from `on`.
    fn key(self, on: bool) -> &'static str;
    fn set(
        self,
        customer_id: i32,
        version: i64,
        on: bool,
    ) -> impl Future<Output = Result<(), AppError>> + Send + 'static;
}

#[component]
pub fn Switch<F: Flag>(detail: CustomerDetail, which: F) -> impl IntoView {
    let customer_id = detail.id;
    let first = (detail.version, which.is_on(&detail.form));
    let shown = use_context::<ShownProfile>();
    // (version, on) as the header shows them now.
    let state =
        move || shown.map(|s| s.0.with(|p| (p.detail.version, which.is_on(&p.detail.form)))).unwrap_or(first);
    let on = Memo::new(move |_| state().1);
    let act = Action::new(move |_: &()| {
        let (version, on) = state();
        which.set(customer_id, version, !on)
    });
    let result = move || {
        act.value().get().map(|r| match r {
            Ok(()) => view! { <p class="action-result" role="status">{t("editor.saved")}</p> }.into_any(),
            Err(e) => refusal(e),
        })
    };
    move || {
        view! {
            <ConfirmAction key=which.key(on.get()) on_confirm=Callback::new(move |_| { act.dispatch(()); })>
                {result}
            </ConfirmAction>
        }
    }
}
