//! Rechnungen: the customer's invoices, cancellations and corrections with number, dates,
//! net, tax, gross and status, a page at a time. Drafts, finalising, payments and the billing
//! run join here step by step (docs/design/issue-14-money.md).
pub mod api;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod model;
mod planned_view;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::billing::model::{DraftInput, LineInput};
use crate::billing::tax::TaxClass;
use crate::i18n::{Locale, t, use_locale};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::{InvoiceKind, InvoicePage, InvoiceRow, InvoiceState, NoticeRef};

/// What this staff member may do here.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rights {
    pub edit: bool,
    pub finalise: bool,
    pub cancel: bool,
    pub pay: bool,
    /// Mail an invoice again.
    pub send: bool,
}

#[component]
pub fn InvoicesPanel(customer_id: i32, rights: Rights) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let invoices = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_invoices(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => invoices.refetch(),
    });
    view! {
        <Panel title_key="area.invoices">
            {rights.edit.then(|| view! {
                <details class="compose">
                    <summary class="button">{t("invoices.new")}</summary>
                    <DraftForm customer_id start=DraftInput { lines: vec![blank_line()], ..DraftInput::default() } prefix="new-invoice".to_string() on_saved=changed />
                </details>
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match invoices.await {
                        Ok(p) => view! { <InvoiceTable page=p customer_id locale rights on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <planned_view::PlannedItems customer_id can_edit=rights.edit can_bill=rights.finalise on_saved=changed />
        </Panel>
    }
}

fn blank_line() -> LineInput {
    LineInput { quantity: "1".into(), ..LineInput::default() }
}

/// A draft's form: its lines (description, quantity, unit price, tax class, service dates) and
/// a note. A new draft starts empty again after saving; an edited one closes with the list's
/// refresh. `prefix` keeps the element ids of two open forms apart.
#[component]
fn DraftForm(customer_id: i32, start: DraftInput, prefix: String, on_saved: Callback<()>) -> impl IntoView {
    let fresh = start.id.is_none();
    let initial = StoredValue::new(start.clone());
    let draft = RwSignal::new(start);
    let save = Action::new(move |d: &DraftInput| save_invoice_draft(customer_id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "invoices.conflict", None, on_saved);
    Effect::new(move |_| {
        if let (Some(Ok(_)), true) = (save.value().get(), fresh) {
            draft.set(initial.get_value());
        }
    });
    let count = Memo::new(move |_| draft.with(|d| d.lines.len()));
    let note_id = format!("{prefix}-note");
    let p = StoredValue::new(prefix);
    view! {
        <form class="editor invoice-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <DraftLine i prefix=p.get_value() draft errors />
            </For>
            <FieldMessage errors field="lines" />
            <button type="button" class="button quiet" on:click=move |_| draft.update(|d| d.lines.push(blank_line()))>{t("invoices.add_line")}</button>
            <div class="field">
                <label for=note_id.clone()>{t("invoices.note")}</label>
                <textarea id=note_id rows="2" prop:value=move || draft.with(|d| d.note.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.note = v); }></textarea>
                <FieldMessage errors field="note" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("invoices.save_draft")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

/// "Bearbeiten" of a draft: its form, loaded as stored.
#[component]
fn EditDraft(customer_id: i32, invoice: i32, on_saved: Callback<()>) -> impl IntoView {
    let stored = Resource::new(move || (customer_id, invoice), |(id, invoice)| invoice_draft(id, invoice));
    view! {
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match stored.await {
                    Ok(start) => view! { <DraftForm customer_id start prefix=format!("draft-{invoice}") on_saved /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn DraftLine(
    i: usize,
    prefix: String,
    draft: RwSignal<DraftInput>,
    errors: RwSignal<Vec<crate::error::FieldError>>,
) -> impl IntoView {
    let locale = use_locale();
    let id = move |f: &str| format!("{prefix}-line-{i}-{f}");
    let get =
        move |f: fn(&LineInput) -> String| move || draft.with(|d| d.lines.get(i).map(f).unwrap_or_default());
    let set = move |f: fn(&mut LineInput, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            draft.update(|d| {
                if let Some(l) = d.lines.get_mut(i) {
                    f(l, v)
                }
            })
        }
    };
    let linked = draft.with_untracked(|d| d.lines.get(i).and_then(|l| l.item).is_some());
    let period = draft.with_untracked(|d| {
        d.lines.get(i).map(|l| {
            format!("{} – {}", format::date(&l.service_from, locale), format::date(&l.service_to, locale))
        })
    });
    let number = (i + 1).to_string();
    view! {
        <fieldset class="invoice-line grid">
            <legend>{crate::i18n::translate_with(locale, "invoices.line", &[("n", &number)])}</legend>
            <div class="field wide">
                <label for=id("description")>{t("invoices.line_description_label")}</label>
                <input id=id("description") type="text" prop:value=get(|l| l.description.clone()) on:input=set(|l, v| l.description = v) />
                <FieldMessage errors field=format!("lines.{i}.description") />
            </div>
            <div class="field">
                <label for=id("quantity")>{t("invoices.quantity")}</label>
                <input id=id("quantity") type="text" inputmode="decimal" prop:value=get(|l| l.quantity.clone()) on:input=set(|l, v| l.quantity = v) />
                <FieldMessage errors field=format!("lines.{i}.quantity") />
            </div>
            <div class="field">
                <label for=id("unit_price")>{t("invoices.unit_price")}</label>
                <input id=id("unit_price") type="text" inputmode="decimal" prop:value=get(|l| l.unit_price.clone()) on:input=set(|l, v| l.unit_price = v) />
                <FieldMessage errors field=format!("lines.{i}.unit_price") />
            </div>
            <div class="field">
                <label for=id("tax_class")>{t("invoices.tax_class")}</label>
                <select id=id("tax_class") on:change=move |ev| {
                    let v = TaxClass::parse(&event_target_value(&ev)).unwrap_or_default();
                    draft.update(|d| if let Some(l) = d.lines.get_mut(i) { l.tax_class = v });
                }>
                    {TaxClass::ALL.iter().map(|c| view! {
                        <option value=c.as_str() selected=move || draft.with(|d| d.lines.get(i).is_some_and(|l| l.tax_class == *c))>{t(&format!("invoices.tax_class.{}", c.as_str()))}</option>
                    }).collect_view()}
                </select>
            </div>
            {if linked {
                view! {
                    <p class="field wide muted">{t("invoices.item_period_label")} " " {period}</p>
                    <FieldMessage errors field=format!("lines.{i}.service_from") />
                }.into_any()
            } else {
                view! {
                    <div class="field">
                        <label for=id("service_from")>{t("invoices.service_from")}</label>
                        <input id=id("service_from") type="date" prop:value=get(|l| l.service_from.clone()) on:input=set(|l, v| l.service_from = v) />
                        <FieldMessage errors field=format!("lines.{i}.service_from") />
                    </div>
                    <div class="field">
                        <label for=id("service_to")>{t("invoices.service_to")}</label>
                        <input id=id("service_to") type="date" prop:value=get(|l| l.service_to.clone()) on:input=set(|l, v| l.service_to = v) />
                    </div>
                }.into_any()
            }}
            <button type="button" class="button small quiet" disabled=move || draft.with(|d| d.lines.len() < 2)
                on:click=move |_| draft.update(|d| if d.lines.len() > 1 && i < d.lines.len() { d.lines.remove(i); })>
                {t("invoices.remove_line")}<span class="visually-hidden">" " {number.clone()}</span>
            </button>
        </fieldset>
    }
}

#[component]
fn InvoiceTable(
    page: InvoicePage,
    customer_id: i32,
    locale: Locale,
    rights: Rights,
    on_saved: Callback<()>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("invoices.empty")}</p> }.into_any();
    }
    let InvoicePage { rows, page: current, pages, total } = page;
    let date = move |d: &Option<String>| d.as_deref().map(|d| format::date(d, locale)).unwrap_or_default();
    view! {
        <p class="count">{crate::i18n::translate_with(locale, "invoices.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="invoice-table" heads=&["invoices.number", "invoices.issue_date", "invoices.due_date", "invoices.net", "invoices.tax", "invoices.gross", "invoices.state", "invoices.actions"]>
            {rows.into_iter().map(|r| view! {
                <tr data-invoice=r.id data-number=r.number.clone().unwrap_or_default()>
                    <td>
                        {r.number.clone().unwrap_or_else(|| crate::i18n::translate(locale, "invoices.draft"))}
                        {(r.kind != InvoiceKind::Invoice).then(|| view! { " " <span class="badge">{t(&format!("invoices.kind.{}", r.kind.as_str()))}</span> })}
                    </td>
                    <td>{date(&r.issue_date)}</td>
                    <td>{date(&r.due_date)}</td>
                    <td class="num">{format::cents(r.net_cents, locale)}</td>
                    <td class="num">{format::cents(r.tax_cents, locale)}</td>
                    <td class="num">{format::cents(r.gross_cents, locale)}</td>
                    <td>
                        {t(&format!("invoices.state.{}", r.state.as_str()))}
                        {(r.state == InvoiceState::Open && r.overdue).then(|| view! { " " <span class="badge warning">{t("invoices.overdue")}</span> })}
                        <DebitBadge debit_on=r.debit_on.clone() />
                        <NoticeLinks notices=r.dunning.clone() href=move |n| format!("/documents/customers/{customer_id}/dunning/{n}/pdf") />
                    </td>
                    <td><RowActions r=r.clone() customer_id rights on_saved /></td>
                </tr>
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/invoices?page={p}") />
    }
    .into_any()
}

/// The direct debit under way for an invoice, with its collection day. Shared with the
/// self-service area.
#[component]
pub fn DebitBadge(debit_on: Option<String>) -> impl IntoView {
    let locale = use_locale();
    debit_on.map(|d| {
        let text =
            crate::i18n::translate_with(locale, "invoices.debit_on", &[("date", &format::date(&d, locale))]);
        view! { " " <span class="badge" data-debit-on=d>{text}</span> }
    })
}

/// An invoice's dunning notices, lowest level first: each a link to its archived PDF (a plain
/// label until it is archived). Shared with the self-service area.
#[component]
pub fn NoticeLinks(notices: Vec<NoticeRef>, href: impl Fn(i32) -> String + 'static) -> impl IntoView {
    let locale = use_locale();
    notices
        .into_iter()
        .map(|n| {
            let label = crate::i18n::translate(locale, &format!("invoices.dunning_level.{}", n.level));
            let title = crate::i18n::translate_with(
                locale,
                "invoices.dunning_of",
                &[("level", label.as_str()), ("date", &format::date(&n.issued_on, locale))],
            );
            if n.archived {
                view! { " " <a class="badge warning" rel="external" href=href(n.id) title=title.clone() aria-label=title>{label}</a> }.into_any()
            } else {
                view! { " " <span class="badge warning" title=title>{label}</span> }.into_any()
            }
        })
        .collect_view()
}

/// What can be done with one invoice: finalise or delete a draft; correct or cancel a final
/// invoice; pay an open one from credit.
#[component]
fn RowActions(r: InvoiceRow, customer_id: i32, rights: Rights, on_saved: Callback<()>) -> impl IntoView {
    let invoice = r.id;
    let finalise = Action::new(move |_: &()| finalise_invoice(customer_id, invoice));
    let remove = Action::new(move |_: &()| delete_invoice_draft(customer_id, invoice));
    let pay = Action::new(move |_: &()| pay_invoice_from_credit(customer_id, invoice));
    let cancel = Action::new(move |reason: &String| cancel_invoice(customer_id, invoice, reason.clone()));
    let resend = Action::new(move |_: &()| resend_invoice(customer_id, invoice));
    let correct = Action::new(move |_: &()| start_invoice_correction(customer_id, invoice));
    let locale = use_locale();
    let editing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let SaveResult { errors, notice } = use_save_result(finalise, "invoices.conflict", None, on_saved);
    let removed = use_save_result(remove, "invoices.conflict", None, on_saved);
    let paid = use_save_result(pay, "invoices.conflict", None, on_saved);
    let cancelled = use_save_result(cancel, "invoices.conflict", None, on_saved);
    let resent = use_save_result(resend, "invoices.conflict", None, Callback::new(|_| ()));
    let corrected = use_save_result(correct, "invoices.conflict", None, on_saved);
    let draft = r.state == InvoiceState::Draft;
    let cancellable =
        matches!(r.state, InvoiceState::Open | InvoiceState::Paid) && r.kind != InvoiceKind::Cancellation;
    // Dunning charges are cancelled, never corrected (the service refuses it too).
    let correctable = cancellable && r.kind != InvoiceKind::Fee;
    let field = format!("cancel-{invoice}-reason");
    let pdf = r.archived.then(|| {
        let label = crate::i18n::translate_with(locale, "invoices.pdf_of", &[("number", r.number.as_deref().unwrap_or(""))]);
        view! { <a class="button small quiet" rel="external" href=format!("/documents/customers/{customer_id}/invoices/{invoice}/pdf") aria-label=label>"PDF"</a> }
    });
    let xml = r.einvoice.as_ref().map(|kind| {
        let args = [("number", r.number.as_deref().unwrap_or("")), ("kind", kind.as_str())];
        let label = crate::i18n::translate_with(locale, "invoices.xml_of", &args);
        view! { <a class="button small quiet" rel="external" href=format!("/documents/customers/{customer_id}/invoices/{invoice}/xml") aria-label=label>"XML"</a> }
    });
    view! {
        <div class="row-actions">
            {pdf}
            {xml}
            {(draft && rights.finalise).then(|| view! {
                <button type="button" class="button small primary" on:click=move |_| { finalise.dispatch(()); }>{t("invoices.finalise")}</button>
            })}
            {(draft && rights.edit).then(|| view! {
                <button type="button" class="button small quiet" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>{t("invoices.edit_draft")}</button>
                <button type="button" class="button small quiet" on:click=move |_| { remove.dispatch(()); }>{t("invoices.delete_draft")}</button>
            })}
            {(r.archived && rights.send).then(|| view! {
                <button type="button" class="button small quiet" on:click=move |_| { resend.dispatch(()); }>{t("invoices.resend")}</button>
            })}
            {(r.state == InvoiceState::Open && rights.pay).then(|| view! {
                <button type="button" class="button small" on:click=move |_| { pay.dispatch(()); }>{t("invoices.pay_from_credit")}</button>
            })}
            {(correctable && rights.cancel && rights.edit).then(|| view! {
                <button type="button" class="button small quiet" on:click=move |_| { correct.dispatch(()); }>{t("invoices.correct")}</button>
            })}
            {(cancellable && rights.cancel).then(|| view! {
                <details class="inline-action">
                    <summary class="link">{t("invoices.cancel")}</summary>
                    <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); cancel.dispatch(reason.get_untracked()); }>
                        <div class="field">
                            <label for=field.clone()>{t("invoices.cancel_reason_label")}</label>
                            <input id=field.clone() type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                            <FieldMessage errors=cancelled.errors field="reason" />
                            <FieldMessage errors=cancelled.errors field="invoice" />
                        </div>
                        <button type="submit" class="button small">{t("invoices.cancel_do")}</button>
                        <span class="editor-notice" role="status">{move || cancelled.notice.get()}</span>
                    </form>
                </details>
            })}
            <FieldMessage errors field="invoice" />
            <FieldMessage errors field="lines" />
            <FieldMessage errors=paid.errors field="invoice" />
            <FieldMessage errors=removed.errors field="invoice" />
            <FieldMessage errors=resent.errors field="invoice" />
            <FieldMessage errors=corrected.errors field="invoice" />
            <span class="editor-notice" role="status">{move || {
                resend.value().get().and_then(|r| r.ok()).map(|_| crate::i18n::translate(locale, "invoices.resent"))
                    .or(correct.value().get().and_then(|r| r.ok()).map(|_| crate::i18n::translate(locale, "invoices.correction_started")))
                    .or(notice.get()).or(paid.notice.get()).or(removed.notice.get())
            }}</span>
            <Show when=move || editing.get()>
                <EditDraft customer_id invoice on_saved />
            </Show>
        </div>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "invoices",
    label_key: "area.invoices",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::BillingView,
    edit: Permission::BillingEdit,
    actions: &[super::billing::actions::DUNNING],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["invoices", "transactions"],
    entities: &[],
    timeline: Some(super::def::TimelineKind {
        kind: "invoice",
        title: |item| {
            let (kind, number) = item.title.split_once(':').unwrap_or(("invoice", &item.title));
            format!("{} {number}", t(&format!("invoices.kind.{kind}")))
        },
        detail: |item| format::cents(item.detail.parse().unwrap_or(0), use_locale()),
    }),
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let may = |p: Permission| !ctx.read_only && ctx.staff.can(p);
    let rights = Rights {
        edit: may(Permission::BillingEdit),
        finalise: may(Permission::InvoicesFinalise),
        cancel: may(Permission::InvoicesCancel),
        pay: may(Permission::PaymentsBook),
        send: may(Permission::EmailsSend),
    };
    view! { <InvoicesPanel customer_id rights /> }.into_any()
}
