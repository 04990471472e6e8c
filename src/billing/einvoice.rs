//! A final invoice as an e-invoice: the EN 16931 model (crate `en16931`) filled from the frozen
//! invoice, proven against the profile's rules, and written as UN/CEFACT CII (`en16931-formats`):
//! XRechnung 3.0 standalone, or EN 16931 for ZUGFeRD / Factur-X. The amounts are the invoice's
//! stored cents, never computed again: the XML says what the PDF says, to the cent.
use super::parties::{Party, SellerSettings};
use super::stored::{PrintGroup, PrintLine};
use super::tax::TaxMode;
use crate::db::entities::invoice;
use chrono::NaiveDate;
use en16931::invoice::{
    Contact, Delivery, InvoiceBuilder, Party as EnParty, PaymentInstructions, Period, PostalAddress,
    PrecedingInvoice, VatBreakdown,
};
use en16931::validation::profile::ProfileMarker;
use en16931::{
    Date, DocumentReference, Identifier, InvoiceAmount, InvoiceLine, Percentage, Quantity, Validated,
    XRechnung,
};
use rust_decimal::Decimal;

/// Which e-invoice a customer gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// XRechnung 3.0 (BT-24 `…#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0`), standalone XML.
    XRechnung,
    /// EN 16931 (BT-24 `urn:cen.eu:en16931:2017`), embedded in the PDF as ZUGFeRD / Factur-X.
    En16931,
}

impl Profile {
    /// The profile of an invoice's or customer's `einvoice` value; None for `none`.
    pub fn of(kind: &str) -> Option<Profile> {
        match kind {
            "xrechnung" => Some(Profile::XRechnung),
            "zugferd" => Some(Profile::En16931),
            _ => None,
        }
    }
}

/// What the e-invoice is written from: the frozen invoice with its lines and rate groups.
pub struct Source<'a> {
    pub invoice: &'a invoice::Model,
    pub lines: &'a [PrintLine],
    pub groups: &'a [PrintGroup],
    /// The corrected or cancelled invoice's number and issue date (BG-3).
    pub original: Option<(&'a str, NaiveDate)>,
    /// The seller's contact and bank (BT-42, BT-43, BG-16) beside the frozen party.
    pub seller: &'a SellerSettings,
    /// Already paid (BT-113): a correction's share of what its original was paid.
    pub prepaid_cents: i64,
    /// Collected by SEPA direct debit under this mandate (BT-89, BT-90, BT-91), not transferred.
    pub direct_debit: Option<super::sepa::mandates::PreNotified>,
}

/// Why no e-invoice could be written: the rules it fails, each naming its business term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub Vec<String>);

fn date(d: NaiveDate) -> Result<Date, Refused> {
    Date::parse(&d.to_string()).map_err(|e| Refused(vec![format!("date {d}: {e}")]))
}

fn refused(what: impl std::fmt::Display) -> Refused {
    Refused(vec![what.to_string()])
}

/// A party with its postal address, VAT ID or tax number, and electronic address.
fn party(p: &Party, with_vat_id: bool) -> Result<EnParty, Refused> {
    let address = PostalAddress::new(&p.street, &p.city, &p.postcode, &p.country).map_err(refused)?;
    let mut out = EnParty::new(&p.name, address);
    if with_vat_id && !p.vat_id.trim().is_empty() {
        out = out.with_vat_identifier(p.vat_id.trim());
    }
    if !p.tax_number.trim().is_empty() {
        out.tax_registration = Some(p.tax_number.trim().to_string());
    }
    if let Some(address) = super::einvoice_rules::electronic_address(p) {
        let (scheme, id) = address.scheme_and_id();
        out = out.with_electronic_address(Identifier::eas(id, scheme).map_err(refused)?);
    }
    Ok(out)
}

/// Cents as an amount, positive on a credit note (its type code carries the direction).
fn amount(cents: i64, sign: i64) -> InvoiceAmount {
    InvoiceAmount::from_minor_units(cents * sign)
}

fn percent(rate_bp: i32) -> Percentage {
    Percentage::new(Decimal::new(i64::from(rate_bp), 2))
}

/// The exemption reason a category needs (BR-AE-10, BR-O-10, BR-E-10), by the tax mode.
fn exemption(category: &str, mode: &TaxMode) -> (Option<String>, Option<&'static str>) {
    match (category, mode) {
        ("AE", _) => (Some("Steuerschuldnerschaft des Leistungsempfängers".into()), Some("VATEX-EU-AE")),
        ("O", _) => (Some("Nicht im Inland steuerbare Leistung".into()), Some("VATEX-EU-O")),
        ("E", TaxMode::SmallBusiness) => {
            (Some("Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.".into()), None)
        }
        ("E", _) => (Some("Steuerfreie Leistung nach § 4 UStG".into()), None),
        _ => (None, None),
    }
}

/// The EN 16931 model of the invoice under `profile`.
fn model(src: &Source, profile: Profile) -> Result<en16931::Invoice, Refused> {
    let inv = src.invoice;
    let number = inv.number.as_deref().ok_or_else(|| refused("BT-1: the invoice is a draft"))?;
    let issued = inv.issue_date.ok_or_else(|| refused("BT-2: the invoice is a draft"))?;
    let mode =
        TaxMode::from_key(&inv.tax_mode).ok_or_else(|| refused(format!("tax mode {}", inv.tax_mode)))?;
    let cancellation = inv.kind == "cancellation";
    let sign = if cancellation { -1 } else { 1 };
    let type_code = match inv.kind.as_str() {
        "cancellation" => "381",
        "correction" => "384",
        _ => "380",
    };
    if type_code != "380" && src.original.is_none() {
        // § 31 (5) UStDV: a cancellation or correction names the invoice it changes.
        return Err(refused("BG-3: the preceding invoice is missing"));
    }
    let seller_party: Party = serde_json::from_str(&inv.seller).map_err(refused)?;
    if matches!(mode, TaxMode::ReverseCharge) && seller_party.vat_id.trim().is_empty() {
        // § 14a (1) UStG: reverse charge names both VAT IDs.
        return Err(refused("BT-31: reverse charge needs the seller's VAT ID"));
    }
    let buyer_party: Party = serde_json::from_str(&inv.buyer).map_err(refused)?;
    // Reverse charge names both VAT IDs; outside the EU (category O) the rules forbid them.
    let ids = !matches!(mode, TaxMode::NotTaxable);
    let mut seller = party(&seller_party, ids)?;
    if !ids {
        // Without the VAT ID (BR-O-02) the seller is still identified (BR-CO-26): by their VAT ID
        // or tax number as seller identifier (BT-29), which the O rules leave alone.
        let id = [&seller_party.vat_id, &seller_party.tax_number]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty());
        seller.identifiers.extend(id.map(Identifier::new));
    }
    let contact = if seller_party.contact.is_empty() { &seller_party.name } else { &seller_party.contact };
    let given = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    seller = seller.with_contact(Contact {
        name: given(contact),
        phone: given(&src.seller.phone),
        email: given(&seller_party.email),
    });
    let buyer = party(&buyer_party, ids)?;
    let spec = match profile {
        Profile::XRechnung => <XRechnung as ProfileMarker>::PROFILE.specification_id,
        Profile::En16931 => <en16931::En16931 as ProfileMarker>::PROFILE.specification_id,
    };
    let mut b: InvoiceBuilder =
        en16931::Invoice::builder(spec, number, date(issued)?, type_code, inv.currency.as_str())
            .seller(seller)
            .buyer(buyer)
            .buyer_reference(super::einvoice_rules::buyer_reference(&buyer_party))
            // BT-23: the Peppol billing process, which XRechnung asks for (PEPPOL-EN16931-R001).
            .business_process("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
    if cancellation {
        b = b.credit_note();
    }
    // BR-CO-25: an amount due needs a due date or terms. A cancellation is credited to the
    // account, never paid out by a date; a correction its original's payment settles says so.
    let owed = inv.gross_cents - src.prepaid_cents;
    match inv.due_date {
        _ if cancellation => b = b.payment_terms("Der Betrag wird Ihrem Kundenkonto gutgeschrieben."),
        Some(due) if owed > 0 => {
            let terms = match src.direct_debit {
                Some(_) => format!("Wird am {} per SEPA-Lastschrift eingezogen", due.format("%d.%m.%Y")),
                None => format!("Zahlbar bis {}", due.format("%d.%m.%Y")),
            };
            b = b.due_date(date(due)?).payment_terms(terms);
        }
        Some(_) => b = b.payment_terms("Bereits bezahlt."),
        None => {}
    }
    match &src.direct_debit {
        Some(dd) if !cancellation && owed > 0 => {
            let payment =
                PaymentInstructions::sepa_direct_debit(&dd.reference, &dd.creditor_id, Some(&dd.iban));
            b = b.payment(payment);
        }
        _ if !src.seller.iban.trim().is_empty() => {
            let bic = Some(src.seller.bic.trim()).filter(|b| !b.is_empty());
            b = b.payment(PaymentInstructions::sepa_credit_transfer(src.seller.iban.replace(' ', ""), bic));
        }
        _ => {}
    }
    let (from, to) =
        (inv.service_from.unwrap_or(issued), inv.service_to.or(inv.service_from).unwrap_or(issued));
    b = b.delivery(Delivery { date: Some(date(to)?), ..Delivery::default() });
    if from < to {
        b = b.invoicing_period(Period { start: Some(date(from)?), end: Some(date(to)?) });
    }
    if !inv.note.trim().is_empty() {
        b = b.note(inv.note.trim());
    }
    for (i, l) in src.lines.iter().enumerate() {
        let category = l.category.as_str();
        let rate = (category != "O").then(|| percent(l.rate_bp));
        // A price is never negative (BR-27): a discount line is a negative quantity at a
        // positive price, which keeps its net.
        let flip = if l.unit_price_e4 < 0 { -1 } else { 1 };
        let quantity = Quantity::new(Decimal::new(l.quantity_milli * sign * flip, 3));
        let mut line = InvoiceLine::new(
            (i + 1).to_string(),
            &l.description,
            quantity,
            "C62",
            amount(l.net_cents, sign),
            category,
            rate,
        );
        line.price.net_price = en16931::UnitPriceAmount::new(Decimal::new(l.unit_price_e4 * flip, 4));
        if let (Some(start), Some(end)) = (l.service_from, l.service_to) {
            line = line.with_period(Period { start: Some(date(start)?), end: Some(date(end)?) });
        }
        b = b.line(line);
    }
    for g in src.groups {
        let (reason, code) = exemption(&g.category, &mode);
        b = b.vat_breakdown(VatBreakdown {
            taxable_amount: amount(g.net_cents, sign),
            tax_amount: amount(g.tax_cents, sign),
            category: g.category.as_str().into(),
            // XRechnung wants the rate in every group (BR-DE-14), 0 for O as well.
            rate: Some(percent(g.rate_bp)),
            exemption_reason: reason,
            exemption_reason_code: code.map(Into::into),
        });
    }
    let (net, tax, gross) =
        (amount(inv.net_cents, sign), amount(inv.tax_cents, sign), amount(inv.gross_cents, sign));
    b = b.totals(en16931::invoice::DocumentTotals {
        line_total: net,
        taxable_total: net,
        vat_total: Some(tax),
        gross_total: gross,
        paid: (src.prepaid_cents > 0).then(|| amount(src.prepaid_cents, sign)),
        due: amount(inv.gross_cents - src.prepaid_cents, sign),
        ..Default::default()
    });
    let mut built = b.build();
    if let Some((original, day)) = src.original {
        built.preceding_invoices.push(PrecedingInvoice {
            reference: DocumentReference::new(original),
            issue_date: Some(date(day)?),
        });
    }
    Ok(built)
}

/// The invoice as CII XML under `profile`, or the rules it fails.
pub fn cii(src: &Source, profile: Profile) -> Result<String, Refused> {
    let model = model(src, profile)?;
    let findings = |r: en16931::validation::profile::Rejected| {
        let fatal = r.report().findings().iter().filter(|f| f.severity == en16931::Severity::Fatal);
        Refused(fatal.map(|f| f.to_string()).collect())
    };
    let written = match profile {
        Profile::XRechnung => en16931_formats::write(
            &Validated::<XRechnung>::new(model).map_err(findings)?,
            en16931_formats::Syntax::Cii,
        ),
        Profile::En16931 => en16931_formats::write(
            &Validated::<en16931::En16931>::new(model).map_err(findings)?,
            en16931_formats::Syntax::Cii,
        ),
    };
    Ok(written.xml)
}

/// The e-invoice of the final invoice `inv` under `profile`, written from what is stored, or
/// the rules it fails.
pub async fn of_invoice<C: sea_orm::ConnectionTrait>(
    db: &C,
    inv: &invoice::Model,
    profile: Profile,
) -> crate::error::AppResult<Result<String, Refused>> {
    let (lines, groups) = super::stored::parts(db, inv.id).await?;
    let before = super::stored::original_of(db, inv).await?;
    let original = super::stored::reference(before.as_ref());
    let prepaid_cents = super::stored::prepaid(inv, before.as_ref());
    let seller = SellerSettings::load(db).await?;
    let direct_debit = super::sepa::mandates::pre_notified(db, inv.customer_id, &inv.kind, &seller).await?;
    let src = Source {
        invoice: inv,
        lines: &lines,
        groups: &groups,
        original,
        seller: &seller,
        prepaid_cents,
        direct_debit,
    };
    Ok(cii(&src, profile))
}

/// Prove the e-invoice of final invoice `inv` (in the caller's transaction, before it commits):
/// an invoice whose customer gets one is refused, naming the rules, when it would not be valid.
pub async fn prove<C: sea_orm::ConnectionTrait>(db: &C, inv: &invoice::Model) -> crate::error::AppResult<()> {
    let Some(profile) = Profile::of(&inv.einvoice) else { return Ok(()) };
    match of_invoice(db, inv, profile).await? {
        Ok(_) => Ok(()),
        Err(Refused(rules)) => {
            tracing::warn!(invoice = inv.id, ?rules, "e-invoice refused by its rules");
            Err(crate::error::AppError::Validation(vec![
                crate::error::FieldError::new("invoice", "invoices.einvoice_refused")
                    .with("rules", rules.join("; ")),
            ]))
        }
    }
}

/// Whether a Peppol address's scheme is in the EAS code list (BR-CL-25) and its value has the
/// scheme's form where the list says one; an e-mail address always is.
pub fn address_known(address: &super::einvoice_rules::Address) -> bool {
    let (scheme, id) = address.scheme_and_id();
    scheme == "EM" || Identifier::eas(id, scheme).is_ok()
}
