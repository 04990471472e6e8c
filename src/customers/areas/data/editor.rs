//! The master-data form, for a new customer and for editing one. Saving sends the version the
//! form started from; a conflict keeps the user's input and shows what is stored now.
use crate::customers::api::{create_customer, get_customer, save_customer};
use crate::customers::countries::COUNTRIES;
use crate::customers::model::*;
use crate::error::AppError;
use crate::i18n::{Locale, t, use_locale};
use crate::ui::fields::{FormState, SelectInput, TextArea, TextInput, Toggle};
use crate::ui::format;
use leptos::prelude::*;

#[derive(Clone)]
enum Outcome {
    Saved(Box<CustomerProfile>),
    Created(i32),
}

pub enum EditorMode {
    New,
    Edit(Box<CustomerDetail>),
}

pub fn choices(field: &str, values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| (v.to_string(), t(&format!("choice.{field}.{v}")))).collect()
}

/// The options of a typed choice, labelled `choice.{field}.{word}`.
pub fn choice_options<T: crate::choice::Choice>(field: &str) -> Vec<(String, String)> {
    T::all().iter().map(|v| (v.as_str().to_string(), t(&format!("choice.{field}.{}", v.as_str())))).collect()
}

pub fn countries(locale: Locale) -> Vec<(String, String)> {
    COUNTRIES
        .iter()
        .map(|(code, de, en)| (code.to_string(), if locale == Locale::En { en } else { de }.to_string()))
        .collect()
}

const SETTINGS: &[&str] = &[
    "account_locked",
    "orders_allowed",
    "products_downloadable",
    "api_access",
    "dunning_off",
    "licence_transfer_locked",
    "update_service",
    "domain_contacts_enabled",
    "domain_api_enabled",
    "authcode_locked",
    "grouping_off",
    "is_reseller",
    "newsletter",
];

#[component]
pub fn CustomerEditor(
    mode: EditorMode,
    meta: FormMeta,
    #[prop(optional)] on_saved: Option<Callback<CustomerProfile>>,
    /// The role may only look: every field is disabled and there is nothing to save.
    #[prop(optional)]
    read_only: bool,
) -> impl IntoView {
    let locale = use_locale();
    let (customer_id, start_version, start_form, facts) = match mode {
        EditorMode::New => (None, 0, CustomerForm::new_default(), None),
        EditorMode::Edit(d) => (Some(d.id), d.version, d.form.clone(), Some(d)),
    };
    let state = FormState::new(start_form.clone());
    let base = RwSignal::new(start_form);
    let version = RwSignal::new(start_version);
    let notice = RwSignal::new(None::<(&'static str, String)>);
    let navigate = leptos_router::hooks::use_navigate();

    let save = Action::new(move |form: &CustomerForm| {
        let form = form.clone();
        let expected = version.get_untracked();
        async move {
            match customer_id {
                Some(id) => save_customer(id, expected, form).await.map(|p| Outcome::Saved(Box::new(p))),
                None => create_customer(form).await.map(Outcome::Created),
            }
        }
    });
    Effect::new(move |_| {
        let Some(result) = save.value().get() else { return };
        match result {
            Ok(Outcome::Saved(profile)) => {
                let saved = profile.detail.clone();
                state.errors.set(Vec::new());
                state.theirs.set(None);
                state.draft.set(saved.form.clone());
                base.set(saved.form.clone());
                version.set(saved.version);
                notice.set(Some(("ok", t("editor.saved"))));
                if let Some(cb) = on_saved {
                    cb.run(*profile);
                }
            }
            Ok(Outcome::Created(new_id)) => {
                navigate(&format!("/customers/{new_id}/data"), Default::default())
            }
            Err(AppError::Validation(errors)) => {
                state.errors.set(errors);
                notice.set(Some(("error", t("editor.invalid"))));
            }
            Err(AppError::Conflict { .. }) => {
                let Some(id) = customer_id else { return };
                leptos::task::spawn_local(async move {
                    if let Ok(CustomerProfile { detail: current, .. }) = get_customer(id).await {
                        state.theirs.set(Some(current.form.clone()));
                        version.set(current.version);
                        base.set(current.form);
                        notice.set(Some(("conflict", t("editor.conflict"))));
                    }
                });
            }
            Err(other) => notice.set(Some(("error", t(other.message_key())))),
        }
    });

    let groups: Vec<(String, String)> = std::iter::once((String::new(), t("choice.none")))
        .chain(meta.groups.iter().map(|g| (g.id.to_string(), g.name.clone())))
        .collect();
    let custom_fields = meta.custom_fields.clone();
    let conflict_fields = move || {
        state.theirs.with(|theirs| theirs.as_ref().map(|th| state.draft.with(|d| th.differing_fields(d))))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        save.dispatch(state.draft.get_untracked());
    };
    let discard = move |_| {
        state.draft.set(base.get_untracked());
        state.errors.set(Vec::new());
        state.theirs.set(None);
        notice.set(None);
    };

    // Someone else saved this customer while the form is open. An untouched form takes the new
    // values at once; one with unsaved input keeps it and says so (their values show on save).
    let live = use_context::<crate::live::client::Live>();
    let untouched = move || state.draft.with(|d| base.with(|b| d == b));
    let untouched_now = move || state.draft.with_untracked(|d| base.with_untracked(|b| d == b));
    let newer_elsewhere = move || {
        let last = live?.last_save.get()?;
        (customer_id == Some(last.customer_id) && last.version.is_some_and(|v| v > version.get()))
            .then_some(last.by)
    };
    Effect::new(move |_| {
        let (Some(_), Some(id)) = (newer_elsewhere(), customer_id) else { return };
        if !untouched() {
            return;
        }
        leptos::task::spawn_local(async move {
            // Still untouched, and not older than what the form shows (answers may cross).
            if let Ok(CustomerProfile { detail: current, .. }) = get_customer(id).await
                && untouched_now()
                && current.version > version.get_untracked()
            {
                state.draft.set(current.form.clone());
                base.set(current.form);
                version.set(current.version);
            }
        });
    });
    let saved_meanwhile = move || newer_elsewhere().filter(|_| !untouched());
    view! {
        <form class="editor" on:submit=on_submit novalidate>
            {move || saved_meanwhile().map(|by| view! {
                <div class="banner conflict" role="alert">
                    {crate::i18n::translate_with(locale, "live.saved_meanwhile", &[("name", &by)])}
                </div>
            })}
            {if read_only {
                view! { <p class="notice">{t("editor.read_only")}</p> }.into_any()
            } else {
                view! { <noscript><p class="notice">{t("editor.needs_js")}</p></noscript> }.into_any()
            }}
            {move || conflict_fields().map(|fields| view! {
                <div class="banner conflict" role="alert">
                    <strong>{t("editor.conflict_title")}</strong>
                    <p>{t("editor.conflict")}</p>
                    <p>{t("editor.conflict_fields")} " "
                        {fields.iter().map(|f| t(&format!("field.{f}"))).collect::<Vec<_>>().join(", ")}
                    </p>
                </div>
            })}
            <fieldset class="plain" disabled=read_only>
            <fieldset>
                <legend>{t("editor.section.person")}</legend>
                <div class="grid">
                    <SelectInput state name="status" options={choice_options::<CustomerStatus>("status")} />
                    <SelectInput state name="kind" options={choice_options::<CustomerKind>("kind")} />
                    <SelectInput state name="salutation" options={choice_options::<Salutation>("salutation")} />
                    <TextInput state name="first_name" autocomplete="off" />
                    <TextInput state name="last_name" />
                    <TextInput state name="company" />
                    <TextInput state name="email" kind="email" wide=true />
                    <TextInput state name="phone" kind="tel" />
                    <TextInput state name="fax" kind="tel" />
                    <TextInput state name="birth_date" kind="date" />
                    <TextInput state name="website" />
                </div>
            </fieldset>
            <fieldset>
                <legend>{t("editor.section.address")}</legend>
                <div class="grid">
                    <TextInput state name="street" wide=true />
                    <TextInput state name="house_number" />
                    <TextInput state name="postcode" />
                    <TextInput state name="city" />
                    <SelectInput state name="country" options=countries(locale) />
                </div>
                <Toggle state name="invoice_address_enabled" />
                <Show when=move || state.draft.with(|d| d.invoice_address_enabled)>
                    <div class="grid">
                        <TextInput state name="invoice_company" />
                        <TextInput state name="invoice_name" />
                        <TextInput state name="invoice_street" wide=true />
                        <TextInput state name="invoice_house_number" />
                        <TextInput state name="invoice_postcode" />
                        <TextInput state name="invoice_city" />
                        <SelectInput state name="invoice_country" options=countries(locale) />
                    </div>
                </Show>
            </fieldset>
            <fieldset>
                <legend>{t("editor.section.billing")}</legend>
                <div class="grid">
                    <SelectInput state name="language" options=choices("language", LANGUAGES) />
                    <SelectInput state name="currency" options=CURRENCIES.iter().map(|c| (c.to_string(), c.to_string())).collect() />
                    <TextInput state name="vat_id" />
                    <SelectInput state name="group_id" options=groups />
                    <SelectInput state name="price_level" options=choices("price_level", PRICE_LEVELS) />
                    <TextInput state name="payment_term_days" kind="number" />
                    <SelectInput state name="taxation" options=choices("taxation", TAXATIONS) />
                    <TextInput state name="reseller_number" />
                    <SelectInput state name="einvoice" options=choices("einvoice", crate::billing::einvoice_rules::EINVOICES) />
                    <TextInput state name="leitweg_id" autocomplete="off" />
                    <TextInput state name="einvoice_address" autocomplete="off" />
                </div>
                <Toggle state name="public_sector" />
            </fieldset>
            <fieldset>
                <legend>{t("editor.section.settings")}</legend>
                <div class="toggles">
                    {SETTINGS.iter().map(|name| view! { <Toggle state name=*name /> }).collect_view()}
                </div>
                <div class="grid">
                    <TextInput state name="own_nameservers" wide=true />
                    <TextArea state name="own_nameserver_glue" wide=true />
                </div>
            </fieldset>
            <Show when={
                let has = !custom_fields.is_empty();
                move || has
            }>
                <fieldset>
                    <legend>{t("editor.section.custom")}</legend>
                    <div class="grid">
                        {custom_fields.iter().map(|def| custom_input(state, def, locale)).collect_view()}
                    </div>
                </fieldset>
            </Show>
            {facts.map(|d| view! {
                <dl class="facts">
                    <div><dt>{t("field.number")}</dt><dd>{d.number.clone()}</dd></div>
                    <div><dt>{t("field.registered_at")}</dt><dd>{format::date(&d.created_at, locale)}</dd></div>
                    <div><dt>{t("field.last_login")}</dt><dd>{d.last_login_at.as_deref().map(|v| format::date(v, locale)).unwrap_or_else(|| "–".into())}</dd></div>
                    <div><dt>{t("field.last_ip")}</dt><dd>{d.last_ip.clone().unwrap_or_else(|| "–".into())}</dd></div>
                    <div><dt>{t("field.source")}</dt><dd>{d.source.clone()}</dd></div>
                    <div><dt>{t("field.api_key")}</dt><dd>{if d.api_key_set { t("field.api_key.set") } else { t("field.api_key.none") }}</dd></div>
                </dl>
            })}
            </fieldset>
            {(!read_only).then(|| view! {
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <button type="button" class="button quiet" on:click=discard>{t("editor.discard")}</button>
                <span class="editor-notice" role="status">
                    {move || notice.get().map(|(kind, text)| view! { <span class=format!("notice-{kind}")>{text}</span> })}
                </span>
            </div>
            })}
        </form>
    }
}

fn custom_input(state: FormState<CustomerForm>, def: &CustomFieldDef, locale: Locale) -> AnyView {
    let name = format!("custom.{}", def.key);
    let label = if locale == Locale::En { def.label_en.clone() } else { def.label_de.clone() };
    match def.kind.as_str() {
        "select" => {
            let options = std::iter::once((String::new(), t("choice.none")))
                .chain(def.options.iter().map(|o| (o.clone(), o.clone())))
                .collect();
            view! { <SelectInput state name label options /> }.into_any()
        }
        "bool" => view! { <Toggle state name label /> }.into_any(),
        "date" => view! { <TextInput state name label kind="date" /> }.into_any(),
        "number" => view! { <TextInput state name label kind="number" /> }.into_any(),
        _ => view! { <TextInput state name label /> }.into_any(),
    }
}
