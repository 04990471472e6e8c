//! Angebote: the customer's quotes with number, dates, totals and state, a page at a time.
//! Drafts are written, sent (number, PDF, mail), answered on the customer's behalf and
//! duplicated here; the customer answers in the self-service area. An accepted quote becomes a
//! draft invoice (docs/design/issue-15-money-ii.md).
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::billing::model::{QuoteInput, QuoteLineInput, Unit};
use crate::billing::tax::TaxClass;
use crate::i18n::{Locale, t, translate, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::{QuotePage, QuoteRow, QuoteState};

#[component]
pub fn QuotesPanel(customer_id: i32, can_edit: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let quotes = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_quotes(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => quotes.refetch(),
    });
    view! {
        <Panel title_key="area.quotes">
            {can_edit.then(|| view! {
                <details class="compose">
                    <summary class="button">{t("quotes.new")}</summary>
                    <QuoteForm customer_id start=QuoteInput { lines: vec![blank_line()], ..QuoteInput::default() } prefix="new-quote".to_string() on_saved=changed />
                </details>
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match quotes.await {
                        Ok(p) => view! { <QuoteTable page=p customer_id locale can_edit on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </Panel>
    }
}

fn blank_line() -> QuoteLineInput {
    QuoteLineInput { quantity: "1".into(), interval_count: 1, ..QuoteLineInput::default() }
}

/// A draft quote's form: validity, lines (each once or every interval) and a note. A new draft
/// starts empty again after saving. `prefix` keeps the element ids of two open forms apart.
#[component]
fn QuoteForm(customer_id: i32, start: QuoteInput, prefix: String, on_saved: Callback<()>) -> impl IntoView {
    let fresh = start.id.is_none();
    let initial = StoredValue::new(start.clone());
    let draft = RwSignal::new(start);
    let save = Action::new(move |d: &QuoteInput| save_quote_draft(customer_id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "quotes.conflict", None, on_saved);
    Effect::new(move |_| {
        if let (Some(Ok(_)), true) = (save.value().get(), fresh) {
            draft.set(initial.get_value());
        }
    });
    let count = Memo::new(move |_| draft.with(|d| d.lines.len()));
    let (note_id, valid_id) = (format!("{prefix}-note"), format!("{prefix}-valid-until"));
    let p = StoredValue::new(prefix);
    view! {
        <form class="editor invoice-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="field">
                <label for=valid_id.clone()>{t("quotes.valid_until")}</label>
                <input id=valid_id.clone() type="date" aria-describedby=format!("{valid_id}-hint") prop:value=move || draft.with(|d| d.valid_until.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.valid_until = v); } />
                <p id=format!("{valid_id}-hint") class="hint">{t("quotes.valid_until_hint")}</p>
                <FieldMessage errors field="valid_until" />
            </div>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <QuoteLineFields i prefix=p.get_value() draft errors />
            </For>
            <FieldMessage errors field="lines" />
            <FieldMessage errors field="quote" />
            <button type="button" class="button quiet" on:click=move |_| draft.update(|d| d.lines.push(blank_line()))>{t("invoices.add_line")}</button>
            <div class="field">
                <label for=note_id.clone()>{t("invoices.note")}</label>
                <textarea id=note_id rows="2" prop:value=move || draft.with(|d| d.note.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.note = v); }></textarea>
                <FieldMessage errors field="note" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("quotes.save_draft")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn QuoteLineFields(
    i: usize,
    prefix: String,
    draft: RwSignal<QuoteInput>,
    errors: RwSignal<Vec<crate::error::FieldError>>,
) -> impl IntoView {
    let locale = use_locale();
    let id = move |f: &str| format!("{prefix}-line-{i}-{f}");
    let get = move |f: fn(&QuoteLineInput) -> String| {
        move || draft.with(|d| d.lines.get(i).map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut QuoteLineInput, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            draft.update(|d| {
                if let Some(l) = d.lines.get_mut(i) {
                    f(l, v)
                }
            })
        }
    };
    let recurring = move || draft.with(|d| d.lines.get(i).is_some_and(|l| l.interval.is_some()));
    let number = (i + 1).to_string();
    view! {
        <fieldset class="invoice-line grid">
            <legend>{translate_with(locale, "invoices.line", &[("n", &number)])}</legend>
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
            <div class="field">
                <label for=id("interval")>{t("quotes.billing")}</label>
                <select id=id("interval") on:change=move |ev| {
                    let v = Unit::parse(&event_target_value(&ev));
                    draft.update(|d| if let Some(l) = d.lines.get_mut(i) { l.interval = v });
                }>
                    <option value="" selected=move || !recurring()>{t("quotes.once")}</option>
                    {Unit::ALL.iter().map(|u| view! {
                        <option value=u.as_str() selected=move || draft.with(|d| d.lines.get(i).is_some_and(|l| l.interval == Some(*u)))>{t(&format!("quotes.every_unit.{}", u.as_str()))}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=recurring>
                <div class="field">
                    <label for=id("interval_count")>{t("quotes.interval_count")}</label>
                    <input id=id("interval_count") type="number" min="1" max="120" inputmode="numeric"
                        prop:value=move || draft.with(|d| d.lines.get(i).map(|l| l.interval_count.to_string()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev).trim().parse().unwrap_or(0);
                            draft.update(|d| if let Some(l) = d.lines.get_mut(i) { l.interval_count = v });
                        } />
                    <FieldMessage errors field=format!("lines.{i}.interval_count") />
                </div>
            </Show>
            <button type="button" class="button small quiet" disabled=move || draft.with(|d| d.lines.len() < 2)
                on:click=move |_| draft.update(|d| if d.lines.len() > 1 && i < d.lines.len() { d.lines.remove(i); })>
                {t("invoices.remove_line")}<span class="visually-hidden">" " {number.clone()}</span>
            </button>
        </fieldset>
    }
}

/// "Bearbeiten" of a draft: its form, loaded as stored.
#[component]
fn EditQuote(customer_id: i32, quote: i32, on_saved: Callback<()>) -> impl IntoView {
    let stored = Resource::new(move || (customer_id, quote), |(id, quote)| quote_draft(id, quote));
    view! {
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match stored.await {
                    Ok(start) => view! { <QuoteForm customer_id start prefix=format!("quote-{quote}") on_saved /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuoteTable(
    page: QuotePage,
    customer_id: i32,
    locale: Locale,
    can_edit: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("quotes.empty")}</p> }.into_any();
    }
    let QuotePage { rows, page: current, pages, total, .. } = page;
    let date = move |d: &str| format::date(d, locale);
    view! {
        <p class="count">{translate_with(locale, "quotes.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="quote-table" heads=&["quotes.number", "invoices.issue_date", "quotes.valid_until", "invoices.net", "invoices.gross", "invoices.state", "invoices.actions"]>
            {rows.into_iter().map(|r| view! {
                <tr data-quote=r.id data-number=r.number.clone().unwrap_or_default()>
                    <td>
                        {r.number.clone().unwrap_or_else(|| translate(locale, "invoices.draft"))}
                        {(r.recurring > 0).then(|| view! { " " <span class="badge">{t("quotes.recurring")}</span> })}
                    </td>
                    <td>{date(r.issue_date.as_deref().unwrap_or(""))}</td>
                    <td>{date(&r.valid_until)}</td>
                    <td class="num">{format::cents(r.net_cents, locale)}</td>
                    <td class="num">{format::cents(r.gross_cents, locale)}</td>
                    <td><StateCell r=r.clone() customer_id locale /></td>
                    <td><RowActions r=r.clone() customer_id can_edit on_saved /></td>
                </tr>
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/quotes?page={p}") />
    }
    .into_any()
}

/// The state, who answered and why, and the draft invoice an accepted quote became.
#[component]
fn StateCell(r: QuoteRow, customer_id: i32, locale: Locale) -> impl IntoView {
    let by = r.decided_by.clone().map(|by| {
        let who = if by == "customer" { translate(locale, "quotes.by_customer") } else { by };
        let when = r.decided_at.as_deref().map(|a| format::date_time(a, locale)).unwrap_or_default();
        let reason = (!r.decided_reason.is_empty()).then(|| format!(" – {}", r.decided_reason));
        view! { <br /><span class="muted small">{who} ", " {when} {reason}</span> }
    });
    let invoice = r.invoice_id.map(|_| {
        let label = match &r.invoice_number {
            Some(n) => translate_with(locale, "quotes.became_invoice", &[("number", n)]),
            None => translate(locale, "quotes.became_draft"),
        };
        view! { <br /><a href=format!("/customers/{customer_id}/invoices")>{label}</a> }
    });
    view! {
        {t(&format!("quotes.state.{}", r.state.as_str()))}
        {by}
        {invoice}
    }
}

/// What can be done with one quote: send, edit or delete a draft; accept or decline a sent one
/// on the customer's behalf; duplicate any.
#[component]
fn RowActions(r: QuoteRow, customer_id: i32, can_edit: bool, on_saved: Callback<()>) -> impl IntoView {
    let quote = r.id;
    let locale = use_locale();
    let send = Action::new(move |_: &()| send_quote(customer_id, quote));
    let remove = Action::new(move |_: &()| delete_quote_draft(customer_id, quote));
    let copy = Action::new(move |_: &()| duplicate_quote(customer_id, quote));
    let decide = Action::new(move |(accept, reason): &(bool, String)| {
        decide_quote(customer_id, quote, *accept, reason.clone())
    });
    let sent = use_save_result(send, "quotes.conflict", None, on_saved);
    let removed = use_save_result(remove, "quotes.conflict", None, on_saved);
    let copied = use_save_result(copy, "quotes.conflict", None, on_saved);
    let decided = use_save_result(decide, "quotes.conflict", None, on_saved);
    let editing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let draft = r.state == QuoteState::Draft;
    let field = format!("quote-{quote}-reason");
    let pdf = r.archived.then(|| {
        let label = translate_with(locale, "quotes.pdf_of", &[("number", r.number.as_deref().unwrap_or(""))]);
        view! { <a class="button small quiet" rel="external" href=format!("/documents/customers/{customer_id}/quotes/{quote}/pdf") aria-label=label>"PDF"</a> }
    });
    view! {
        <div class="row-actions">
            {pdf}
            {(draft && can_edit).then(|| view! {
                <button type="button" class="button small primary" on:click=move |_| { send.dispatch(()); }>{t("quotes.send")}</button>
                <button type="button" class="button small quiet" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>{t("invoices.edit_draft")}</button>
                <button type="button" class="button small quiet" on:click=move |_| { remove.dispatch(()); }>{t("invoices.delete_draft")}</button>
            })}
            {(r.open && can_edit).then(|| view! {
                <details class="inline-action">
                    <summary class="link">{t("quotes.answer_for_customer")}</summary>
                    <form class="editor" novalidate on:submit=move |ev| ev.prevent_default()>
                        <div class="field">
                            <label for=field.clone()>{t("quotes.reason_label")}</label>
                            <input id=field.clone() type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                            <FieldMessage errors=decided.errors field="reason" />
                        </div>
                        <button type="button" class="button small primary" on:click=move |_| { decide.dispatch((true, reason.get_untracked())); }>{t("quotes.accept")}</button>
                        " "
                        <button type="button" class="button small" on:click=move |_| { decide.dispatch((false, reason.get_untracked())); }>{t("quotes.decline")}</button>
                    </form>
                </details>
            })}
            {(can_edit && !draft).then(|| view! {
                <button type="button" class="button small quiet" on:click=move |_| { copy.dispatch(()); }>{t("quotes.duplicate")}</button>
            })}
            <FieldMessage errors=sent.errors field="quote" />
            <FieldMessage errors=sent.errors field="lines" />
            <FieldMessage errors=sent.errors field="valid_until" />
            <FieldMessage errors=removed.errors field="quote" />
            <FieldMessage errors=copied.errors field="quote" />
            <FieldMessage errors=decided.errors field="quote" />
            <span class="editor-notice" role="status">{move || {
                send.value().get().and_then(|r| r.ok()).map(|n| translate_with(locale, "quotes.sent_as", &[("number", &n)]))
                    .or(copy.value().get().and_then(|r| r.ok()).map(|_| translate(locale, "quotes.duplicated")))
                    .or(decided.notice.get()).or(removed.notice.get()).or(sent.notice.get()).or(copied.notice.get())
            }}</span>
            <Show when=move || editing.get()>
                <EditQuote customer_id quote on_saved />
            </Show>
        </div>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "quotes",
    label_key: "area.quotes",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::BillingView,
    edit: Permission::BillingEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["quotes", "invoices"],
    entities: &[],
    timeline: Some(super::def::TimelineKind {
        kind: "quote",
        title: |item| {
            let (state, number) = item.title.split_once(':').unwrap_or(("sent", &item.title));
            translate_with(use_locale(), &format!("quotes.timeline.{state}"), &[("number", number)])
        },
        detail: |item| format::cents(item.detail.parse().unwrap_or(0), use_locale()),
    }),
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let can_edit = !ctx.read_only && ctx.staff.can(Permission::BillingEdit);
    view! { <QuotesPanel customer_id can_edit /> }.into_any()
}
