//! /portal/invoices: the customer's invoices and cancellations (never drafts), in pages, with
//! the account's balance and what is open; each archived invoice a PDF download (a plain link:
//! it works without JavaScript) of exactly the archived bytes, `GET /portal/invoices/{id}/pdf`,
//! and its e-invoice XML where the customer gets one (`…/xml`).
use crate::codec::Json;
use crate::customers::areas::invoices::model::{InvoiceKind, InvoiceState, PortalInvoices};
use crate::error::AppError;
use crate::i18n::{t, translate, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "portal_invoice_page", input = Json, output = Json)]
pub async fn portal_invoice_page(page: u32) -> Result<PortalInvoices, AppError> {
    let me = super::require_right(crate::customers::areas::contacts::model::PortalRight::Invoices)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::invoices::service::for_portal(db, me.customer_id, page).await
}

#[component]
pub fn PortalInvoicesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), portal_invoice_page);
    view! {
        <Title text=t("portal.invoices") />
        <h1 class="page-title">{t("portal.invoices")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <PortalMoney p locale /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <super::mandate::PortalMandatePanel />
    }
}

/// The account tiles, the invoices table and the statement form.
#[component]
fn PortalMoney(p: PortalInvoices, locale: crate::i18n::Locale) -> impl IntoView {
    let balance_key = if p.balance < 0 { "portal.balance_owed" } else { "portal.balance_credit" };
    let summary = view! {
        <div class="tiles">
            <div class="tile" class:negative={p.balance < 0}>
                <span class="tile-label">{t(balance_key)}</span>
                <span class="tile-value" data-balance=p.balance>{format::cents(p.balance.abs(), locale)}</span>
            </div>
            <div class="tile">
                <span class="tile-label">{t("portal.open_amount")}</span>
                <span class="tile-value">{format::cents(p.open_cents, locale)}</span>
            </div>
        </div>
    };
    let statement = view! {
        <section class="panel" aria-labelledby="statement-title">
            <h2 id="statement-title">{t("statement.title")}</h2>
            <crate::customers::areas::transactions::StatementForm action="/portal/statement".to_string() today=p.today.clone() />
        </section>
    };
    let list = p.invoices;
    if list.rows.is_empty() {
        return view! { <div class="portal-money">{summary} <p class="empty">{t("portal.no_invoices")}</p> {statement}</div> }.into_any();
    }
    view! {
                    <div class="portal-money">
                    {summary}
                    <p class="count">{translate_with(locale, "invoices.count", &[("count", &format::count(list.total, locale))])}</p>
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t("portal.invoices")>
                        <table class="data-table portal-invoices">
                            <thead>
                                <tr>
                                    <th scope="col">{t("invoices.number")}</th>
                                    <th scope="col">{t("invoices.issue_date")}</th>
                                    <th scope="col">{t("invoices.due_date")}</th>
                                    <th scope="col" class="num">{t("invoices.gross")}</th>
                                    <th scope="col" class="num">{t("portal.invoice_open")}</th>
                                    <th scope="col">{t("invoices.state")}</th>
                                    <th scope="col">{t("portal.invoice_pdf")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|r| {
                                    let number = r.number.clone().unwrap_or_default();
                                    let date = |d: &Option<String>| d.as_deref().map(|d| format::date(d, locale)).unwrap_or_default();
                                    let open = if r.state == InvoiceState::Open { r.gross_cents - r.paid_cents } else { 0 };
                                    view! {
                                        <tr data-number=number.clone()>
                                            <td>
                                                {number.clone()}
                                                {(r.kind != InvoiceKind::Invoice).then(|| view! { " " <span class="badge">{t(&format!("invoices.kind.{}", r.kind.as_str()))}</span> })}
                                            </td>
                                            <td>{date(&r.issue_date)}</td>
                                            <td>{date(&r.due_date)}</td>
                                            <td class="num">{format::cents(r.gross_cents, locale)}</td>
                                            <td class="num">{format::cents(open, locale)}</td>
                                            <td>
                                                {t(&format!("invoices.state.{}", r.state.as_str()))}
                                                {r.overdue.then(|| view! { " " <span class="badge warning">{t("invoices.overdue")}</span> })}
                                                <crate::customers::areas::invoices::DebitBadge debit_on=r.debit_on.clone() />
                                                <crate::customers::areas::invoices::NoticeLinks notices=r.dunning.clone() href=|n| format!("/portal/dunning/{n}/pdf") />
                                            </td>
                                            <td>
                                                {if r.archived {
                                                    let label = translate_with(locale, "invoices.pdf_of", &[("number", &number)]);
                                                    let xml = r.einvoice.as_ref().map(|kind| {
                                                        let label = translate_with(locale, "invoices.xml_of", &[("number", &number), ("kind", kind)]);
                                                        view! { " " <a href=format!("/portal/invoices/{}/xml", r.id) rel="external" download=format!("{number}.xml") aria-label=label>"XML"</a> }
                                                    });
                                                    view! { <a href=format!("/portal/invoices/{}/pdf", r.id) rel="external" download=format!("{number}.pdf") aria-label=label>"PDF"</a> {xml} }.into_any()
                                                } else {
                                                    view! { <span class="muted">{translate(locale, "portal.invoice_preparing")}</span> }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <crate::ui::pager::Pager page=list.page pages=list.pages link=|n| format!("/portal/invoices?page={n}") />
                    {statement}
                    </div>
                }.into_any()
}
