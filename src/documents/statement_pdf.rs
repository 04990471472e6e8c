//! The account statement as PDF, in the customer's language: the seller's letterhead, the
//! customer's invoice address, the period, the opening balance, every entry with the running
//! balance and the closing balance (the same figures as the CSV and the ledger).
use crate::billing::parties::{Party, SellerSettings};
use crate::billing::statement::Statement;
use crate::i18n::{Locale, translate};
use crate::ui::format;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("statement.typ");

fn address(p: &Party) -> Vec<String> {
    [
        p.name.clone(),
        p.contact.clone(),
        p.street.clone(),
        format!("{} {}", p.postcode, p.city).trim().to_string(),
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect()
}

/// The data the template prints.
pub fn data(
    locale: Locale,
    s: &Statement,
    seller: &SellerSettings,
    buyer: &Party,
    today: chrono::NaiveDate,
) -> Value {
    let money = |c: i64| format::cents(c, locale);
    let day = |d: chrono::NaiveDate| format::date(&d.to_string(), locale);
    let t = |k: &str| translate(locale, k);
    let seller_party = &seller.party;
    let heads =
        ["statement.date", "statement.text", "statement.reference", "statement.amount", "statement.balance"]
            .map(t);
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            let text = if l.description.is_empty() {
                t(&format!("ledger.kind.{}", l.kind))
            } else {
                l.description.clone()
            };
            json!({
                "date": day(l.booked_on),
                "text": text,
                "reference": l.reference,
                "amount": money(l.amount_cents),
                "balance": money(l.balance),
            })
        })
        .collect();
    let footer = [seller_party.name.clone(), seller.iban.clone()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    json!({
        "lang": locale.code(),
        "title": t("statement.title"),
        "seller_name": seller_party.name,
        "sender_line": format!("{} · {} · {} {}", seller_party.name, seller_party.street, seller_party.postcode, seller_party.city),
        "buyer_lines": address(buyer),
        "info": [
            [t("statement.period"), format!("{} – {}", day(s.from), day(s.to))],
            [t("invoice.pdf.customer_number"), buyer.number],
            [t("statement.created"), day(today)],
        ],
        "heads": heads,
        "opening_label": t("statement.opening"),
        "opening": money(s.opening),
        "lines": lines,
        "closing_label": t("statement.closing"),
        "closing": money(s.closing),
        "totals": [
            [t("statement.credits"), money(s.credits)],
            [t("statement.debits"), money(s.debits)],
        ],
        "footer": footer,
    })
}

/// Typeset the statement (the creation date is today's: a statement is made on request, not
/// archived).
pub fn render(
    locale: Locale,
    s: &Statement,
    seller: &SellerSettings,
    buyer: &Party,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, String> {
    super::typst_world::render("statement.typ", TEMPLATE, &data(locale, s, seller, buyer, today), today, None)
}
