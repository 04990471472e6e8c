//! "Neuer Kunde" at /customers/new: the master-data form, empty.
use crate::customers::api::customer_form_meta;
use crate::customers::areas::data::editor::{CustomerEditor, EditorMode};
use crate::i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::CustomersEdit>
            <NewCustomerForm />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn NewCustomerForm() -> impl IntoView {
    let meta = Resource::new(|| (), |_| customer_form_meta());
    view! {
        <Title text=t("new.title") />
        <h1 class="page-title">{t("new.title")}</h1>
        <section class="panel">
            <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    meta.await.map(|meta| view! { <CustomerEditor mode=EditorMode::New meta /> })
                })}
            </Suspense>
        </section>
    }
}
