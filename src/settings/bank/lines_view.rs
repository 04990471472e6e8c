//! A statement line's cells as both lists show them: the day, who paid (and their IBAN), the
//! remittance text, the amount, and the match (customer, invoices, how it was found).
use super::model::LineRow;
use crate::i18n::{Locale, t, translate_with};
use crate::ui::format;
use leptos::prelude::*;

/// Day, payer, text and amount.
pub fn statement_cells(l: &LineRow, locale: Locale) -> impl IntoView + use<> {
    let amount_class = if l.amount_cents < 0 { "num negative" } else { "num" };
    let reason = l.is_return.then(|| {
        let mut text = t("settings.bank.return");
        if !l.return_reason.is_empty() {
            text = format!("{text} ({})", l.return_reason);
        }
        if l.charges_cents > 0 {
            text = format!(
                "{text}, {}",
                translate_with(
                    locale,
                    "settings.bank.charges",
                    &[("amount", &format::cents(l.charges_cents, locale))]
                )
            );
        }
        view! { <br /><span class="badge warn">{text}</span> }
    });
    view! {
        <td>{format::date(&l.booked_on, locale)}</td>
        <td>{l.counterparty.clone()}<br /><span class="muted">{l.counterparty_iban.clone()}</span></td>
        <td class="remittance">{l.remittance.clone()}{reason}</td>
        <td class=amount_class>{format::cents(l.amount_cents, locale)}</td>
    }
}

/// The customer and invoices a line is (to be) booked to, and how they were found.
pub fn match_cell(l: &LineRow) -> impl IntoView + use<> {
    let Some(customer) = l.customer_id else {
        return view! { <td><span class="muted">"–"</span></td> }.into_any();
    };
    let by = (!l.matched_by.is_empty()).then(|| {
        view! { <br /><span class="muted">{t(&format!("settings.bank.by.{}", l.matched_by))}</span> }
    });
    view! {
        <td>
            <a href=format!("/customers/{customer}/transactions")>{l.customer_number.clone()}</a>
            " " {l.customer_name.clone()}
            {(!l.invoices.is_empty()).then(|| view! { <br />{l.invoices.join(", ")} })}
            {by}
        </td>
    }
    .into_any()
}
