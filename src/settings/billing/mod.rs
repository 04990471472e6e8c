//! /settings/billing: the seller's data every invoice prints, the number series and the dated
//! VAT rates (EU countries, for the OSS).
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rates;
#[cfg(feature = "ssr")]
pub mod series;
#[cfg(feature = "ssr")]
pub mod service;

use crate::billing::seller::SellerSettings;
use crate::customers::areas::data::editor::countries;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use api::{billing_settings_page, delete_vat_rate, save_seller, save_series, save_vat_rate, vat_rates};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::*;

#[component]
pub fn BillingSettingsPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsBilling>
            <BillingSettingsView />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn BillingSettingsView() -> impl IntoView {
    let data = Resource::new(|| (), |_| billing_settings_page());
    view! {
        <Title text=t("nav.billing_settings") />
        <h1 class="page-title">{t("nav.billing_settings")}</h1>
        <p class="lead">{t("settings.billing.lead")}</p>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! {
                        <SellerPanel start=s.seller />
                        <section class="panel" aria-labelledby="series-title">
                            <h2 id="series-title">{t("settings.billing.series")}</h2>
                            <p class="muted">{t("settings.billing.series_hint")}</p>
                            {s.series.into_iter().map(|row| view! { <SeriesForm row /> }).collect_view()}
                        </section>
                    }.into_any(),
                    Err(e) => crate::ui::errors::error_view(e),
                }
            })}
        </Transition>
        <RatesPanel />
    }
}

type ReadField = fn(&SellerSettings) -> String;
type WriteField = fn(&mut SellerSettings, String);

/// The seller's fields in form order: name, what the field holds, how to read and write it.
const SELLER_FIELDS: &[(&str, &str, ReadField, WriteField)] = &[
    ("name", "organization", |s| s.party.name.clone(), |s, v| s.party.name = v),
    ("contact", "name", |s| s.party.contact.clone(), |s, v| s.party.contact = v),
    ("street", "street-address", |s| s.party.street.clone(), |s, v| s.party.street = v),
    ("postcode", "postal-code", |s| s.party.postcode.clone(), |s, v| s.party.postcode = v),
    ("city", "address-level2", |s| s.party.city.clone(), |s, v| s.party.city = v),
    ("vat_id", "off", |s| s.party.vat_id.clone(), |s, v| s.party.vat_id = v),
    ("tax_number", "off", |s| s.party.tax_number.clone(), |s, v| s.party.tax_number = v),
    ("email", "email", |s| s.party.email.clone(), |s, v| s.party.email = v),
    ("einvoice_address", "off", |s| s.party.einvoice_address.clone(), |s, v| s.party.einvoice_address = v),
    ("phone", "tel", |s| s.phone.clone(), |s, v| s.phone = v),
    ("iban", "off", |s| s.iban.clone(), |s, v| s.iban = v),
    ("bic", "off", |s| s.bic.clone(), |s, v| s.bic = v),
    ("bank", "off", |s| s.bank.clone(), |s, v| s.bank = v),
    ("creditor_id", "off", |s| s.creditor_id.clone(), |s, v| s.creditor_id = v),
];

#[component]
fn SellerPanel(start: SellerForm) -> impl IntoView {
    let locale = use_locale();
    let draft = RwSignal::new(start.seller);
    let version = RwSignal::new(start.version);
    let save = Action::new(move |f: &SellerForm| save_seller(f.clone()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            version.set(saved.version);
            draft.set(saved.seller);
        }
    });
    let SaveResult { errors, notice } = use_save_result(
        save,
        "settings.billing.conflict",
        Some("settings.billing.invalid"),
        Callback::new(|_| ()),
    );
    let field = move |(name, autocomplete, get, set): &(
        &'static str,
        &'static str,
        ReadField,
        WriteField,
    )| {
        let (get, set, name) = (*get, *set, *name);
        let id = format!("seller-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(&format!("settings.billing.{name}"))}</label>
                <input id=id type="text" autocomplete=*autocomplete prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=name />
            </div>
        }
    };
    let toggle = move |name: &'static str,
                       get: fn(&SellerSettings) -> bool,
                       set: fn(&mut SellerSettings, bool)| {
        let id = format!("seller-{name}");
        view! {
            <div class="toggle">
                <input id=id.clone() type="checkbox" role="switch" prop:checked=move || draft.with(get)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| set(d, v)); } />
                <label for=id>{t(&format!("settings.billing.{name}"))}</label>
                <FieldMessage errors field=name />
            </div>
        }
    };
    view! {
        <section class="panel" aria-labelledby="seller-title">
            <h2 id="seller-title">{t("settings.billing.seller")}</h2>
            <p class="muted">{t("settings.billing.seller_hint")}</p>
            <form class="editor seller-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SellerForm { seller: draft.get_untracked(), version: version.get_untracked() });
            }>
                <div class="grid">
                    {SELLER_FIELDS[..5].iter().map(field).collect_view()}
                    <div class="field">
                        <label for="seller-country">{t("settings.billing.country")}</label>
                        <select id="seller-country" autocomplete="country"
                            on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.party.country = v); }>
                            <option value="" selected=move || draft.with(|d| d.party.country.is_empty())>"–"</option>
                            {countries(locale).into_iter().map(|(code, name)| {
                                let value = code.clone();
                                view! { <option value=code selected=move || draft.with(|d| d.party.country == value)>{name}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessage errors field="country" />
                    </div>
                    {SELLER_FIELDS[5..].iter().map(field).collect_view()}
                </div>
                {toggle("small_business", |s| s.small_business, |s, v| s.small_business = v)}
                {toggle("oss", |s| s.oss, |s, v| s.oss = v)}
                <div class="editor-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                    <span class="editor-notice" role="status">{move || notice.get()}</span>
                </div>
            </form>
        </section>
    }
}

#[component]
fn SeriesForm(row: SeriesRow) -> impl IntoView {
    let locale = use_locale();
    let id = row.id;
    let shown = RwSignal::new(row.clone());
    let pattern = RwSignal::new(row.pattern.clone());
    let next = RwSignal::new(row.next.to_string());
    let save = Action::new(move |s: &SeriesInput| save_series(s.clone()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            next.set(saved.next.to_string());
            shown.set(saved);
        }
    });
    let SaveResult { errors, notice } =
        use_save_result(save, "settings.billing.conflict", None, Callback::new(|_| ()));
    let key = row.key.clone();
    view! {
        <form class="editor series-form" data-series=row.key.clone() novalidate on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(SeriesInput { id, pattern: pattern.get_untracked(), next: next.get_untracked() });
        }>
            <h3>{t(&format!("settings.billing.series.{key}"))}</h3>
            <p class="muted series-preview">
                {move || translate_with(locale, "settings.billing.next_number", &[("number", &shown.with(|s| s.preview.clone()))])}
            </p>
            <div class="grid">
                <div class="field">
                    <label for=format!("series-{id}-pattern")>{t("settings.billing.pattern")}</label>
                    <input id=format!("series-{id}-pattern") type="text" autocomplete="off" spellcheck="false"
                        aria-describedby=format!("series-{id}-hint") prop:value=move || pattern.get()
                        on:input=move |ev| pattern.set(event_target_value(&ev)) />
                    <p id=format!("series-{id}-hint") class="hint">{t("settings.billing.pattern_hint")}</p>
                    <FieldMessage errors field="pattern" />
                </div>
                <div class="field">
                    <label for=format!("series-{id}-next")>{t("settings.billing.next")}</label>
                    <input id=format!("series-{id}-next") type="text" inputmode="numeric" autocomplete="off"
                        prop:value=move || next.get() on:input=move |ev| next.set(event_target_value(&ev)) />
                    <FieldMessage errors field="next" />
                </div>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {t("editor.save")}<span class="visually-hidden">" " {t(&format!("settings.billing.series.{}", row.key))}</span>
                </button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

/// 550 → "5,5 %" (de) or "5.5 %" (en).
fn percent(bp: i32, locale: Locale) -> String {
    let decimal = if locale == Locale::En { '.' } else { ',' };
    format!("{} %", crate::billing::amount::scaled_text(i64::from(bp), 2, 0, decimal))
}

fn country_name(code: &str, locale: Locale) -> String {
    crate::customers::countries::name(code, locale == Locale::En).to_string()
}

#[component]
fn RatesPanel() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page =
        Memo::new(move |_| query.with(|q| q.get("rates").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let data = Resource::new(move || page.get(), vat_rates);
    let refresh = Callback::new(move |_: ()| data.refetch());
    let delete = Action::new(move |(country, from): &(String, String)| {
        let (country, from) = (country.clone(), from.clone());
        async move { delete_vat_rate(country, from).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            data.refetch();
        }
    });
    view! {
        <section class="panel" aria-labelledby="rates-title">
            <h2 id="rates-title">{t("settings.billing.rates")}</h2>
            <p class="muted">{t("settings.billing.rates_hint")}</p>
            <details class="compose">
                <summary class="button">{t("settings.billing.rate_new")}</summary>
                <RateForm on_saved=refresh />
            </details>
            <p role="status">{move || delete.value().get().and_then(|r| r.err()).map(crate::customers::areas::data::actions::refusal)}</p>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="rates-title">
                                <table class="rates">
                                    <thead><tr>
                                        <th scope="col">{t("settings.billing.country")}</th>
                                        <th scope="col">{t("settings.billing.valid_from")}</th>
                                        <th scope="col" class="num">{t("settings.billing.standard")}</th>
                                        <th scope="col" class="num">{t("settings.billing.reduced")}</th>
                                        <th scope="col">{t("settings.billing.rate_state")}</th>
                                        <th scope="col"><span class="visually-hidden">{t("settings.billing.actions")}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| {
                                            let name = country_name(&r.country, locale);
                                            let state = match r.state {
                                                RateState::Current => "current",
                                                RateState::Replaced => "replaced",
                                                RateState::Future => "future",
                                            };
                                            let key = (r.country.clone(), r.valid_from.clone());
                                            let label = format!("{name} {}", r.valid_from);
                                            view! {
                                                <tr data-rate=format!("{}-{}", r.country, r.valid_from)>
                                                    <td>{name}</td>
                                                    <td>{crate::ui::format::date(&r.valid_from, locale)}</td>
                                                    <td class="num">{percent(r.standard_bp, locale)}</td>
                                                    <td class="num">{percent(r.reduced_bp, locale)}</td>
                                                    <td>{t(&format!("settings.billing.rate_{state}"))}</td>
                                                    <td>
                                                        {(r.state == RateState::Future).then(|| view! {
                                                            <button type="button" class="link" on:click=move |_| { delete.dispatch(key.clone()); }>
                                                                {t("settings.billing.rate_delete")}<span class="visually-hidden">" " {label.clone()}</span>
                                                            </button>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <crate::ui::pager::Pager page=p.page pages=p.pages link=|p| format!("/settings/billing?rates={p}") />
                        }.into_any(),
                        Err(e) => crate::ui::errors::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RateForm(on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let draft = RwSignal::new(RateInput::default());
    let save = Action::new(move |r: &RateInput| save_vat_rate(r.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "settings.billing.conflict", None, on_saved);
    let text = move |name: &'static str,
                     get: fn(&RateInput) -> String,
                     set: fn(&mut RateInput, String),
                     kind: &'static str| {
        let id = format!("rate-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(&format!("settings.billing.{name}"))}</label>
                <input id=id type=kind autocomplete="off" prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=name />
            </div>
        }
    };
    view! {
        <form class="editor rate-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for="rate-country">{t("settings.billing.country")}</label>
                    <select id="rate-country" on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.country = v); }>
                        <option value="">"–"</option>
                        {crate::billing::tax::EU.iter().map(|code| {
                            view! { <option value=*code>{country_name(code, locale)}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="country" />
                </div>
                {text("valid_from", |d| d.valid_from.clone(), |d, v| d.valid_from = v, "date")}
                {text("standard", |d| d.standard.clone(), |d, v| d.standard = v, "text")}
                {text("reduced", |d| d.reduced.clone(), |d, v| d.reduced = v, "text")}
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
