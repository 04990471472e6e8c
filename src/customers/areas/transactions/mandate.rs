//! "SEPA-Lastschriftmandat" in Transaktionen: the customer's mandates (the active one first) and,
//! for staff who may edit billing, adding one from the signed form and revoking it. A customer has
//! one active mandate; a new account is a new mandate after the old one is revoked.
use crate::billing::sepa::model::{MandateInput, MandateRow};
use crate::codec::Json;
use crate::customers::areas::data::actions::refusal;
use crate::error::AppError;
use crate::i18n::{t, use_locale};
use crate::ui::format;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_mandates", input = Json, output = Json)]
pub async fn customer_mandates(id: i32) -> Result<Vec<MandateRow>, AppError> {
    require(Permission::BillingView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::billing::sepa::mandates::list(db, id).await
}

#[server(endpoint = "add_mandate", input = Json, output = Json)]
pub async fn add_mandate(id: i32, mandate: MandateInput) -> Result<i32, AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::sepa::mandates::add(&ctx, id, &mandate, crate::clock::business_day()).await
}

#[server(endpoint = "revoke_mandate", input = Json, output = Json)]
pub async fn revoke_mandate(id: i32, mandate_id: i32, version: i64) -> Result<(), AppError> {
    let staff = require(Permission::BillingEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::billing::sepa::mandates::revoke(&ctx, id, mandate_id, version, crate::clock::business_day()).await
}

/// `stale` changes when the account's panel refetches (a save here, or anyone's live change).
#[component]
pub fn MandatePanel(customer_id: i32, can_edit: bool, stale: Signal<u64>) -> impl IntoView {
    let data = Resource::new(move || (customer_id, stale.get()), |(id, _)| customer_mandates(id));
    let add = Action::new(move |m: &MandateInput| add_mandate(customer_id, m.clone()));
    let revoke = Action::new(move |(m, v): &(i32, i64)| revoke_mandate(customer_id, *m, *v));
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) || matches!(revoke.value().get(), Some(Ok(_))) {
            data.refetch();
        }
    });
    view! {
        <details class="compose mandates">
            <summary class="button">{t("sepa.mandate")}</summary>
            <div class="action-result" role="status">
                {move || add.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="notice-ok">{t("sepa.mandate_added")}</p> }.into_any(),
                    // Field by field at the form's fields.
                    Err(AppError::Validation(_)) => ().into_any(),
                    Err(e) => refusal(e),
                })}
                {move || revoke.value().get().map(|r| match r {
                    Ok(()) => view! { <p class="notice-ok">{t("sepa.mandate_revoked")}</p> }.into_any(),
                    Err(e) => refusal(e),
                })}
            </div>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <MandateTable rows can_edit revoke /> }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
            {can_edit.then(|| view! { <MandateForm add /> })}
        </details>
    }
}

#[component]
fn MandateTable(
    rows: Vec<MandateRow>,
    can_edit: bool,
    revoke: Action<(i32, i64), Result<(), AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    if rows.is_empty() {
        return view! { <p class="empty">{t("sepa.no_mandate")}</p> }.into_any();
    }
    view! {
        <crate::ui::panel::DataTable class="mandate-table" heads=&["sepa.reference", "sepa.signed_on", "sepa.holder", "sepa.iban", "sepa.sequence", "sepa.state", "~sepa.actions"]>
            {rows.into_iter().map(|m| {
                let active = m.state == "active";
                let (id, version, reference) = (m.id, m.version, m.reference.clone());
                let state = if active {
                    t("sepa.state.active")
                } else {
                    format!("{} {}", t("sepa.state.revoked"), format::date(&m.revoked_on, locale))
                };
                view! {
                    <tr data-mandate=m.reference.clone()>
                        <td>{m.reference.clone()}</td>
                        <td>{format::date(&m.signed_on, locale)}</td>
                        <td>{m.holder.clone()}</td>
                        <td>{m.iban.clone()}{(!m.bic.is_empty()).then(|| view! { <br /><span class="muted">{m.bic.clone()}</span> })}</td>
                        <td>{t(&format!("sepa.sequence.{}", m.sequence))}</td>
                        <td>{state}</td>
                        <td>
                            {(can_edit && active).then(|| view! {
                                <button type="button" class="button small" disabled=move || revoke.pending().get()
                                    on:click=move |_| { revoke.dispatch((id, version)); }>
                                    {t("sepa.revoke")}<span class="visually-hidden">": " {reference.clone()}</span>
                                </button>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </crate::ui::panel::DataTable>
    }
    .into_any()
}

#[component]
fn MandateForm(add: Action<MandateInput, Result<i32, AppError>>) -> impl IntoView {
    let draft = RwSignal::new(MandateInput::default());
    let errors = RwSignal::new(Vec::<crate::error::FieldError>::new());
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            draft.set(MandateInput::default());
        }
        Some(Err(AppError::Validation(e))) => errors.set(e),
        _ => {}
    });
    let field = move |name: &'static str,
                      kind: &'static str,
                      get: fn(&MandateInput) -> String,
                      set: fn(&mut MandateInput, String)| {
        let id = format!("mandate-{name}");
        let invalid = move || errors.with(|e| e.iter().any(|e| e.field == name)).to_string();
        view! {
            <div class="field">
                <label for=id.clone()>{t(&format!("sepa.{name}"))}</label>
                <input id=id type=kind autocomplete="off" required=name != "bic" aria-invalid=invalid
                    prop:value=move || draft.with(get)
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev))) />
                <crate::ui::messages::FieldMessage errors field=name />
            </div>
        }
    };
    view! {
        <form class="editor" on:submit=move |ev| { ev.prevent_default(); add.dispatch(draft.get()); }>
            <h3>{t("sepa.add")}</h3>
            <div class="grid">
                {field("reference", "text", |d| d.reference.clone(), |d, v| d.reference = v)}
                {field("signed_on", "date", |d| d.signed_on.clone(), |d, v| d.signed_on = v)}
                {field("holder", "text", |d| d.holder.clone(), |d, v| d.holder = v)}
                {field("iban", "text", |d| d.iban.clone(), |d, v| d.iban = v)}
                {field("bic", "text", |d| d.bic.clone(), |d, v| d.bic = v)}
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || add.pending().get()>{t("sepa.add_submit")}</button>
            </div>
        </form>
    }
}
