//! Transaktionen: the credit account. Tiles for balance, special credit, paid in and spent; the
//! ledger a page at a time with each entry's running balance and who booked it; book a payment
//! (allocated to the oldest open invoices, the rest is credit), a manual credit or debit with
//! its reason, reverse an entry by a counter-entry.
pub mod api;
mod forms;
pub mod mandate;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{Locale, t, translate, use_locale};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::*;
use forms::{ManualForm, PaymentFormView, TermsFormView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::{EntryRow, LedgerPage};

#[component]
pub fn TransactionsPanel(
    customer_id: i32,
    can_book: bool,
    can_reverse: bool,
    can_terms: bool,
) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let ledger = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_ledger(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => ledger.refetch(),
    });
    // The forms start from their own resource, read once: a booking by anyone refreshes the
    // ledger and leaves every form alone; a form that saved resets itself (a payment gets a
    // fresh key, the terms the customer's new version).
    let forms = Resource::new(move || customer_id, ledger_forms);
    let loading = || view! { <p class="loading">{t("common.loading")}</p> };
    view! {
        <Panel title_key="area.transactions">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    ledger.await.ok().map(|p| view! { <Tiles page=p locale /> })
                })}
            </Transition>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match forms.await {
                        Ok(f) => view! {
                            {can_book.then(|| view! {
                                <details class="compose">
                                    <summary class="button">{t("ledger.book_payment")}</summary>
                                    <PaymentFormView customer_id today=f.today.clone() key=f.form_key.clone() on_saved=changed />
                                </details>
                                <details class="compose">
                                    <summary class="button">{t("ledger.book_manual")}</summary>
                                    <ManualForm customer_id today=f.today.clone() on_saved=changed />
                                </details>
                            })}
                            {can_terms.then(|| view! {
                                <details class="compose">
                                    <summary class="button">{t("ledger.terms")}</summary>
                                    <TermsFormView customer_id forms=f.clone() on_saved=changed />
                                </details>
                            })}
                            <details class="compose">
                                <summary class="button">{t("statement.title")}</summary>
                                <StatementForm action=format!("/documents/customers/{customer_id}/statement") today=f.today.clone() />
                            </details>
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            // Beside the forms, not inside their Transition: a Transition nested in another's
            // Suspend hydrated out of step now and then (the page's script then stopped).
            <mandate::MandatePanel customer_id can_edit=can_terms
                stale=Signal::derive(move || Live::tick_of(AREA.live)) />
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match ledger.await {
                        Ok(p) => view! { <LedgerTable page=p customer_id locale can_reverse on_saved=changed /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn Tiles(page: LedgerPage, locale: Locale) -> impl IntoView {
    let tile = move |key: &'static str, cents: i64| {
        view! {
            <div class="tile" class:negative={cents < 0}>
                <span class="tile-label">{t(key)}</span>
                <span class="tile-value">{format::cents(cents, locale)}</span>
            </div>
        }
    };
    view! {
        <div class="tiles" data-balance=page.balance>
            {tile("ledger.balance", page.balance)}
            {tile("ledger.special", page.special)}
            {tile("ledger.paid_in", page.paid_in)}
            {tile("ledger.spent", page.spent)}
        </div>
        {(page.postpaid_limit > 0).then(|| view! {
            <p class="hint">{crate::i18n::translate_with(locale, "ledger.postpaid_limit", &[("amount", &format::cents(page.postpaid_limit, locale))])}</p>
        })}
        <p class="hint methods">{methods_line(&page.methods, locale)}</p>
    }
}

/// The account statement of a period as PDF or CSV: a plain GET form (the answer is a
/// download), so it works without JavaScript too. `action` is the address without the ending.
#[component]
pub fn StatementForm(action: String, today: String) -> impl IntoView {
    let year_start = format!("{}-01-01", today.get(..4).unwrap_or("2000"));
    view! {
        <form class="editor statement-form" method="get" action=format!("{action}.pdf")>
            <div class="grid">
                <div class="field">
                    <label for="statement-from">{t("statement.from")}</label>
                    <input id="statement-from" name="from" type="date" value=year_start required />
                </div>
                <div class="field">
                    <label for="statement-to">{t("statement.to")}</label>
                    <input id="statement-to" name="to" type="date" value=today required />
                </div>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary">{t("statement.pdf")}</button>
                <button type="submit" class="button" formaction=format!("{action}.csv")>{t("statement.csv")}</button>
            </div>
        </form>
    }
}

/// "Zahlungsarten: Überweisung, PayPal" (or all of them).
fn methods_line(methods: &str, locale: Locale) -> String {
    let list = if methods.is_empty() {
        translate(locale, "ledger.methods_all")
    } else {
        methods
            .split(',')
            .map(|m| translate(locale, &format!("ledger.method.{m}")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    crate::i18n::translate_with(locale, "ledger.methods_line", &[("list", &list)])
}

#[component]
fn LedgerTable(
    page: LedgerPage,
    customer_id: i32,
    locale: Locale,
    can_reverse: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("ledger.empty")}</p> }.into_any();
    }
    let LedgerPage { rows, page: current, pages, total, .. } = page;
    view! {
        <p class="count">{crate::i18n::translate_with(locale, "ledger.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="ledger-table" heads=&["ledger.booked_on", "ledger.description", "ledger.amount", "ledger.balance_after", "ledger.booked_by", "ledger.actions"]>
            {rows.into_iter().map(|r| view! { <EntryLine r customer_id locale can_reverse on_saved /> }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/transactions?page={p}") />
    }
    .into_any()
}

#[component]
fn EntryLine(
    r: EntryRow,
    customer_id: i32,
    locale: Locale,
    can_reverse: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let id = r.id;
    let reversible = can_reverse && !r.reversed && r.reverses.is_none() && r.kind != "invoice";
    let kind = translate(locale, &format!("ledger.kind.{}", r.kind));
    let mut detail = r.description.clone();
    if !r.reference.is_empty() && !detail.contains(&r.reference) {
        detail = format!("{detail} · {}", r.reference);
    }
    view! {
        <tr data-entry=id class:reversed=r.reversed>
            <td>{format::date(&r.booked_on, locale)}</td>
            <td>
                <span class="badge">{kind}</span> " " {detail}
                {r.special.then(|| view! { " " <span class="badge info">{t("ledger.special_badge")}</span> })}
                {r.reversed.then(|| view! { " " <span class="badge warning">{t("ledger.reversed")}</span> })}
            </td>
            <td class="num" class:negative={r.amount_cents < 0}>{format::cents(r.amount_cents, locale)}</td>
            <td class="num" class:negative={r.balance_after < 0}>{format::cents(r.balance_after, locale)}</td>
            <td>{r.booked_by.clone()}</td>
            <td>{reversible.then(|| view! { <ReverseForm customer_id entry=id on_saved /> })}</td>
        </tr>
    }
}

#[component]
fn ReverseForm(customer_id: i32, entry: i32, on_saved: Callback<()>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let send = Action::new(move |r: &String| reverse_entry(customer_id, entry, r.clone()));
    let SaveResult { errors, notice } = use_save_result(send, "ledger.conflict", None, on_saved);
    let field = format!("reverse-{entry}-reason");
    view! {
        <details class="inline-action">
            <summary class="link">{t("ledger.reverse")}</summary>
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); send.dispatch(reason.get_untracked()); }>
                <div class="field">
                    <label for=field.clone()>{t("ledger.reverse_reason")}</label>
                    <input id=field type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <FieldMessage errors field="reason" />
                    <FieldMessage errors field="entry" />
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button">{t("ledger.reverse_do")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </details>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "transactions",
    label_key: "area.transactions",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::BillingView,
    edit: Permission::PaymentsBook,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["transactions", "invoices"],
    entities: &[],
    timeline: Some(super::def::TimelineKind {
        kind: "booking",
        title: |item| t(&format!("ledger.kind.{}", item.title)),
        detail: |item| {
            let (cents, text) = item.detail.split_once('|').unwrap_or(("0", &item.detail));
            format!("{} · {text}", format::cents(cents.parse().unwrap_or(0), use_locale()))
        },
    }),
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let can_book = !ctx.read_only && ctx.staff.can(Permission::PaymentsBook);
    let can_reverse = !ctx.read_only && ctx.staff.can(Permission::LedgerReverse);
    let can_terms = !ctx.read_only && ctx.staff.can(Permission::BillingEdit);
    view! { <TransactionsPanel customer_id can_book can_reverse can_terms /> }.into_any()
}
