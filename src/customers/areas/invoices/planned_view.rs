//! Geplante Posten in the Rechnungen panel: the items waiting for the next collective invoice,
//! the customer's collective-invoice day, add and remove items, "bill now".
use super::api::*;
use super::model::PlannedPage;
use crate::billing::model::PlannedInput;
use crate::billing::tax::TaxClass;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::DataTable;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PlannedItems(
    customer_id: i32,
    can_edit: bool,
    can_bill: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page =
        Memo::new(move |_| query.with(|q| q.get("planned").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let planned = Resource::new(
        move || (customer_id, page.get(), crate::live::client::Live::tick_of(super::AREA.live)),
        |(id, page, _)| customer_planned_items(id, page),
    );
    let bill = Action::new(move |_: &()| bill_planned_now(customer_id));
    let billed = use_save_result(bill, "invoices.conflict", None, on_saved);
    view! {
        <section class="planned" aria-labelledby="planned-title">
            <h3 id="planned-title">{t("planned.title")}</h3>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match planned.await {
                        Ok(p) => view! {
                            {can_edit.then(|| view! { <DayForm customer_id day=p.collective_day on_saved /> })}
                            {can_edit.then(|| view! {
                                <details class="compose">
                                    <summary class="button">{t("planned.add")}</summary>
                                    <PlannedForm customer_id on_saved />
                                </details>
                            })}
                            {(can_bill && p.total > 0).then(|| view! {
                                <p class="actions-line">
                                    <button type="button" class="button" on:click=move |_| { bill.dispatch(()); }>{t("planned.bill_now")}</button>
                                    " " <span class="editor-notice" role="status">{move || billed.notice.get()}</span>
                                </p>
                            })}
                            <PlannedTable page=p customer_id locale can_edit on_saved />
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DayForm(customer_id: i32, day: Option<i32>, on_saved: Callback<()>) -> impl IntoView {
    let value = RwSignal::new(day.map(|d| d.to_string()).unwrap_or_default());
    let save = Action::new(move |d: &String| set_collective_day(customer_id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "invoices.conflict", None, on_saved);
    view! {
        <form class="editor inline-form day-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(value.get_untracked()); }>
            <div class="field">
                <label for="collective-day">{t("planned.collective_day")}</label>
                <input id="collective-day" type="number" min="1" max="31" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                <p class="hint">{t("planned.collective_day_hint")}</p>
                <FieldMessage errors field="collective_day" />
            </div>
            <button type="submit" class="button">{t("editor.save")}</button>
            <span class="editor-notice" role="status">{move || notice.get()}</span>
        </form>
    }
}

#[component]
fn PlannedForm(customer_id: i32, on_saved: Callback<()>) -> impl IntoView {
    let blank = || PlannedInput { quantity: "1".into(), ..PlannedInput::default() };
    let draft = RwSignal::new(blank());
    let save = Action::new(move |i: &PlannedInput| add_planned_item(customer_id, i.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "invoices.conflict", None, on_saved);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            draft.set(blank());
        }
    });
    let text = move |f: &'static str,
                     label: &'static str,
                     get: fn(&PlannedInput) -> String,
                     set: fn(&mut PlannedInput, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=format!("planned-{f}")>{t(label)}</label>
                <input id=format!("planned-{f}") type=kind prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    view! {
        <form class="editor planned-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {text("description", "items.description_label", |d| d.description.clone(), |d, v| d.description = v, "text")}
                {text("quantity", "invoices.quantity", |d| d.quantity.clone(), |d, v| d.quantity = v, "text")}
                {text("unit_price", "invoices.unit_price", |d| d.unit_price.clone(), |d, v| d.unit_price = v, "text")}
                <div class="field">
                    <label for="planned-tax_class">{t("invoices.tax_class")}</label>
                    <select id="planned-tax_class" on:change=move |ev| { let v = TaxClass::parse(&event_target_value(&ev)).unwrap_or_default(); draft.update(|d| d.tax_class = v); }>
                        {TaxClass::ALL.iter().map(|c| view! {
                            <option value=c.as_str() selected=move || draft.with(|d| d.tax_class == *c)>{t(&format!("invoices.tax_class.{}", c.as_str()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text("service_date", "planned.service_date", |d| d.service_date.clone(), |d, v| d.service_date = v, "date")}
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("planned.add_do")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn PlannedTable(
    page: PlannedPage,
    customer_id: i32,
    locale: Locale,
    can_edit: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("planned.empty")}</p> }.into_any();
    }
    let PlannedPage { rows, page: current, pages, total, .. } = page;
    view! {
        <p class="count">{translate_with(locale, "planned.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="planned-table" heads=&["items.description_label", "items.net", "planned.bill_on", "items.actions"]>
            {rows.into_iter().map(|r| {
                let id = r.id;
                let remove = Action::new(move |_: &()| remove_planned_item(customer_id, id));
                let removed = use_save_result(remove, "invoices.conflict", None, on_saved);
                view! {
                    <tr data-planned=r.description.clone()>
                        <td>{r.description.clone()} " · " {r.quantity.clone()} " × " {r.unit_price.clone()} " €"</td>
                        <td class="num">{format::cents(r.net_cents, locale)}</td>
                        <td>{match &r.bill_on { Some(d) => format::date(d, locale), None => crate::i18n::translate(locale, "planned.next_run") }}</td>
                        <td>
                            {can_edit.then(|| view! { <button type="button" class="button small quiet" on:click=move |_| { remove.dispatch(()); }>{t("planned.remove")}</button> })}
                            <FieldMessage errors=removed.errors field="planned" />
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/invoices?planned={p}") />
    }
    .into_any()
}
