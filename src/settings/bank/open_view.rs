//! "Offene Zahlungen": money in that the import found nobody for (and returns whose payment is
//! not known), oldest first. Staff book one to a customer (and invoices) or set it aside with a
//! reason; a colleague's handling meanwhile is shown as a conflict.
use super::Pages;
use super::api::{assign_payment, open_payments, set_payment_aside};
use super::lines_view::statement_cells;
use super::model::*;
use crate::customers::areas::data::actions::refusal;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;

type AssignAction = Action<Assignment, Result<i32, crate::error::AppError>>;
type AsideAction = Action<(i32, i64, String), Result<(), crate::error::AppError>>;

#[component]
pub fn OpenPaymentsPanel(pages: Pages) -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(move || pages.open.get(), open_payments);
    let assign: AssignAction = Action::new(move |a: &Assignment| assign_payment(a.clone()));
    let aside: AsideAction = Action::new(move |(id, version, note): &(i32, i64, String)| {
        set_payment_aside(*id, *version, note.clone())
    });
    Effect::new(move |_| {
        if matches!(assign.value().get(), Some(Ok(_))) || matches!(aside.value().get(), Some(Ok(_))) {
            data.refetch();
        }
    });
    view! {
        <section class="panel" aria-labelledby="open-payments-title">
            <h2 id="open-payments-title">{t("settings.bank.open_title")}</h2>
            <p class="muted">{t("settings.bank.open_hint")}</p>
            <div class="action-result" role="status">
                {move || assign.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="notice-ok">{t("settings.bank.assigned")}</p> }.into_any(),
                    Err(e) => refusal(e),
                })}
                {move || aside.value().get().map(|r| match r {
                    Ok(()) => view! { <p class="notice-ok">{t("settings.bank.set_aside_done")}</p> }.into_any(),
                    Err(e) => refusal(e),
                })}
            </div>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) if p.total == 0 => view! { <p class="empty">{t("settings.bank.no_open")}</p> }.into_any(),
                        Ok(p) => view! {
                            <p class="muted">{translate_with(locale, "settings.bank.open_count", &[("count", &format::count(p.total, locale))])}</p>
                            <crate::ui::panel::DataTable class="open-payments" heads=&["settings.bank.day", "settings.bank.payer", "settings.bank.remittance", "settings.bank.amount", "~settings.bank.handle"]>
                                {p.lines.into_iter().map(|l| view! { <OpenLine l assign aside /> }).collect_view()}
                            </crate::ui::panel::DataTable>
                            <crate::ui::pager::Pager page=p.page pages=p.pages
                                link=move |n| Pages::link(n, pages.imports.get_untracked()) />
                        }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OpenLine(l: LineRow, assign: AssignAction, aside: AsideAction) -> impl IntoView {
    let locale = use_locale();
    let (id, version) = (l.id, l.version);
    let customer = RwSignal::new(String::new());
    let invoices = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let busy = move || assign.pending().get() || aside.pending().get();
    // Names the payment for screen readers: "Zuordnen: 59,50 € von Erika Mustermann".
    let what = format!("{} {}", format::cents(l.amount_cents, locale), l.counterparty);
    let credit = l.amount_cents > 0 && !l.is_return;
    let assign_form = credit.then(|| {
        view! {
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                assign.dispatch(Assignment { line_id: id, version, customer_number: customer.get(), invoices: invoices.get() });
            }>
                <div class="field">
                    <label for=format!("assign-customer-{id}")>{t("settings.bank.customer_number")}</label>
                    <input id=format!("assign-customer-{id}") type="text" required autocomplete="off" placeholder="K-10001"
                        prop:value=move || customer.get() on:input=move |ev| customer.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for=format!("assign-invoices-{id}")>{t("settings.bank.invoice_numbers")}</label>
                    <input id=format!("assign-invoices-{id}") type="text" autocomplete="off"
                        aria-describedby=format!("assign-invoices-hint-{id}")
                        prop:value=move || invoices.get() on:input=move |ev| invoices.set(event_target_value(&ev)) />
                    <p id=format!("assign-invoices-hint-{id}") class="hint">{t("settings.bank.invoice_numbers_hint")}</p>
                </div>
                <button type="submit" class="button small primary" disabled=busy>
                    {t("settings.bank.assign")}<span class="visually-hidden">": " {what.clone()}</span>
                </button>
            </form>
        }
    });
    view! {
        <tr data-line=id>
            {statement_cells(&l, locale)}
            <td>
                <details class="line-actions">
                    <summary class="button small">{t("settings.bank.handle")}<span class="visually-hidden">": " {what.clone()}</span></summary>
                    {assign_form}
                    <form class="inline-form" on:submit=move |ev| {
                        ev.prevent_default();
                        aside.dispatch((id, version, note.get()));
                    }>
                        <div class="field">
                            <label for=format!("aside-note-{id}")>{t("settings.bank.note")}</label>
                            <input id=format!("aside-note-{id}") type="text" required maxlength="500"
                                prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                        </div>
                        <button type="submit" class="button small" disabled=busy>
                            {t("settings.bank.set_aside")}<span class="visually-hidden">": " {what}</span>
                        </button>
                    </form>
                </details>
            </td>
        </tr>
    }
}
