//! Actions of the Daten area, listed under the sidebar.
use crate::auth::Permission;
use crate::customers::api::{regenerate_api_key, send_password_reset};
use crate::customers::areas::def::AreaAction;
use crate::customers::model::CustomerDetail;
use crate::error::AppError;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::confirm::ConfirmAction;
use leptos::prelude::*;

/// Why an action did not happen, in the user's language.
/// A field message's values (`{max}`) are filled in.
pub(crate) fn refusal(error: AppError) -> AnyView {
    let text = match &error {
        AppError::Validation(errors) => errors
            .first()
            .map(|e| {
                let args: Vec<(&str, &str)> = e.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                translate_with(use_locale(), &e.key, &args)
            })
            .unwrap_or_default(),
        other => t(other.message_key()),
    };
    view! { <p class="field-error" role="alert">{text}</p> }.into_any()
}

/// The Daten area's actions, in the order they are listed.
pub const ACTIONS: &[AreaAction] = &[
    AreaAction { id: "impersonate", permission: Permission::Impersonate, view: impersonate },
    AreaAction { id: "send_password", permission: Permission::SendPassword, view: send_password },
    AreaAction {
        id: "regenerate_api_key",
        permission: Permission::CustomersEdit,
        view: regenerate_api_key_action,
    },
    AreaAction { id: "vcard", permission: Permission::CustomersView, view: vcard },
    AreaAction { id: "data_report", permission: Permission::DataReport, view: data_report },
    AreaAction { id: "merge", permission: Permission::CustomersMerge, view: merge },
    AreaAction { id: "erase", permission: Permission::CustomersErase, view: erase },
];

fn impersonate(c: &CustomerDetail) -> AnyView {
    view! { <Impersonate customer_id=c.id /> }.into_any()
}

fn send_password(c: &CustomerDetail) -> AnyView {
    view! { <SendPassword customer_id=c.id /> }.into_any()
}

fn regenerate_api_key_action(c: &CustomerDetail) -> AnyView {
    view! { <RegenerateApiKey customer_id=c.id /> }.into_any()
}

/// "vCard herunterladen": a plain download link.
fn vcard(c: &CustomerDetail) -> AnyView {
    view! { <li><a href=format!("/documents/customers/{}/vcard", c.id) download>{t("action.vcard")}</a></li> }
        .into_any()
}

/// "Kunden zusammenführen": opens the merge page.
fn merge(c: &CustomerDetail) -> AnyView {
    view! { <li><a href=format!("/customers/{}/merge", c.id)>{t("area.merge")}</a></li> }.into_any()
}

/// "Kunde löschen": opens the erasure page with its preview.
fn erase(c: &CustomerDetail) -> AnyView {
    view! { <li><a href=format!("/customers/{}/erase", c.id)>{t("area.erase")}</a></li> }.into_any()
}

/// "Datenauskunft": everything stored about the customer, as a download in three formats.
fn data_report(c: &CustomerDetail) -> AnyView {
    let id = c.id;
    view! {
        <li class="data-report">
            <span>{t("action.data_report")}</span>
            <span class="formats">
                // Forms, not links: issuing a report is logged, so no GET (a link on another
                // site) may trigger it; a POST passes the origin check.
                {["pdf", "json", "zip"].map(|format| view! {
                    <form method="post" action=format!("/documents/customers/{id}/report.{format}")>
                        <button type="submit" class="link">{format.to_uppercase()}</button>
                    </form>
                }).collect_view()}
            </span>
            <crate::ui::progress::RunProgress run="report" />
        </li>
    }
    .into_any()
}

/// "API-Schlüssel neu erzeugen": asks first (the old key stops working), then shows the new
/// key once; only its hash is stored.
#[component]
pub fn RegenerateApiKey(customer_id: i32) -> impl IntoView {
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
            Err(e) => refusal(e),
        })
    };
    view! {
        <ConfirmAction key="action.api_key" on_confirm=Callback::new(move |_| { regenerate.dispatch(()); })>
            {result}
        </ConfirmAction>
    }
}

/// "Neues Passwort zusenden": after a confirmation, mails the customer a single-use link to set
/// a new password (never a password itself); recorded in the Log.
#[component]
pub fn SendPassword(customer_id: i32) -> impl IntoView {
    let locale = use_locale();
    let send = Action::new(move |_: &()| send_password_reset(customer_id));
    let result = move || {
        send.value().get().map(|r| match r {
            Ok(email) => view! {
                <p class="action-result" role="status">{translate_with(locale, "action.send_password.sent", &[("email", &email)])}</p>
            }
            .into_any(),
            Err(e) => refusal(e),
        })
    };
    view! {
        <ConfirmAction key="action.send_password" on_confirm=Callback::new(move |_| { send.dispatch(()); })>
            {result}
        </ConfirmAction>
    }
}

/// "Als Kunde einloggen": a reason first, then the self-service area opens as the customer in a
/// new tab (a plain form: works without JavaScript too).
#[component]
pub fn Impersonate(customer_id: i32) -> impl IntoView {
    view! {
        <li>
            <details class="impersonate">
                <summary class="link">{t("action.impersonate")}</summary>
                <form method="post" action="/portal/auth/impersonate" target="_blank" class="confirm">
                    <input type="hidden" name="customer_id" value=customer_id />
                    <label for="impersonate-reason">{t("action.impersonate.reason")}</label>
                    <textarea id="impersonate-reason" name="reason" rows="2" required minlength="3"></textarea>
                    <p class="muted">{t("action.impersonate.note")}</p>
                    <button type="submit" class="button primary">{t("action.impersonate.do")}</button>
                </form>
            </details>
        </li>
    }
}
