//! /portal/quotes: the customer's sent quotes (never drafts), in pages, each with its PDF
//! (`GET /portal/quotes/{id}/pdf`, exactly the archived bytes). A quote still open is accepted
//! or declined here: plain forms (`POST /portal/quotes/{id}/accept` and `…/decline`) that work
//! without JavaScript and, with it, the same request in place. Each answer is in the
//! customer's Log with their address; accepting makes the draft invoice staff then finalise.
use crate::codec::Json;
#[cfg(feature = "ssr")]
use crate::customers::areas::contacts::model::PortalRight;
use crate::customers::areas::quotes::model::{QuotePage, QuoteRow};
use crate::error::AppError;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "portal_quotes", input = Json, output = Json)]
pub async fn portal_quotes(page: u32) -> Result<QuotePage, AppError> {
    let me = super::require_right(PortalRight::Quotes)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::quotes::service::for_portal(db, me.customer_id, page).await
}

/// The customer accepts or declines one of their sent quotes.
#[server(endpoint = "portal_answer_quote", input = Json, output = Json)]
pub async fn portal_answer_quote(quote: i32, accept: bool, reason: String) -> Result<(), AppError> {
    let me = super::require_right(PortalRight::Quotes)?;
    let ctx = crate::web::state::app_state()?.ctx(&me.name);
    let ip = crate::web::client_ip::current().map(|ip| ip.to_string()).unwrap_or_default();
    answer(&ctx, &me, quote, accept, &reason, &ip).await
}

#[cfg(feature = "ssr")]
async fn answer(
    ctx: &crate::write::Ctx,
    me: &super::CustomerIdentity,
    quote: i32,
    accept: bool,
    reason: &str,
    ip: &str,
) -> Result<(), AppError> {
    use crate::billing::quote_decision::{Decider, decide};
    let decider = Decider::Customer { actor: me.actor(), ip };
    decide(ctx, me.customer_id, quote, accept, decider, reason, crate::clock::business_day())
        .await
        .map(|_| ())
}

/// What the decline form sends (the accept form sends nothing).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /portal/quotes/{quote}/accept` without JavaScript: back to the list, or the refusal in
/// the customer's language.
#[cfg(feature = "ssr")]
pub async fn accept_form(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    axum::extract::Extension(me): axum::extract::Extension<super::CustomerIdentity>,
    axum::extract::Extension(locale): axum::extract::Extension<Locale>,
    client: crate::web::client_ip::ClientIp,
    axum::extract::Path(quote): axum::extract::Path<i32>,
    axum::Form(form): axum::Form<AnswerForm>,
) -> axum::response::Response {
    answer_form(state, me, locale, client, quote, true, form).await
}

/// `POST /portal/quotes/{quote}/decline` without JavaScript.
#[cfg(feature = "ssr")]
pub async fn decline_form(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    axum::extract::Extension(me): axum::extract::Extension<super::CustomerIdentity>,
    axum::extract::Extension(locale): axum::extract::Extension<Locale>,
    client: crate::web::client_ip::ClientIp,
    axum::extract::Path(quote): axum::extract::Path<i32>,
    axum::Form(form): axum::Form<AnswerForm>,
) -> axum::response::Response {
    answer_form(state, me, locale, client, quote, false, form).await
}

#[cfg(feature = "ssr")]
async fn answer_form(
    state: crate::web::state::AppState,
    me: super::CustomerIdentity,
    locale: Locale,
    client: crate::web::client_ip::ClientIp,
    quote: i32,
    accept: bool,
    form: AnswerForm,
) -> axum::response::Response {
    let back = ("/portal/quotes", "portal.back_quotes");
    if !me.may(PortalRight::Quotes) {
        return crate::web::respond::form_refusal(locale, &AppError::Forbidden, "form.refused", back);
    }
    let ctx = state.ctx(&me.name);
    match answer(&ctx, &me, quote, accept, &form.reason, &client.to_string()).await {
        Ok(()) => crate::web::respond::see_other("/portal/quotes", None),
        Err(e) => crate::web::respond::form_refusal(locale, &e, "quotes.conflict", back),
    }
}

/// `GET /portal/quotes/{quote}/pdf`: a sent quote of the logged-in customer exactly as
/// archived; drafts and other customers' quotes are 404.
#[cfg(feature = "ssr")]
pub async fn pdf(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    axum::extract::Extension(me): axum::extract::Extension<super::CustomerIdentity>,
    axum::extract::Path(quote): axum::extract::Path<i32>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !me.may(PortalRight::Quotes) {
        return axum::http::StatusCode::FORBIDDEN.into_response();
    }
    match crate::billing::quotes::find(&state.db, me.customer_id, quote).await {
        Ok(q) if q.number.is_some() => crate::documents::quote_archive::download(&state.store, &q).await,
        Ok(_) | Err(AppError::NotFound) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(_) => crate::web::respond::internal(),
    }
}

#[component]
pub fn PortalQuotesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), portal_quotes);
    let refresh = Callback::new(move |_: ()| data.refetch());
    view! {
        <Title text=t("portal.quotes") />
        <h1 class="page-title">{t("portal.quotes")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("portal.no_quotes")}</p> }.into_any(),
                    Ok(p) => view! {
                        <p class="count">{translate_with(locale, "quotes.count", &[("count", &format::count(p.total, locale))])}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t("portal.quotes")>
                            <table class="data-table portal-quotes">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("quotes.number")}</th>
                                        <th scope="col">{t("invoices.issue_date")}</th>
                                        <th scope="col">{t("quotes.valid_until")}</th>
                                        <th scope="col" class="num">{t("invoices.gross")}</th>
                                        <th scope="col">{t("invoices.state")}</th>
                                        <th scope="col">{t("quotes.your_answer")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows.into_iter().map(|r| view! { <QuoteLine r locale on_saved=refresh /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=p.page pages=p.pages link=|n| format!("/portal/quotes?page={n}") />
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuoteLine(r: QuoteRow, locale: Locale, on_saved: Callback<()>) -> impl IntoView {
    use crate::ui::save::use_save_result;
    let id = r.id;
    let number = r.number.clone().unwrap_or_default();
    let answer = Action::new(move |(accept, reason): &(bool, String)| {
        portal_answer_quote(id, *accept, reason.clone())
    });
    let answered = use_save_result(answer, "quotes.conflict", None, on_saved);
    let reason = RwSignal::new(String::new());
    let reason_id = format!("quote-{id}-reason");
    let label = translate_with(locale, "quotes.pdf_of", &[("number", &number)]);
    view! {
        <tr data-number=number.clone()>
            <td>
                {if r.archived {
                    view! { <a href=format!("/portal/quotes/{id}/pdf") rel="external" download=format!("{number}.pdf") aria-label=label>{number.clone()}</a> }.into_any()
                } else {
                    view! { <span>{number.clone()}</span> }.into_any()
                }}
            </td>
            <td>{format::date(r.issue_date.as_deref().unwrap_or(""), locale)}</td>
            <td>{format::date(&r.valid_until, locale)}</td>
            <td class="num">{format::cents(r.gross_cents, locale)}</td>
            <td>{t(&format!("quotes.state.{}", r.state.as_str()))}</td>
            <td>
                {(!r.archived).then(|| view! { <span class="muted">{t("portal.quote_preparing")}</span> })}
                {(r.open && r.archived).then(|| view! {
                    <form method="post" action=format!("/portal/quotes/{id}/accept")
                        on:submit=move |ev| { ev.prevent_default(); answer.dispatch((true, String::new())); }>
                        <button type="submit" class="button primary" disabled=move || answer.pending().get()>
                            {t("quotes.accept")}<span class="visually-hidden">" " {number.clone()}</span>
                        </button>
                    </form>
                    <details class="row-actions">
                        <summary class="link">{t("quotes.decline")}<span class="visually-hidden">" " {r.number.clone().unwrap_or_default()}</span></summary>
                        <form class="editor" method="post" action=format!("/portal/quotes/{id}/decline") novalidate
                            on:submit=move |ev| { ev.prevent_default(); answer.dispatch((false, reason.get_untracked())); }>
                            <div class="field">
                                <label for=reason_id.clone()>{t("quotes.decline_reason")}</label>
                                <input id=reason_id.clone() type="text" name="reason" prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev)) />
                                <FieldMessage errors=answered.errors field="reason" />
                            </div>
                            <button type="submit" class="button">{t("quotes.decline_do")}</button>
                        </form>
                    </details>
                })}
                <FieldMessage errors=answered.errors field="quote" />
                <span class="editor-notice" role="status">{move || answered.notice.get()}</span>
            </td>
        </tr>
    }
}
