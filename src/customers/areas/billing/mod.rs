//! Abrechnung: the customer's recurring items (what is billed every interval, from its anchor
//! date), with add, change, pause, resume, end and "bill one interval now"; the switch
//! "Positions-Gruppierung deaktivieren"; and the billing run for this customer.
pub mod actions;
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::billing::model::{ItemInput, Unit};
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
use model::{ItemPage, ItemRow};

#[component]
pub fn BillingPanel(customer_id: i32, can_edit: bool, can_bill: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let items = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_billing_items(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => items.refetch(),
    });
    // The new-item form starts from its own read (today), not refreshed live: an item billed or
    // saved elsewhere refreshes the table and leaves a half-typed item alone.
    let start = Resource::new(move || customer_id, |id| customer_billing_items(id, 1));
    let run = Action::new(move |_: &()| run_customer_billing(customer_id));
    let ran = use_save_result(run, "items.conflict", None, changed);
    view! {
        <Panel title_key="area.billing">
            {can_edit.then(|| view! {
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        start.await.ok().map(|p| view! {
                            <details class="compose">
                                <summary class="button">{t("items.new")}</summary>
                                <ItemForm customer_id start=ItemInput { quantity: "1".into(), interval_count: 1, first_due: p.today, ..ItemInput::default() } on_saved=changed />
                            </details>
                        })
                    })}
                </Transition>
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(p) => view! {
                            {p.grouping_off.then(|| view! { <p class="hint">{t("items.grouping_is_off")}</p> })}
                            {can_bill.then(|| view! {
                                <p class="actions-line">
                                    <button type="button" class="button" on:click=move |_| { run.dispatch(()); }>{t("items.run_now")}</button>
                                    " " <span class="editor-notice" role="status">{move || run.value().get().and_then(|r| r.ok()).map(|n| translate_with(locale, "items.run_done", &[("count", &n.to_string())])).or(ran.notice.get())}</span>
                                </p>
                            })}
                            <ItemTable page=p customer_id locale can_edit can_bill on_saved=changed />
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn ItemForm(customer_id: i32, start: ItemInput, on_saved: Callback<()>) -> impl IntoView {
    let key = start.id;
    let fresh = start.clone();
    let draft = RwSignal::new(start);
    let save = Action::new(move |i: &ItemInput| save_billing_item(customer_id, i.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "items.conflict", None, on_saved);
    Effect::new(move |_| {
        if key.is_none() && matches!(save.value().get(), Some(Ok(_))) {
            draft.set(fresh.clone());
        }
    });
    let id = move |f: &str| match key {
        Some(k) => format!("item-{k}-{f}"),
        None => format!("item-new-{f}"),
    };
    let text = move |f: &'static str,
                     label: &'static str,
                     get: fn(&ItemInput) -> String,
                     set: fn(&mut ItemInput, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=id(f)>{t(label)}</label>
                <input id=id(f) type=kind prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    view! {
        <form class="editor item-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {text("description", "items.description_label", |d| d.description.clone(), |d, v| d.description = v, "text")}
                {text("quantity", "invoices.quantity", |d| d.quantity.clone(), |d, v| d.quantity = v, "text")}
                {text("unit_price", "invoices.unit_price", |d| d.unit_price.clone(), |d, v| d.unit_price = v, "text")}
                <div class="field">
                    <label for=id("tax_class")>{t("invoices.tax_class")}</label>
                    <select id=id("tax_class") on:change=move |ev| { let v = TaxClass::parse(&event_target_value(&ev)).unwrap_or_default(); draft.update(|d| d.tax_class = v); }>
                        {TaxClass::ALL.iter().map(|c| view! {
                            <option value=c.as_str() selected=move || draft.with(|d| d.tax_class == *c)>{t(&format!("invoices.tax_class.{}", c.as_str()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=id("interval_count")>{t("items.every")}</label>
                    <input id=id("interval_count") type="number" min="1" max="120" prop:value=move || draft.with(|d| d.interval_count.to_string())
                        on:input=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); draft.update(|d| d.interval_count = v); } />
                    <FieldMessage errors field="interval_count" />
                </div>
                <div class="field">
                    <label for=id("interval_unit")>{t("items.unit")}</label>
                    <select id=id("interval_unit") on:change=move |ev| { let v = Unit::parse(&event_target_value(&ev)).unwrap_or_default(); draft.update(|d| d.interval_unit = v); }>
                        {Unit::ALL.iter().map(|u| view! {
                            <option value=u.as_str() selected=move || draft.with(|d| d.interval_unit == *u)>{t(&format!("items.unit.{}", u.as_str()))}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="interval_unit" />
                </div>
                {text("first_due", "items.first_due_label", |d| d.first_due.clone(), |d, v| d.first_due = v, "date")}
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn ItemTable(
    page: ItemPage,
    customer_id: i32,
    locale: Locale,
    can_edit: bool,
    can_bill: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("items.empty")}</p> }.into_any();
    }
    let ItemPage { rows, page: current, pages, total, .. } = page;
    view! {
        <p class="count">{translate_with(locale, "items.count", &[("count", &format::count(total, locale))])}</p>
        <DataTable class="item-table" heads=&["items.description_label", "items.interval", "items.net", "items.next_due", "items.status", "items.actions"]>
            {rows.into_iter().map(|r| view! { <ItemLine r customer_id locale can_edit can_bill on_saved /> }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/billing?page={p}") />
    }
    .into_any()
}

#[component]
fn ItemLine(
    r: ItemRow,
    customer_id: i32,
    locale: Locale,
    can_edit: bool,
    can_bill: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let item = r.input.id.unwrap_or_default();
    let status = Action::new(move |s: &String| set_billing_item_status(customer_id, item, s.clone()));
    let bill = Action::new(move |_: &()| bill_item_now(customer_id, item));
    let to_draft = Action::new(move |_: &()| item_to_draft(customer_id, item));
    let changed = use_save_result(status, "items.conflict", None, on_saved);
    let billed = use_save_result(bill, "items.conflict", None, on_saved);
    let drafted = use_save_result(to_draft, "items.conflict", None, on_saved);
    let every = translate_with(
        locale,
        "items.every_n",
        &[
            ("count", &r.input.interval_count.to_string()),
            ("unit", &translate(locale, &format!("items.unit.{}", r.input.interval_unit.as_str()))),
        ],
    );
    let live = r.status != "ended";
    let st = r.status.clone();
    view! {
        <tr data-item=r.input.description.clone()>
            <td>{r.input.description.clone()} " · " {r.input.quantity.clone()} " × " {r.input.unit_price.clone()} " €"</td>
            <td>{every}</td>
            <td class="num">{format::cents(r.net_cents, locale)}</td>
            <td>{(r.status != "ended").then(|| format::date(&r.next_due, locale))}</td>
            <td>{t(&format!("items.status.{}", r.status))}</td>
            <td>
                <div class="row-actions">
                    {(can_bill && live).then(|| view! {
                        <button type="button" class="button small" on:click=move |_| { bill.dispatch(()); }>{t("items.bill_now")}</button>
                    })}
                    {(can_edit && live).then(|| view! {
                        <button type="button" class="button small quiet" on:click=move |_| { to_draft.dispatch(()); }>{t("items.to_draft")}</button>
                    })}
                    {(can_edit && st == "active").then(|| view! {
                        <button type="button" class="button small quiet" on:click=move |_| { status.dispatch("paused".into()); }>{t("items.pause")}</button>
                    })}
                    {(can_edit && st == "paused").then(|| view! {
                        <button type="button" class="button small quiet" on:click=move |_| { status.dispatch("active".into()); }>{t("items.resume")}</button>
                    })}
                    {(can_edit && live).then(|| view! {
                        <button type="button" class="button small quiet" on:click=move |_| { status.dispatch("ended".into()); }>{t("items.end")}</button>
                    })}
                    <FieldMessage errors=changed.errors field="status" />
                    <FieldMessage errors=billed.errors field="item" />
                    <FieldMessage errors=billed.errors field="invoice" />
                    <FieldMessage errors=drafted.errors field="item" />
                    <span class="editor-notice" role="status">{move || {
                        bill.value().get().and_then(|r| r.ok()).map(|n| translate_with(locale, "items.billed_as", &[("number", &n)]))
                            .or(to_draft.value().get().and_then(|r| r.ok()).map(|_| translate(locale, "items.drafted")))
                            .or(billed.notice.get()).or(drafted.notice.get()).or(changed.notice.get())
                    }}</span>
                </div>
            </td>
        </tr>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "billing",
    label_key: "area.billing",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::BillingView,
    edit: Permission::BillingEdit,
    actions: &[actions::GROUPING],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["billing", "invoices", "transactions"],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: super::server::AreaServer {
        figure: Some(super::server::Figure {
            sql: "SELECT COUNT(*) FROM billing_items WHERE customer_id = $1 AND status <> 'ended'",
            kind: crate::customers::model::FigureKind::Count,
        }),
        ..super::server::AreaServer::NONE
    },
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let can_edit = !ctx.read_only && ctx.staff.can(Permission::BillingEdit);
    let can_bill = !ctx.read_only && ctx.staff.can(Permission::InvoicesFinalise);
    view! { <BillingPanel customer_id can_edit can_bill /> }.into_any()
}
