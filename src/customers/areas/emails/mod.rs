//! E-Mails: every mail to the customer through the outbox, with its status and the text exactly
//! as sent.
pub mod api;

use crate::app::error_view;
use crate::i18n::{t, use_locale};
use crate::mail::model::MailRow;
use crate::ui::format;
use api::customer_mails;
use leptos::prelude::*;

#[component]
pub fn EmailsPanel(customer_id: i32) -> impl IntoView {
    let mails = Resource::new(move || customer_id, customer_mails);
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h2 id="panel-title">{t("area.emails")}</h2>
            <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match mails.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">{t("emails.empty")}</p> }.into_any(),
                        Ok(rows) => rows.into_iter().map(|m| view! { <MailItem mail=m /> }).collect_view().into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One mail: a summary line that opens to the full text (works without JavaScript).
#[component]
fn MailItem(mail: MailRow) -> impl IntoView {
    let locale = use_locale();
    view! {
        <details class="mail" data-mail=mail.id>
            <summary>
                <span class=format!("badge mail-{}", mail.status)>{t(&format!("emails.status.{}", mail.status))}</span>
                " " <strong>{mail.subject.clone()}</strong>
                <span class="muted">" · " {mail.to_addr.clone()} " · " {format::date_time(&mail.created_at, locale)}</span>
            </summary>
            {(!mail.cc.is_empty()).then(|| view! { <p class="muted">"CC: " {mail.cc.clone()}</p> })}
            {(!mail.last_error.is_empty()).then(|| view! { <p class="field-error">{mail.last_error.clone()}</p> })}
            <pre class="mail-body">{mail.body.clone()}</pre>
        </details>
    }
}
