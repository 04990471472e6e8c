//! A quote as PDF, in the invoice's letter layout: number, date, validity, the lines (a
//! recurring line says how often it is billed), the totals per rate group with the tax note of
//! the quote's tax mode, the note, and the seller's footer. Typeset once when the quote is sent,
//! dated by its issue date, so the same quote always gives the same bytes.
use super::invoice_pdf::{SellerExtras, address, day, footer, heads, rate, totals};
use crate::billing::amount::scaled_text;
use crate::billing::calendar::Interval;
use crate::billing::parties::Party;
use crate::billing::quotes::QuoteLine;
use crate::billing::stored::PrintGroup;
use crate::billing::tax::{self, Category, TaxMode};
use crate::db::entities::quote;
use crate::i18n::{Locale, translate, translate_with};
use crate::ui::format;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("invoice.typ");

/// "monatlich", "alle 3 Monate".
pub fn every(interval: Interval, locale: Locale) -> String {
    if interval.count == 1 {
        return translate(locale, &format!("quotes.every_one.{}", interval.unit.as_str()));
    }
    let unit = translate(locale, &format!("items.unit.{}", interval.unit.as_str()));
    translate_with(locale, "items.every_n", &[("count", &interval.count.to_string()), ("unit", &unit)])
}

/// The data the template prints.
pub fn data(
    locale: Locale,
    q: &quote::Model,
    buyer: &Party,
    seller: &Party,
    lines: &[QuoteLine],
    extras: &SellerExtras,
) -> Value {
    let money = |c: i64| format::cents(c, locale);
    let decimal = if locale == Locale::De { ',' } else { '.' };
    let number = q.number.clone().unwrap_or_default();
    let info = vec![
        json!([translate(locale, "quotes.pdf.number"), number]),
        json!([translate(locale, "quotes.pdf.date"), day(q.issue_date, locale)]),
        json!([translate(locale, "quotes.pdf.valid_until"), day(Some(q.valid_until), locale)]),
        json!([translate(locale, "invoice.pdf.customer_number"), buyer.number]),
    ];
    let rows: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "pos": (i + 1).to_string(),
                "description": l.line.description,
                "period": l.interval.map(|iv| every(iv, locale)).unwrap_or_default(),
                "quantity": scaled_text(l.line.quantity_milli, 3, 0, decimal),
                "price": format!("{} €", scaled_text(l.line.unit_price_e4, 4, 2, decimal)),
                "net": money(l.line.net_cents),
                "rate": rate(l.rate_bp, locale),
            })
        })
        .collect();
    let sums = tax::totals(lines.iter().map(|l| {
        (
            Category::from_code(&l.category).unwrap_or(Category::Standard),
            l.rate_bp.max(0) as u32,
            l.line.net_cents,
        )
    }));
    let groups: Vec<PrintGroup> = sums
        .groups
        .iter()
        .map(|g| PrintGroup {
            category: g.category.code().to_string(),
            rate_bp: g.rate_bp as i32,
            net_cents: g.net_cents,
            tax_cents: g.tax_cents,
        })
        .collect();
    let mut notes = Vec::new();
    if let Some(key) = TaxMode::from_key(&q.tax_mode).and_then(|m| m.note_key()) {
        notes.push(translate(locale, key));
    }
    if lines.iter().any(|l| l.interval.is_some()) {
        notes.push(translate(locale, "quotes.pdf.recurring_note"));
    }
    if !q.note.is_empty() {
        notes.push(q.note.clone());
    }
    notes.push(translate_with(
        locale,
        "quotes.pdf.valid_note",
        &[("date", &day(Some(q.valid_until), locale))],
    ));
    json!({
        "lang": locale.code(),
        "title": translate(locale, "quotes.pdf.title"),
        "number": number,
        "seller_name": seller.name,
        "sender_line": format!("{} · {} · {} {}", seller.name, seller.street, seller.postcode, seller.city),
        "buyer_lines": address(buyer, locale),
        "info": info,
        "intro": translate(locale, "quotes.pdf.intro"),
        "heads": heads(locale),
        "lines": rows,
        "totals": totals(&groups, locale),
        "gross_label": translate(locale, "invoice.pdf.gross"),
        "gross": money(q.gross_cents),
        "notes": notes,
        "footer": footer(seller, extras, locale),
    })
}

/// Typeset a quote; the same quote gives the same bytes (its issue date is the PDF's date).
pub fn render(data: &Value, issued: chrono::NaiveDate, ident: &str) -> Result<Vec<u8>, String> {
    super::typst_world::render("invoice.typ", TEMPLATE, data, issued, Some(ident))
}
