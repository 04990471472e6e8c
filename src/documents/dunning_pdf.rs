//! A dunning notice as a letter (payment reminder or Mahnung) in the invoice's layout: today's
//! letterhead and the customer's address, the level's text (or the standard one), the invoice
//! with what it still owed on the day, what the notice charges (billed on its own fee document)
//! and the new deadline. Typeset once, dated by its issue date, so the same notice always gives
//! the same bytes.
use super::invoice_pdf::{SellerExtras, address, day, footer};
use crate::billing::dunning::MAX_LEVEL;
use crate::billing::parties::Party;
use crate::db::entities::{dunning_notice, invoice};
use crate::i18n::{Locale, translate, translate_with};
use crate::ui::format;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("invoice.typ");

/// The title of a level: "Zahlungserinnerung", "1. Mahnung", …
pub fn title(level: i32, locale: Locale) -> String {
    translate(locale, &format!("dunning.pdf.title.{}", level.clamp(0, MAX_LEVEL)))
}

/// The name a notice's PDF is downloaded and attached under.
pub fn file_name(level: i32, invoice_number: &str, locale: Locale) -> String {
    format!("{} {invoice_number}.pdf", title(level, locale))
}

/// What the notice asks for in all: what is open and what it charges.
pub fn total_cents(n: &dunning_notice::Model) -> i64 {
    n.open_cents + charges_cents(n)
}

fn charges_cents(n: &dunning_notice::Model) -> i64 {
    n.fee_cents + n.flat_cents + n.interest_cents
}

/// The letter's text: the level's own (its placeholders filled as in the standard one), or the
/// standard text of the level.
fn text(own: &str, level: i32, locale: Locale, args: &[(&str, &str)]) -> String {
    if own.trim().is_empty() {
        return translate_with(locale, &format!("dunning.text.{}", level.clamp(0, MAX_LEVEL)), args);
    }
    args.iter().fold(own.trim().to_string(), |acc, (name, value)| acc.replace(&format!("{{{name}}}"), value))
}

/// The data the template prints. `inv` is the dunned invoice, `parties` the buyer and seller the
/// letter names, `fee_number` the number of the
/// document that charges the notice's fees and interest, `own_text` the level's text.
pub fn data(
    locale: Locale,
    n: &dunning_notice::Model,
    inv: &invoice::Model,
    (buyer, seller): &(Party, Party),
    fee_number: Option<&str>,
    own_text: &str,
    extras: &SellerExtras,
) -> Value {
    let money = |c: i64| format::cents(c, locale);
    let number = inv.number.clone().unwrap_or_default();
    let (issued, due) = (day(inv.issue_date, locale), day(inv.due_date, locale));
    let pay_by = day(Some(n.pay_by), locale);
    let total = money(total_cents(n));
    let args = [
        ("number", number.as_str()),
        ("date", issued.as_str()),
        ("due", due.as_str()),
        ("pay_by", pay_by.as_str()),
        ("amount", total.as_str()),
    ];
    let info = vec![
        json!([translate(locale, "dunning.pdf.date"), day(Some(n.issued_on), locale)]),
        json!([translate(locale, "invoice.pdf.customer_number"), buyer.number]),
        json!([translate(locale, "invoice.pdf.number"), number]),
        json!([translate(locale, "dunning.pdf.pay_by_label"), pay_by]),
    ];
    let heads: Vec<String> = [
        "invoice.pdf.number",
        "invoice.pdf.date",
        "dunning.pdf.due_date",
        "dunning.pdf.amount",
        "dunning.pdf.paid",
        "dunning.pdf.open",
    ]
    .iter()
    .map(|k| translate(locale, k))
    .collect();
    // Paid as of the notice (what it owed then is stored), so a later payment leaves it alike.
    let row = json!({ "cells": [
        number,
        issued,
        due,
        money(inv.gross_cents),
        money(inv.gross_cents - n.open_cents),
        money(n.open_cents),
    ] });
    let mut totals = Vec::new();
    let mut notes = Vec::new();
    if charges_cents(n) > 0 {
        totals.push(json!([translate(locale, "dunning.pdf.open_amount"), money(n.open_cents)]));
        if n.fee_cents > 0 {
            totals.push(json!([translate(locale, "dunning.pdf.fee"), money(n.fee_cents)]));
        }
        if n.flat_cents > 0 {
            totals.push(json!([translate(locale, "dunning.pdf.flat"), money(n.flat_cents)]));
        }
        if n.interest_cents > 0 {
            let period = [("from", day(n.interest_from, locale)), ("to", day(n.interest_to, locale))];
            let period: Vec<(&str, &str)> = period.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let label = translate_with(locale, "dunning.pdf.interest", &period);
            totals.push(json!([label, money(n.interest_cents)]));
        }
        if let Some(fee_number) = fee_number {
            notes.push(translate_with(locale, "dunning.pdf.charged_with", &[("number", fee_number)]));
        }
    }
    notes.push(translate_with(locale, "dunning.pdf.pay_by", &[("amount", &total), ("date", &pay_by)]));
    if extras.iban.is_empty() {
        notes.push(translate_with(locale, "dunning.pdf.reference", &[("reference", &number)]));
    } else {
        let account = [extras.bank.clone(), format!("IBAN {}", extras.iban)]
            .into_iter()
            .chain((!extras.bic.is_empty()).then(|| format!("BIC {}", extras.bic)))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let transfer = [("account", account.as_str()), ("reference", number.as_str())];
        notes.push(translate_with(locale, "dunning.pdf.transfer", &transfer));
    }
    notes.push(translate(locale, "dunning.pdf.crossed"));
    json!({
        "lang": locale.code(),
        "title": title(n.level, locale),
        "number": number,
        "seller_name": seller.name,
        "sender_line": format!("{} · {} · {} {}", seller.name, seller.street, seller.postcode, seller.city),
        "buyer_lines": address(buyer, locale),
        "info": info,
        "intro": text(own_text, n.level, locale, &args),
        "heads": heads,
        "lines": [row],
        // The number column takes the width; number and both dates left, the amounts right.
        "wide_column": 0,
        "left_columns": 3,
        "totals": totals,
        "gross_label": translate(locale, "dunning.pdf.total"),
        "gross": total,
        "notes": notes,
        "footer": footer(seller, extras, locale),
    })
}

/// Typeset a notice; the same notice gives the same bytes (its issue date is the PDF's date).
pub fn render(data: &Value, issued: chrono::NaiveDate, ident: &str) -> Result<Vec<u8>, String> {
    super::typst_world::render("invoice.typ", TEMPLATE, data, issued, Some(ident))
}
