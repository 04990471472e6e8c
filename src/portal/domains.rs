//! /portal/domains: the customer's domains with status, paid-until date and nameservers, in
//! pages; the auth code of each on request unless staff disabled that (the page then says why).
//! Asking is a plain form (`POST /portal/domains/{domain}/authcode`, a page with the code) and,
//! with JavaScript, the same request in place. Every code shown is in the customer's Log.
use crate::codec::Json;
#[cfg(feature = "ssr")]
use crate::customers::areas::contacts::model::PortalRight;
use crate::customers::areas::domains::model::{PortalDomainInput, PortalDomainPage, PortalDomainRow};
use crate::error::AppError;
use crate::i18n::{Locale, t, use_locale};
use crate::ui::errors::error_view;
use crate::ui::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "portal_domains", input = Json, output = Json)]
pub async fn portal_domains(page: u32) -> Result<PortalDomainPage, AppError> {
    let me = super::require_right(PortalRight::Domains)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::areas::domains::authcode::for_portal(db, me.customer_id, page).await
}

/// The auth code of one of the customer's domains (logged).
#[server(endpoint = "portal_domain_authcode", input = Json, output = Json)]
pub async fn portal_domain_authcode(domain: i32) -> Result<String, AppError> {
    let me = super::require_right(PortalRight::Domains)?;
    let ctx = crate::web::state::app_state()?.ctx(&me.name);
    let ip = crate::web::client_ip::current().map(|ip| ip.to_string()).unwrap_or_default();
    let asker = crate::customers::areas::domains::authcode::Asker::Customer { actor: me.actor(), ip: &ip };
    let reveal = crate::customers::areas::domains::authcode::reveal;
    Ok(reveal(&ctx, me.customer_id, domain, asker).await?.1)
}

/// The customer changes a domain's nameservers (and, with contact management, its handles).
#[server(endpoint = "portal_change_domain", input = Json, output = Json)]
pub async fn portal_change_domain(domain: i32, change: PortalDomainInput) -> Result<(), AppError> {
    let me = super::require_right(PortalRight::Domains)?;
    let ctx = crate::web::state::app_state()?.ctx(&me.name);
    let portal_change = crate::customers::areas::domains::service::portal_change;
    portal_change(&ctx, me.actor(), me.customer_id, domain, &change).await
}

/// `POST /portal/domains/{domain}/change` without JavaScript: the same change as
/// `portal_change_domain`, back to the list, or the refusal in the customer's language.
#[cfg(feature = "ssr")]
pub async fn change_form(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    axum::extract::Extension(me): axum::extract::Extension<super::CustomerIdentity>,
    axum::extract::Extension(locale): axum::extract::Extension<Locale>,
    axum::extract::Path(domain): axum::extract::Path<i32>,
    axum::Form(change): axum::Form<PortalDomainInput>,
) -> axum::response::Response {
    let back = ("/portal/domains", "portal.back_domains");
    if !me.may(PortalRight::Domains) {
        return crate::web::respond::form_refusal(locale, &AppError::Forbidden, "form.refused", back);
    }
    let ctx = state.ctx(&me.name);
    let portal_change = crate::customers::areas::domains::service::portal_change;
    match portal_change(&ctx, me.actor(), me.customer_id, domain, &change).await {
        Ok(()) => crate::web::respond::see_other("/portal/domains", None),
        Err(e) => crate::web::respond::form_refusal(locale, &e, "domains.conflict", back),
    }
}

/// `POST /portal/domains/{domain}/authcode` without JavaScript: a page with the code, or the
/// refusal in the customer's language.
#[cfg(feature = "ssr")]
pub async fn authcode_form(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    axum::extract::Extension(me): axum::extract::Extension<super::CustomerIdentity>,
    axum::extract::Extension(locale): axum::extract::Extension<Locale>,
    client: crate::web::client_ip::ClientIp,
    axum::extract::Path(domain): axum::extract::Path<i32>,
) -> axum::response::Response {
    use crate::customers::areas::domains::authcode::{Asker, reveal};
    let back = ("/portal/domains", "portal.back_domains");
    if !me.may(PortalRight::Domains) {
        return crate::web::respond::form_refusal(locale, &AppError::Forbidden, "form.refused", back);
    }
    let ip = client.to_string();
    let ctx = state.ctx(&me.name);
    match reveal(&ctx, me.customer_id, domain, Asker::Customer { actor: me.actor(), ip: &ip }).await {
        Ok((name, code)) => {
            let message = crate::i18n::translate_with(
                locale,
                "portal.authcode_is",
                &[("name", &name), ("code", &code)],
            );
            let page = (axum::http::StatusCode::OK, "portal.authcode_title");
            let mut response = crate::web::respond::refusal_page(locale, page, &message, back.0, back.1);
            // The code must not stay in a shared cache or the back-forward cache.
            response
                .headers_mut()
                .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => crate::web::respond::form_refusal(locale, &e, "form.refused", back),
    }
}

#[component]
pub fn PortalDomainsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), portal_domains);
    let refresh = Callback::new(move |_: ()| data.refetch());
    view! {
        <Title text=t("portal.domains") />
        <h1 class="page-title">{t("portal.domains")}</h1>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty">{t("portal.no_domains")}</p> }.into_any(),
                    Ok(p) => view! {
                        {if p.authcode_locked {
                            view! { <p class="banner note-warning" role="note" id="authcode-locked">{t("domain.authcode_locked")}</p> }.into_any()
                        } else {
                            view! { <p class="hint">{t("portal.authcode_hint")}</p> }.into_any()
                        }}
                        <div class="table-wrap">
                            <table class="data-table portal-domains">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("domains.name")}</th>
                                        <th scope="col">{t("domains.status")}</th>
                                        <th scope="col">{t("domains.expires_on")}</th>
                                        <th scope="col">{t("domains.nameservers")}</th>
                                        <th scope="col">{t("portal.authcode_title")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.rows.into_iter().map(|d| view! { <DomainLine row=d locked=p.authcode_locked contacts=p.contacts_enabled locale on_saved=refresh /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <crate::ui::pager::Pager page=p.page pages=p.pages link=|n| format!("/portal/domains?page={n}") />
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn DomainLine(
    row: PortalDomainRow,
    locked: bool,
    contacts: bool,
    locale: Locale,
    on_saved: Callback<()>,
) -> impl IntoView {
    let id = row.id;
    let ask = Action::new(move |_: &()| portal_domain_authcode(id));
    let shown = move || ask.value().get().map(crate::customers::areas::domains::shown_code);
    view! {
        <tr data-domain=row.ace.clone()>
            <td>
                <strong>{row.name.clone()}</strong>
                {(row.name != row.ace).then(|| view! { <br /><span class="muted">{row.ace.clone()}</span> })}
            </td>
            <td>{t(&format!("domains.status.{}", row.status.as_str()))}</td>
            <td>{if row.expires_on.is_empty() { "–".to_string() } else { format::date(&row.expires_on, locale) }}</td>
            <td>
                {if row.nameservers.is_empty() { "–".to_string() } else { row.nameservers.join(", ") }}
                {(!row.status.ended()).then(|| view! {
                    <details class="row-actions">
                        <summary class="link">{t("portal.domain_change")}<span class="visually-hidden">" " {row.name.clone()}</span></summary>
                        <ChangeForm row=row.clone() contacts on_saved />
                    </details>
                })}
            </td>
            <td>
                {(!locked && row.has_authcode).then(|| view! {
                    <form method="post" action=format!("/portal/domains/{id}/authcode")
                        on:submit=move |ev| { ev.prevent_default(); ask.dispatch(()); }>
                        <button type="submit" class="button quiet" disabled=move || ask.pending().get()>
                            {t("portal.authcode_show")}<span class="visually-hidden">" " {row.name.clone()}</span>
                        </button>
                    </form>
                    {shown}
                })}
                {locked.then(|| view! { <span class="muted">"–"</span> })}
            </td>
        </tr>
    }
}

/// Nameservers one per line; Tech-C and Zone-C where contact management is on.
#[component]
fn ChangeForm(row: PortalDomainRow, contacts: bool, on_saved: Callback<()>) -> impl IntoView {
    use crate::ui::messages::FieldMessage;
    use crate::ui::save::{SaveResult, use_save_result};
    let id = row.id;
    let draft = RwSignal::new(PortalDomainInput {
        nameservers: row.nameservers.join("\n"),
        tech_handle: row.tech_handle.clone(),
        zone_handle: row.zone_handle.clone(),
        version: row.version,
    });
    let save = Action::new(move |d: &PortalDomainInput| portal_change_domain(id, d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "domains.conflict", None, on_saved);
    let (tech, zone) = (row.tech_handle.clone(), row.zone_handle.clone());
    let handle = move |field: &'static str, key: &'static str| {
        let input_id = format!("portal-domain-{id}-{field}");
        view! {
            <div class="field">
                <label for=input_id.clone()>{t(key)}</label>
                <input id=input_id type="text" name=field autocomplete="off" spellcheck="false"
                    value=if field == "tech_handle" { tech.clone() } else { zone.clone() }
                    prop:value=move || draft.with(|d| if field == "tech_handle" { d.tech_handle.clone() } else { d.zone_handle.clone() })
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| if field == "tech_handle" { d.tech_handle = v } else { d.zone_handle = v });
                    } />
                <FieldMessage errors field=field />
            </div>
        }
    };
    view! {
        <form class="editor" method="post" action=format!("/portal/domains/{id}/change") novalidate
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <input type="hidden" name="version" value=row.version.to_string() />
            <div class="field">
                <label for=format!("portal-domain-{id}-ns")>{t("domains.nameservers")}</label>
                <textarea id=format!("portal-domain-{id}-ns") name="nameservers" rows="3" spellcheck="false" aria-describedby=format!("portal-domain-{id}-ns-hint")
                    prop:value=move || draft.with(|d| d.nameservers.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.nameservers = v); }>{row.nameservers.join("\n")}</textarea>
                <p id=format!("portal-domain-{id}-ns-hint") class="hint">{t("domains.nameservers_hint")}</p>
                <FieldMessage errors field="nameservers" />
            </div>
            {contacts.then(|| view! { {handle("tech_handle", "domains.tech_handle")} {handle("zone_handle", "domains.zone_handle")} })}
            <div class="editor-actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
