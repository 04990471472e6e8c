//! An invoice as PDF: what § 14 (4) UStG asks of it (both parties with address and VAT ID or tax
//! number, issue date, number, quantity and kind of each service, service date or period, net
//! per rate, rate and tax, or the exemption note), typeset once at finalisation from the frozen
//! invoice, with a fixed creation date so that the same invoice always gives the same bytes.
use crate::billing::amount::scaled_text;
use crate::billing::parties::Party;
use crate::billing::tax::{Category, TaxMode};
use crate::db::entities::invoice;
use crate::i18n::{Locale, translate, translate_with};
use crate::ui::format;
use serde_json::{Value, json};

pub use crate::billing::stored::{PrintGroup, PrintLine};

const TEMPLATE: &str = include_str!("invoice.typ");

/// What the seller prints beyond the frozen party: contact and bank (from the settings).
#[derive(Clone, Debug, Default)]
pub struct SellerExtras {
    pub phone: String,
    pub bank: String,
    pub iban: String,
    pub bic: String,
    /// The buyer pays by SEPA direct debit: the pre-notification replaces the request to pay.
    pub direct_debit: Option<DirectDebitNote>,
}

/// What the pre-notification of a direct debit names.
#[derive(Clone, Debug, Default)]
pub struct DirectDebitNote {
    pub mandate: String,
    pub creditor_id: String,
    /// The debtor's IBAN, masked.
    pub iban: String,
}

pub(super) fn day(d: Option<chrono::NaiveDate>, locale: Locale) -> String {
    d.map(|d| format::date(&d.to_string(), locale)).unwrap_or_default()
}

pub(super) fn rate(bp: i32, locale: Locale) -> String {
    let text = scaled_text(i64::from(bp), 2, 0, if locale == Locale::De { ',' } else { '.' });
    format!("{text} %")
}

pub(super) fn address(p: &Party, locale: Locale) -> Vec<String> {
    let mut lines = vec![p.name.clone()];
    if !p.contact.is_empty() {
        lines.push(p.contact.clone());
    }
    lines.push(p.street.clone());
    lines.push(format!("{} {}", p.postcode, p.city).trim().to_string());
    if p.country != crate::billing::tax::HOME {
        lines.push(crate::customers::countries::name(&p.country, locale == Locale::En).to_string());
    }
    lines.into_iter().filter(|l| !l.is_empty()).collect()
}

/// The data the template prints.
pub fn data(
    locale: Locale,
    inv: &invoice::Model,
    lines: &[PrintLine],
    groups: &[PrintGroup],
    original: Option<(&str, chrono::NaiveDate)>,
    prepaid_cents: i64,
    extras: &SellerExtras,
) -> Value {
    let buyer: Party = serde_json::from_str(&inv.buyer).unwrap_or_default();
    let seller: Party = serde_json::from_str(&inv.seller).unwrap_or_default();
    let money = |c: i64| format::cents(c, locale);
    let mode = TaxMode::from_key(&inv.tax_mode).unwrap_or(TaxMode::Domestic);
    let cancellation = inv.kind == "cancellation";
    // Dunning charges (a notice's fee document) are damages, not a supply: no service period,
    // no tax note of the mode; the stored note says why no VAT is charged.
    let fee = inv.kind == "fee";
    let title = translate(
        locale,
        match inv.kind.as_str() {
            "cancellation" => "invoice.pdf.cancellation",
            "correction" => "invoice.pdf.correction",
            "fee" => "invoice.pdf.fee",
            _ => "invoice.pdf.invoice",
        },
    );
    let number = inv.number.clone().unwrap_or_default();
    let mut info = vec![
        json!([translate(locale, "invoice.pdf.number"), number]),
        json!([translate(locale, "invoice.pdf.date"), day(inv.issue_date, locale)]),
        json!([translate(locale, "invoice.pdf.customer_number"), buyer.number]),
    ];
    let period = match (inv.service_from, inv.service_to) {
        (Some(f), Some(t)) if f != t => format!("{} – {}", day(Some(f), locale), day(Some(t), locale)),
        (Some(f), _) => day(Some(f), locale),
        _ => day(inv.issue_date, locale),
    };
    if !fee {
        info.push(json!([translate(locale, "invoice.pdf.service_period"), period]));
    }
    if !buyer.vat_id.is_empty() && mode.needs_vat_ids() {
        info.push(json!([translate(locale, "invoice.pdf.buyer_vat_id"), buyer.vat_id]));
    }
    let decimal = if locale == Locale::De { ',' } else { '.' };
    let rows: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let period = match (l.service_from, l.service_to) {
                (Some(f), Some(t)) if f != t => {
                    format!("{} – {}", day(Some(f), locale), day(Some(t), locale))
                }
                (Some(f), _) => day(Some(f), locale),
                _ => String::new(),
            };
            json!({
                "pos": (i + 1).to_string(),
                "description": l.description,
                "period": period,
                "quantity": scaled_text(l.quantity_milli, 3, 0, decimal),
                "price": format!("{} €", scaled_text(l.unit_price_e4, 4, 2, decimal)),
                "net": money(l.net_cents),
                "rate": rate(l.rate_bp, locale),
            })
        })
        .collect();
    let totals = totals(groups, locale);
    let mut notes = Vec::new();
    if let Some((number, date)) = original {
        let key = if cancellation { "invoice.pdf.cancels" } else { "invoice.pdf.corrects" };
        notes.push(translate_with(locale, key, &[("number", number), ("date", &day(Some(date), locale))]));
    }
    if let Some(key) = mode.note_key().filter(|_| !fee) {
        notes.push(translate(locale, key));
    }
    if !inv.note.is_empty() && !cancellation {
        notes.push(inv.note.clone());
    }
    if prepaid_cents > 0 {
        let args = [("paid", money(prepaid_cents)), ("owed", money(inv.gross_cents - prepaid_cents))];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        notes.push(translate_with(locale, "invoice.pdf.prepaid", &args));
    }
    if !cancellation && inv.gross_cents - prepaid_cents > 0 && inv.due_date.is_some() {
        let due = day(inv.due_date, locale);
        notes.push(match &extras.direct_debit {
            Some(dd) => translate_with(
                locale,
                "invoice.pdf.direct_debit",
                &[
                    ("amount", &money(inv.gross_cents - prepaid_cents)),
                    ("date", &due),
                    ("iban", &dd.iban),
                    ("mandate", &dd.mandate),
                    ("creditor", &dd.creditor_id),
                ],
            ),
            None => translate_with(locale, "invoice.pdf.due", &[("date", &due)]),
        });
    }
    let footer = footer(&seller, extras, locale);
    let heads = heads(locale);
    json!({
        "lang": locale.code(),
        "title": title,
        "number": number,
        "seller_name": seller.name,
        "sender_line": format!("{} · {} · {} {}", seller.name, seller.street, seller.postcode, seller.city),
        "buyer_lines": address(&buyer, locale),
        "info": info,
        "intro": "",
        "heads": heads,
        "lines": rows,
        "totals": totals,
        "gross_label": translate(locale, "invoice.pdf.gross"),
        "gross": money(inv.gross_cents),
        "notes": notes,
        "footer": footer,
    })
}

/// The totals block: net per rate group, and the VAT of each taxed group.
pub(super) fn totals(groups: &[PrintGroup], locale: Locale) -> Vec<Value> {
    let money = |c: i64| format::cents(c, locale);
    let mut totals = Vec::new();
    for g in groups {
        let category = Category::from_code(&g.category).unwrap_or(Category::Standard);
        let label = if category == Category::Standard {
            translate_with(locale, "invoice.pdf.net_at", &[("rate", &rate(g.rate_bp, locale))])
        } else {
            translate(locale, "invoice.pdf.net_untaxed")
        };
        totals.push(json!([label, money(g.net_cents)]));
        if category == Category::Standard {
            let label = translate_with(locale, "invoice.pdf.vat_at", &[("rate", &rate(g.rate_bp, locale))]);
            totals.push(json!([label, money(g.tax_cents)]));
        }
    }
    totals
}

/// The footer's columns: the seller's address, ids and contact, and the bank.
pub(super) fn footer(seller: &Party, extras: &SellerExtras, locale: Locale) -> Vec<Value> {
    let seller_ids = [
        (!seller.vat_id.is_empty())
            .then(|| format!("{} {}", translate(locale, "invoice.pdf.vat_id"), seller.vat_id)),
        (!seller.tax_number.is_empty())
            .then(|| format!("{} {}", translate(locale, "invoice.pdf.tax_number"), seller.tax_number)),
    ];
    let mut footer = vec![
        json!(address(seller, locale)),
        json!(
            seller_ids
                .into_iter()
                .flatten()
                .chain([seller.email.clone(), extras.phone.clone()])
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        ),
    ];
    if !extras.iban.is_empty() {
        footer.push(json!([extras.bank, format!("IBAN {}", extras.iban), format!("BIC {}", extras.bic)]));
    }
    footer
}

/// The heads of the lines table.
pub(super) fn heads(locale: Locale) -> Vec<String> {
    [
        "invoice.pdf.pos",
        "invoice.pdf.service",
        "invoice.pdf.quantity",
        "invoice.pdf.unit_price",
        "invoice.pdf.net",
        "invoice.pdf.rate",
    ]
    .iter()
    .map(|k| translate(locale, k))
    .collect()
}

/// Typeset an invoice; the same invoice gives the same bytes (its issue date is the PDF's date).
/// With `facturx` (the EN 16931 CII XML) it is a ZUGFeRD / Factur-X hybrid: PDF/A-3b with the
/// XML attached and the Factur-X XMP.
pub fn render(
    data: &Value,
    issued: chrono::NaiveDate,
    ident: &str,
    facturx: Option<&str>,
) -> Result<Vec<u8>, String> {
    let Some(xml) = facturx else {
        return super::typst_world::render("invoice.typ", TEMPLATE, data, issued, Some(ident));
    };
    let mut data = data.clone();
    data["facturx"] = Value::String(xml.to_string());
    let pdf = super::typst_world::render_pdfa3("invoice.typ", TEMPLATE, &data, issued, ident)?;
    super::facturx::add_metadata(&pdf, super::facturx::EN16931)
}
