//! E-Mails: every mail to the customer through the outbox, with its status and the text exactly
//! as sent; resend one, or write a new one with a preview.
pub mod api;
#[cfg(feature = "ssr")]
pub mod compose;
#[cfg(feature = "ssr")]
pub mod server;

use super::def::{AreaDef, PanelCtx, Placement, TimelineKind};
use crate::auth::Permission;
use crate::error::{AppError, FieldError};
use crate::i18n::{t, translate_with, use_locale};
use crate::live::client::Live;
use crate::mail::model::{MailKind, MailRow};
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{ListView, Panel};
use api::{MailPreview, customer_mails, preview_mail, resend_mail, send_mail};
use leptos::prelude::*;

#[component]
pub fn EmailsPanel(customer_id: i32, read_only: bool) -> impl IntoView {
    let mails = Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| customer_mails(id));
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| {
        if !Live::streaming(live) {
            mails.refetch();
        }
    });
    view! {
        <Panel title_key="area.emails">
            {(!read_only).then(|| view! { <Compose customer_id on_sent=changed /> })}
            <ListView resource=mails empty_key="emails.empty" rows=move |rows| rows
                            .into_iter()
                            .map(|m| view! { <MailItem mail=m customer_id read_only on_resent=changed /> })
                            .collect_view()
                            .into_any() />
        </Panel>
    }
}

/// One mail: a summary line that opens to the full text (works without JavaScript).
#[component]
fn MailItem(mail: MailRow, customer_id: i32, read_only: bool, on_resent: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let id = mail.id;
    let resend = Action::new(move |_: &()| resend_mail(customer_id, id));
    Effect::new(move |_| {
        if let Some(Ok(_)) = resend.value().get() {
            on_resent.run(());
        }
    });
    view! {
        <details class="mail" data-mail=mail.id>
            <summary>
                <span class=format!("badge mail-{}", mail.status)>{t(&format!("emails.status.{}", mail.status))}</span>
                " " <strong>{mail.subject.clone()}</strong>
                <span class="muted">" · " {mail.to_addr.clone()} " · " {format::date_time(&mail.created_at, locale)}</span>
                {mail.blocked_until.clone().map(|until| view! {
                    " " <span class="badge blocked">{translate_with(locale, "emails.blocked_until", &[("date", &until)])}</span>
                })}
            </summary>
            {(!mail.cc.is_empty()).then(|| view! { <p class="muted">"CC: " {mail.cc.clone()}</p> })}
            {(!mail.last_error.is_empty()).then(|| view! { <p class="field-error">{mail.last_error.clone()}</p> })}
            <pre class="mail-body">{mail.body.clone()}</pre>
            {(!read_only && mail.blocked_until.is_none()).then(|| view! {
                <button type="button" class="button" disabled=move || resend.pending().get() on:click=move |_| { resend.dispatch(()); }>
                    {t("emails.resend")}
                </button>
            })}
        </details>
    }
}

/// Write a mail: subject and text with placeholders, a preview, then send.
#[component]
fn Compose(customer_id: i32, on_sent: Callback<()>) -> impl IntoView {
    let kind = RwSignal::new(MailKind::General);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let shown = RwSignal::new(None::<MailPreview>);
    let notice = RwSignal::new(None::<String>);
    let preview = Action::new(move |_: &()| {
        preview_mail(customer_id, kind.get_untracked(), subject.get_untracked(), body.get_untracked())
    });
    let send = Action::new(move |_: &()| {
        send_mail(customer_id, kind.get_untracked(), subject.get_untracked(), body.get_untracked())
    });
    let fail = move |e: AppError| match e {
        AppError::Validation(errs) => errors.set(errs),
        other => notice.set(Some(t(other.message_key()))),
    };
    Effect::new(move |_| match preview.value().get() {
        Some(Ok(p)) => {
            errors.set(Vec::new());
            shown.set(Some(p));
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            shown.set(None);
            subject.set(String::new());
            body.set(String::new());
            notice.set(Some(t("emails.queued")));
            on_sent.run(());
        }
        Some(Err(e)) => fail(e),
        None => {}
    });
    view! {
        <details class="compose">
            <summary class="button">{t("emails.compose")}</summary>
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); preview.dispatch(()); }>
                <div class="field">
                    <label for="mail-kind">{t("emails.kind")}</label>
                    <select id="mail-kind" on:change=move |ev| {
                        if let Some(k) = MailKind::parse(&event_target_value(&ev)) { kind.set(k); }
                        shown.set(None);
                    }>
                        {MailKind::WRITABLE.iter().map(|&k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{t(&format!("emails.kind.{k}"))}</option>
                        }).collect_view()}
                    </select>
                    <p class="muted">{t("emails.kind_hint")}</p>
                </div>
                <div class="field">
                    <label for="mail-subject">{t("emails.subject")}</label>
                    <input id="mail-subject" type="text" prop:value=move || subject.get()
                        on:input=move |ev| { subject.set(event_target_value(&ev)); shown.set(None); } />
                    <FieldMessage errors field="subject" />
                    <FieldMessage errors field="to" />
                </div>
                <div class="field">
                    <label for="mail-body">{t("emails.body")}</label>
                    <textarea id="mail-body" rows="8" prop:value=move || body.get()
                        on:input=move |ev| { body.set(event_target_value(&ev)); shown.set(None); }></textarea>
                    <p class="muted">{t("emails.placeholders")}</p>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button">{t("emails.preview")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
            {move || shown.get().map(|p| view! {
                <div class="mail-preview" aria-label=t("emails.preview")>
                    <p><strong>{t("emails.to")} ": "</strong>{p.to}</p>
                    {(!p.cc.is_empty()).then(|| view! { <p class="preview-cc"><strong>"CC: "</strong>{p.cc.join(", ")}</p> })}
                    <p><strong>{t("emails.subject")} ": "</strong>{p.subject}</p>
                    <pre class="mail-body">{p.body}</pre>
                    <button type="button" class="button primary" disabled=move || send.pending().get()
                        on:click=move |_| { send.dispatch(()); }>{t("emails.send")}</button>
                </div>
            })}
        </details>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: crate::mail::AREA,
    label_key: "area.emails",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::EmailsView,
    edit: Permission::EmailsSend,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["emails", "contacts"],
    entities: &[],
    timeline: Some(TimelineKind {
        kind: "mail",
        title: |item| item.title.clone(),
        detail: |item| t(&format!("emails.status.{}", item.detail)),
    }),
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    view! { <EmailsPanel customer_id read_only /> }.into_any()
}
