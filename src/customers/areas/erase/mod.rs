//! "Kunde löschen": a preview of what happens to each class of the customer's data, then the
//! erasure (retention-aware; the record is anonymised). Administrators may delete an account
//! that never had business data outright.
pub mod api;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::customers::areas::data::actions::refusal;
use crate::error::AppError;
use crate::i18n::{t, translate_with, use_locale};
use crate::records::model::{ErasureItem, ErasureRequest, Fate};
use crate::ui::errors::error_view;
use api::{erase_customer, preview_erasure};
use leptos::prelude::*;

/// What happens to one line, in the user's language.
fn fate_text(fate: &Fate) -> String {
    let locale = use_locale();
    match fate {
        Fate::Deleted => t("erase.fate.deleted"),
        Fate::Anonymised => t("erase.fate.anonymised"),
        Fate::Blocked { class, until } => translate_with(
            locale,
            "erase.fate.blocked",
            &[("class", &t(&format!("erase.class.{class}"))), ("until", until)],
        ),
    }
}

#[component]
fn ErasureTable(items: Vec<ErasureItem>) -> impl IntoView {
    view! {
        <table class="data-table erase-items">
            <thead><tr>
                <th scope="col">{t("erase.area")}</th>
                <th scope="col">{t("erase.rows")}</th>
                <th scope="col">{t("erase.fate")}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|i| {
                    let kind = match &i.fate { Fate::Deleted => "deleted", Fate::Anonymised => "anonymised", Fate::Blocked { .. } => "blocked" };
                    view! {
                        <tr data-table=i.table.clone() data-fate=kind>
                            <td>{t(&format!("area.{}", i.area))} " · " <code>{i.table.clone()}</code></td>
                            <td class="num">{i.rows}</td>
                            <td>{fate_text(&i.fate)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn ErasePanel(customer_id: i32, may_hard_delete: bool) -> impl IntoView {
    let preview = Resource::new(move || customer_id, preview_erasure);
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h2 id="panel-title">{t("area.erase")}</h2>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(p) if p.erased_at.is_some() => {
                            let at = p.erased_at.clone().unwrap_or_default();
                            view! {
                                <p class="notice-ok" role="status">{translate_with(use_locale(), "erase.already", &[("date", at.get(..10).unwrap_or(&at))])}</p>
                                <ErasureTable items=p.items />
                            }.into_any()
                        }
                        Ok(p) => view! { <EraseForm customer_id preview=p may_hard_delete /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EraseForm(
    customer_id: i32,
    preview: crate::records::model::ErasurePreview,
    may_hard_delete: bool,
) -> impl IntoView {
    let locale = use_locale();
    let reference = RwSignal::new(String::new());
    let asking = RwSignal::new(None::<bool>);
    let erase = Action::new(move |r: &ErasureRequest| erase_customer(r.clone()));
    let version = preview.version;
    let hard_possible = preview.hard_delete_possible;
    let number = preview.customer_number.clone();
    let confirm = move |hard: bool| {
        asking.set(None);
        erase.dispatch(ErasureRequest {
            customer_id,
            version,
            request_ref: reference.get_untracked(),
            hard_delete: hard,
        });
    };
    view! {
        <p class="lead">{translate_with(locale, "erase.lead", &[("number", &number)])}</p>
        <ErasureTable items=preview.items />
        <div class="editor">
            <div class="field">
                <label for="erase-ref">{t("erase.request_ref")}</label>
                <input id="erase-ref" type="text" maxlength="100" prop:value=move || reference.get() on:input=move |ev| reference.set(event_target_value(&ev)) />
                <p class="muted">{t("erase.request_ref.help")}</p>
            </div>
            <button type="button" class="button primary danger" on:click=move |_| asking.set(Some(false))>{t("erase.do")}</button>
            {may_hard_delete.then(|| view! {
                <div class="hard-delete">
                    <h3>{t("erase.hard")}</h3>
                    <p class="muted">{if hard_possible { t("erase.hard.possible") } else { t("erase.hard.impossible") }}</p>
                    <button type="button" class="button quiet danger" disabled=!hard_possible on:click=move |_| asking.set(Some(true))>{t("erase.hard.do")}</button>
                </div>
            })}
            <Show when=move || asking.get().is_some()>
                <div class="confirm" role="group" aria-label=t("erase.do")>
                    <p>{move || t(if asking.get() == Some(true) { "erase.hard.confirm" } else { "erase.confirm" })}</p>
                    <button type="button" class="button primary" disabled=move || erase.pending().get() on:click=move |_| confirm(asking.get_untracked() == Some(true))>{t("erase.confirm_do")}</button>
                    <button type="button" class="button quiet" on:click=move |_| asking.set(None)>{t("common.cancel")}</button>
                </div>
            </Show>
            <crate::ui::progress::RunProgress run="erase" running=erase.pending() />
            {move || erase.value().get().map(|r| match r {
                Ok(o) if o.outcome == "hard_deleted" => view! {
                    <p class="notice-ok" role="status">{t("erase.done_hard")} " " <a href="/customers">{t("nav.customers")}</a></p>
                }.into_any(),
                Ok(o) => view! {
                    <p class="notice-ok" role="status">{t("erase.done")}</p>
                    <ErasureTable items=o.items />
                }.into_any(),
                Err(AppError::Conflict { .. }) => view! { <p class="field-error" role="alert">{t("erase.conflict")}</p> }.into_any(),
                Err(e) => refusal(e),
            })}
        </div>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "erase",
    label_key: "area.erase",
    placement: Placement::Page,
    shown_for: None,
    view: Permission::CustomersErase,
    edit: Permission::CustomersErase,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &[],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: crate::customers::areas::server::AreaServer {
        records: &[&crate::customers::areas::erase::retention::RECORDS],
        ..crate::customers::areas::server::AreaServer::NONE
    },
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let may_hard_delete = ctx.staff.can(Permission::CustomersHardDelete);
    view! { <ErasePanel customer_id may_hard_delete /> }.into_any()
}
