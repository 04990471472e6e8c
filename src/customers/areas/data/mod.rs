//! Daten: the customer's master data, settings and locks.
pub mod actions;
pub mod editor;

use crate::customers::model::{CustomerDetail, CustomerProfile, FormMeta};
use editor::{CustomerEditor, EditorMode};
use leptos::prelude::*;

/// The Daten panel of a profile.
#[component]
pub fn DataPanel(
    detail: CustomerDetail,
    meta: FormMeta,
    on_saved: Callback<CustomerProfile>,
    read_only: bool,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <CustomerEditor mode=EditorMode::Edit(Box::new(detail)) meta on_saved read_only />
        </section>
    }
}
