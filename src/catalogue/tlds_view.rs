//! /settings/domains: the TLD price list. Each ending with its grace and redemption periods and
//! its list prices per term (register, transfer, renew for 1–10 years; restore), in pages.
use super::tld_model::*;
use super::tlds_api::{save_tld, tld_list, tld_registrars};
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TldsPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsDomains>
            <Tlds />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn Tlds() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), tld_list);
    let registrars = Resource::new(|| (), |_| tld_registrars());
    let refresh = Callback::new(move |_: ()| data.refetch());
    view! {
        <Title text=t("nav.tlds") />
        <h1 class="page-title">{t("nav.tlds")}</h1>
        <p class="lead">{t("tld.lead")}</p>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <section class="panel" aria-labelledby="tlds-title">
            <h2 id="tlds-title">{t("tld.list")}</h2>
            // The new ending's form reads the registrars once: a saved list does not reset it.
            <details class="compose">
                <summary class="button">{t("tld.new")}</summary>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        registrars.await.ok().map(|registrars| {
                            let start = TldInput { grace_days: 30, redemption_days: 30, terms: true, authcode_required: true, active: true, ..Default::default() };
                            view! { <TldForm start registrars on_saved=refresh /> }
                        })
                    })}
                </Transition>
            </details>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match (data.await, registrars.await) {
                        (Ok(p), _) if p.rows.is_empty() => view! { <p class="empty">{t("tld.none")}</p> }.into_any(),
                        (Ok(p), Ok(registrars)) => view! {
                            {p.rows.into_iter().map(|row| view! { <TldCard row registrars=registrars.clone() on_saved=refresh /> }).collect_view()}
                            <crate::ui::pager::Pager page=p.page pages=p.pages link=|p| format!("/settings/domains?page={p}") />
                        }.into_any(),
                        (Err(e), _) | (_, Err(e)) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TldCard(row: TldRow, registrars: Vec<(i32, String)>, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let editing = RwSignal::new(false);
    let start = row.input.clone();
    let one_year = |action: &str| {
        let amount = row.input.amount(action, 1);
        if amount.is_empty() { "–".to_string() } else { format!("{amount} €") }
    };
    let summary = translate_with(
        locale,
        "tld.summary",
        &[
            ("register", &one_year("register")),
            ("transfer", &one_year("transfer")),
            ("renew", &one_year("renew")),
            ("grace", &row.input.grace_days.to_string()),
            ("redemption", &row.input.redemption_days.to_string()),
        ],
    );
    let label = format!(".{}", row.unicode);
    let registrar = match row.input.registrar_id {
        Some(id) => {
            let name = registrars.iter().find(|(r, _)| *r == id).map(|(_, n)| n.clone()).unwrap_or_default();
            translate_with(locale, "tld.registrar_is", &[("name", &name)])
        }
        None => t("tld.registrar_manual"),
    };
    view! {
        <article class="tld-card" data-tld=row.input.tld.clone()>
            <h3>
                {label.clone()}
                {(row.unicode != row.input.tld).then(|| view! { " " <span class="muted">{format!("(.{})", row.input.tld)}</span> })}
                {(!row.input.active).then(|| view! { " " <span class="badge">{t("catalogue.inactive")}</span> })}
            </h3>
            <p class="muted">{summary}</p>
            <p class="muted">{registrar}</p>
            <button type="button" class="link" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {t("catalogue.edit")}<span class="visually-hidden">" " {label.clone()}</span>
            </button>
            <Show when=move || editing.get()>
                <TldForm start=start.clone() registrars=registrars.clone() on_saved />
            </Show>
        </article>
    }
}

#[component]
fn TldForm(start: TldInput, registrars: Vec<(i32, String)>, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let key = start.id;
    let draft = RwSignal::new(start);
    let save = Action::new(move |d: &TldInput| save_tld(d.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "catalogue.conflict", None, on_saved);
    let id = move |f: &str| match key {
        Some(k) => format!("tld-{k}-{f}"),
        None => format!("tld-new-{f}"),
    };
    let days = move |f: &'static str, get: fn(&TldInput) -> i32, set: fn(&mut TldInput, i32)| {
        view! {
            <div class="field">
                <label for=id(f)>{t(&format!("tld.{f}"))}</label>
                <input id=id(f) type="number" min="0" max="365"
                    prop:value=move || Some(draft.with(get)).filter(|d| *d >= 0).map(|d| d.to_string()).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(-1); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    let toggle = move |f: &'static str, get: fn(&TldInput) -> bool, set: fn(&mut TldInput, bool)| {
        view! {
            <div class="toggle">
                <input id=id(f) type="checkbox" role="switch" prop:checked=move || draft.with(get)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| set(d, v)); } />
                <label for=id(f)>{t(&format!("tld.{f}"))}</label>
            </div>
        }
    };
    let cell = move |action: &'static str, years: i32| {
        let field = format!("price.{action}.{years}");
        let label = t(&format!("tld.price_label.{action}"))
            + ", "
            + &translate_with(locale, "tld.years", &[("n", &years.to_string())]);
        view! {
            <td>
                <input id=id(&field) type="text" inputmode="decimal" class="amount" aria-label=label
                    prop:value=move || draft.with(|d| d.amount(action, years))
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.set_amount(action, years, v)); } />
                <FieldMessage errors field=field />
            </td>
        }
    };
    view! {
        <form class="editor tld-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for=id("tld")>{t("tld.tld")}</label>
                    <input id=id("tld") type="text" autocomplete="off" spellcheck="false" prop:value=move || draft.with(|d| d.tld.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.tld = v); } />
                    <FieldMessage errors field="tld" />
                </div>
                {days("grace_days", |d| d.grace_days, |d, v| d.grace_days = v)}
                {days("redemption_days", |d| d.redemption_days, |d, v| d.redemption_days = v)}
                <div class="field">
                    <label for=id("registrar")>{t("tld.registrar")}</label>
                    <select id=id("registrar") aria-describedby=id("registrar-hint") on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<i32>().ok();
                        draft.update(|d| d.registrar_id = v);
                    }>
                        <option value="" selected=move || draft.with(|d| d.registrar_id.is_none())>{t("tld.registrar_manual")}</option>
                        {registrars.into_iter().map(|(rid, name)| view! {
                            <option value=rid.to_string() selected=move || draft.with(|d| d.registrar_id == Some(rid))>{name}</option>
                        }).collect_view()}
                    </select>
                    <p id=id("registrar-hint") class="hint">{t("tld.registrar_hint")}</p>
                    <FieldMessage errors field="registrar_id" />
                </div>
            </div>
            {toggle("terms", |d| d.terms, |d, v| d.terms = v)}
            {toggle("authcode_required", |d| d.authcode_required, |d, v| d.authcode_required = v)}
            {toggle("active", |d| d.active, |d, v| d.active = v)}
            <div class="table-wrap" tabindex="0">
                <table class="data-table price-grid">
                    <caption>{t("tld.prices")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("tld.term")}</th>
                            {TERM_ACTIONS.iter().map(|a| view! { <th scope="col">{t(&format!("tld.price_label.{a}"))}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {(1..=MAX_YEARS).map(|years| view! {
                            <tr>
                                <th scope="row">{translate_with(locale, "tld.years", &[("n", &years.to_string())])}</th>
                                {TERM_ACTIONS.iter().map(|a| cell(a, years)).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="field">
                <label for=id("price.restore.1")>{t("tld.price_label.restore")}</label>
                <input id=id("price.restore.1") type="text" inputmode="decimal" class="amount"
                    prop:value=move || draft.with(|d| d.amount(RESTORE, 1))
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.set_amount(RESTORE, 1, v)); } />
                <FieldMessage errors field="price.restore.1" />
            </div>
            <p class="hint">{t("tld.prices_hint")}</p>
            <FieldMessage errors field="prices" />
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
