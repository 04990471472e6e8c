//! The Transaktionen forms that book or set something: a payment, a manual credit or debit,
//! the account terms. Each resets itself after its own save and is never rebuilt by a live
//! refresh of the ledger beside it.
use super::api::*;
use super::model::{LedgerFormStart, PaymentForm, TermsForm};
use crate::i18n::t;
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;

/// The allowed payment methods and the postpaid limit, saved at the customer's version shown.
#[component]
pub fn TermsFormView(customer_id: i32, forms: LedgerFormStart, on_saved: Callback<()>) -> impl IntoView {
    let chosen: Vec<String> = forms.methods.split(',').filter(|m| !m.is_empty()).map(String::from).collect();
    let draft = RwSignal::new(TermsForm {
        version: forms.version,
        methods: chosen,
        limit: if forms.postpaid_limit > 0 {
            crate::money::cents_text(forms.postpaid_limit, ',')
        } else {
            String::new()
        },
    });
    let save = Action::new(move |f: &TermsForm| save_account_terms(customer_id, f.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "ledger.terms_conflict", None, on_saved);
    // The next save goes over the version this one made.
    Effect::new(move |_| {
        if let Some(Ok(version)) = save.value().get() {
            draft.update(|d| d.version = version);
        }
    });
    view! {
        <form class="editor terms-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <fieldset>
                <legend>{t("ledger.methods")}</legend>
                <p class="hint">{t("ledger.methods_hint")}</p>
                {crate::billing::model::METHODS.iter().map(|m| {
                    let id = format!("terms-method-{m}");
                    let word = m.to_string();
                    let has = word.clone();
                    view! {
                        <div class="toggle">
                            <input id=id.clone() type="checkbox" prop:checked=move || draft.with(|d| d.methods.contains(&has))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let word = word.clone();
                                    draft.update(|d| {
                                        d.methods.retain(|x| *x != word);
                                        if on { d.methods.push(word); }
                                    });
                                } />
                            <label for=id>{t(&format!("ledger.method.{m}"))}</label>
                        </div>
                    }
                }).collect_view()}
                <FieldMessage errors field="payment_methods" />
            </fieldset>
            <div class="field">
                <label for="terms-limit">{t("ledger.limit_label")}</label>
                <input id="terms-limit" type="text" inputmode="decimal" aria-describedby="terms-limit-hint"
                    prop:value=move || draft.with(|d| d.limit.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.limit = v); } />
                <p id="terms-limit-hint" class="hint">{t("ledger.limit_hint")}</p>
                <FieldMessage errors field="postpaid_limit" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
pub fn PaymentFormView(
    customer_id: i32,
    today: String,
    key: String,
    on_saved: Callback<()>,
) -> impl IntoView {
    let draft = RwSignal::new(PaymentForm {
        method: "transfer".into(),
        booked_on: today,
        idempotency_key: key.clone(),
        ..PaymentForm::default()
    });
    let save = Action::new(move |p: &PaymentForm| book_payment(customer_id, p.clone()));
    // Booked: the form empties for the next payment (method and date stay) under a new key
    // (the server's random key and a count, so a double submit of one payment stays refused).
    let booked = StoredValue::new(0u32);
    let reset = Callback::new(move |_: ()| {
        booked.update_value(|n| *n += 1);
        let key = format!("{key}-{}", booked.get_value());
        draft.update(|d| {
            *d = PaymentForm {
                method: d.method.clone(),
                booked_on: d.booked_on.clone(),
                idempotency_key: key,
                ..PaymentForm::default()
            }
        });
        on_saved.run(());
    });
    let SaveResult { errors, notice } = use_save_result(save, "ledger.conflict", None, reset);
    let id = |f: &str| format!("payment-{f}");
    let text = move |f: &'static str,
                     get: fn(&PaymentForm) -> String,
                     set: fn(&mut PaymentForm, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=id(f)>{t(&format!("ledger.{f}"))}</label>
                <input id=id(f) type=kind prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    view! {
        <form class="editor payment-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {text("amount", |d| d.amount.clone(), |d, v| d.amount = v, "text")}
                {text("fee", |d| d.fee.clone(), |d, v| d.fee = v, "text")}
                <div class="field">
                    <label for=id("method")>{t("ledger.method")}</label>
                    <select id=id("method") on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.method = v); }>
                        {crate::billing::model::METHODS.iter().map(|m| view! {
                            <option value=*m selected=move || draft.with(|d| d.method == *m)>{t(&format!("ledger.method.{m}"))}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="method" />
                </div>
                {text("booked_on", |d| d.booked_on.clone(), |d, v| d.booked_on = v, "date")}
                {text("reference", |d| d.reference.clone(), |d, v| d.reference = v, "text")}
            </div>
            <FieldMessage errors field="invoices" />
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("ledger.book")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
pub fn ManualForm(customer_id: i32, today: String, on_saved: Callback<()>) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let debit = RwSignal::new(false);
    let special = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let day = RwSignal::new(today);
    let save = Action::new(move |_: &()| {
        book_manual(
            customer_id,
            amount.get_untracked(),
            debit.get_untracked(),
            special.get_untracked(),
            reason.get_untracked(),
            day.get_untracked(),
        )
    });
    let reset = Callback::new(move |_: ()| {
        amount.set(String::new());
        reason.set(String::new());
        debit.set(false);
        special.set(false);
        on_saved.run(());
    });
    let SaveResult { errors, notice } = use_save_result(save, "ledger.conflict", None, reset);
    view! {
        <form class="editor manual-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="grid">
                <div class="field">
                    <label for="manual-amount">{t("ledger.amount")}</label>
                    <input id="manual-amount" type="text" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
                    <FieldMessage errors field="amount" />
                </div>
                <div class="field">
                    <label for="manual-direction">{t("ledger.direction")}</label>
                    <select id="manual-direction" on:change=move |ev| debit.set(event_target_value(&ev) == "debit")>
                        <option value="credit" selected=move || !debit.get()>{t("ledger.kind.credit")}</option>
                        <option value="debit" selected=move || debit.get()>{t("ledger.kind.debit")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="manual-day">{t("ledger.booked_on")}</label>
                    <input id="manual-day" type="date" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) />
                    <FieldMessage errors field="booked_on" />
                </div>
                <div class="field">
                    <label for="manual-reason">{t("ledger.reason")}</label>
                    <input id="manual-reason" type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <FieldMessage errors field="reason" />
                </div>
            </div>
            <div class="field checkbox">
                <input id="manual-special" type="checkbox" prop:checked=move || special.get() on:change=move |ev| special.set(event_target_checked(&ev)) />
                <label for="manual-special">{t("ledger.special_credit")}</label>
                <FieldMessage errors field="special" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("ledger.book")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
