//! What an e-invoice needs beyond a paper invoice: the kinds a customer may get, the Leitweg-ID
//! (BT-10 of public-sector buyers) with its check digits, the electronic addresses (BT-34,
//! BT-49), and which data are missing before one can be issued. Pure, shared by the Daten form
//! in the browser and the server that refuses to finalise.
use super::seller::{Party, SellerSettings};

/// The e-invoice a customer gets; the UI labels them `choice.einvoice.<value>`.
pub const EINVOICES: &[&str] = &["none", "zugferd", "xrechnung"];

/// ISO/IEC 7064 MOD 97-10 over digits and letters (A = 10 … Z = 35), as the Leitweg-ID and the
/// IBAN use it: the remainder of the number followed by `00`.
fn mod97(text: &str) -> Option<u32> {
    let mut rest = 0u32;
    for c in text.chars() {
        let v = c.to_digit(36)?;
        let digits = if v < 10 { 10 } else { 100 };
        rest = (rest * digits + v) % 97;
    }
    Some(rest * 100 % 97)
}

/// A Leitweg-ID (KoSIT, version 2.0.1): the coarse address of 2 to 12 digits, an optional fine
/// address of up to 30 letters or digits, and two check digits, joined by hyphens, e.g.
/// `04011000-1234512345-06`; the check digits are 98 minus the MOD 97-10 remainder.
pub fn leitweg_valid(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    let (coarse, fine, check) = match parts.as_slice() {
        [coarse, check] => (*coarse, "", *check),
        [coarse, fine, check] => (*coarse, *fine, *check),
        _ => return false,
    };
    let coarse_ok = (2..=12).contains(&coarse.len()) && coarse.chars().all(|c| c.is_ascii_digit());
    let fine_ok = fine.len() <= 30
        && fine.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && (parts.len() == 2 || !fine.is_empty());
    let check_ok = check.len() == 2 && check.chars().all(|c| c.is_ascii_digit());
    if !(coarse_ok && fine_ok && check_ok) {
        return false;
    }
    let given: u32 = check.parse().unwrap_or(0);
    mod97(&format!("{coarse}{fine}")).is_some_and(|rest| 98 - rest == given)
}

/// An electronic address as written in the form: an e-mail address, or a Peppol participant
/// `scheme:id` with a four-digit scheme of the EAS code list (e.g. `0204:991-33333TEST-33`,
/// `9930:DE123456789`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    Email(String),
    Peppol { scheme: String, id: String },
}

impl Address {
    /// The address as `(scheme, id)` for BT-34 / BT-49: `EM` for an e-mail address.
    pub fn scheme_and_id(&self) -> (&str, &str) {
        match self {
            Address::Email(mail) => ("EM", mail),
            Address::Peppol { scheme, id } => (scheme, id),
        }
    }
}

/// Reads an address as written; None when it is neither form (the e-mail's own format is the
/// form's check).
pub fn parse_address(text: &str) -> Option<Address> {
    let text = text.trim();
    if let Some((scheme, id)) = text.split_once(':')
        && scheme.len() == 4
        && scheme.chars().all(|c| c.is_ascii_digit())
    {
        let id = id.trim();
        // A German administration's address (0204) is its Leitweg-ID, check digits and all.
        let ok = !id.is_empty()
            && id.len() <= 100
            && !id.chars().any(char::is_whitespace)
            && (scheme != "0204" || leitweg_valid(&id.to_uppercase()));
        return ok.then(|| Address::Peppol { scheme: scheme.into(), id: id.into() });
    }
    (text.contains('@') && !text.chars().any(char::is_whitespace)).then(|| Address::Email(text.into()))
}

/// A party's electronic address: the one given for e-invoices, else a Leitweg-ID (scheme 0204,
/// the German public administrations' receiving platforms), else the e-mail address.
pub fn electronic_address(p: &Party) -> Option<Address> {
    if !p.einvoice_address.trim().is_empty() {
        return parse_address(&p.einvoice_address);
    }
    if !p.leitweg_id.trim().is_empty() {
        return Some(Address::Peppol { scheme: "0204".into(), id: p.leitweg_id.trim().into() });
    }
    Some(p.email.trim()).filter(|m| !m.is_empty()).map(|m| Address::Email(m.into()))
}

/// BT-10, the buyer reference XRechnung always wants: the Leitweg-ID, else the customer number.
pub fn buyer_reference(buyer: &Party) -> &str {
    let leitweg = buyer.leitweg_id.trim();
    if leitweg.is_empty() { buyer.number.trim() } else { leitweg }
}

/// What an e-invoice is checked for before an invoice is finalised.
pub struct Needs<'a> {
    /// `zugferd` or `xrechnung` (`none` needs nothing).
    pub kind: &'a str,
    pub seller: &'a SellerSettings,
    pub buyer: &'a Party,
    pub public_sector: bool,
    /// Reverse charge: both VAT IDs are named (§ 14a (1) UStG).
    pub reverse_charge: bool,
}

/// The data missing for the e-invoice, as label keys `einvoice.part.*` in form order; empty
/// when it can be issued. XRechnung asks more than EN 16931: the seller's contact with phone
/// and e-mail (BR-DE-2, -6, -7), the seller's and buyer's electronic addresses (BT-34, BT-49),
/// payment instructions (BR-DE-1: the seller's IBAN); a public buyer needs their Leitweg-ID
/// (BT-10) whichever e-invoice they get.
pub fn missing(n: &Needs) -> Vec<&'static str> {
    let mut out = Vec::new();
    if n.kind == "none" {
        return out;
    }
    let xrechnung = n.kind == "xrechnung";
    let (s, b) = (&n.seller.party, n.buyer);
    let blank = |v: &str| v.trim().is_empty();
    if n.reverse_charge && blank(&s.vat_id) {
        out.push("einvoice.part.seller_vat_id");
    }
    if xrechnung {
        if blank(&n.seller.phone) {
            out.push("einvoice.part.seller_phone");
        }
        if blank(&s.email) {
            out.push("einvoice.part.seller_email");
        }
        if electronic_address(s).is_none() && !blank(&s.email) {
            out.push("einvoice.part.seller_address");
        }
        if blank(&n.seller.iban) {
            out.push("einvoice.part.seller_iban");
        }
    }
    for (value, key) in [
        (&b.street, "einvoice.part.buyer_street"),
        (&b.postcode, "einvoice.part.buyer_postcode"),
        (&b.city, "einvoice.part.buyer_city"),
    ] {
        if blank(value) {
            out.push(key);
        }
    }
    if xrechnung && electronic_address(b).is_none() {
        out.push("einvoice.part.buyer_address");
    }
    if n.public_sector && !leitweg_valid(b.leitweg_id.trim()) {
        out.push("einvoice.part.leitweg_id");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leitweg_ids_are_checked_by_their_check_digits() {
        // The examples of the Leitweg-ID standard and XRechnung's test suite.
        for good in ["04011000-1234512345-06", "04011000-12345-03", "991-33333TEST-33", "991-01234-38"] {
            assert!(leitweg_valid(good), "{good}");
        }
        for bad in [
            "04011000-1234512345-07",
            "04011000-1234512345",
            "0-12345-03",
            "04011000-12345abc-03",
            "04011000--03",
            "1234567890123-1-00",
            "",
        ] {
            assert!(!leitweg_valid(bad), "{bad}");
        }
    }

    #[test]
    fn addresses_are_an_email_or_a_peppol_participant() {
        assert_eq!(
            parse_address(" rechnung@example.de "),
            Some(Address::Email("rechnung@example.de".into()))
        );
        assert_eq!(
            parse_address("9930:DE123456789"),
            Some(Address::Peppol { scheme: "9930".into(), id: "DE123456789".into() })
        );
        assert_eq!(parse_address("99:DE1"), None);
        assert_eq!(parse_address("0204:"), None);
        assert_eq!(parse_address("0204:991-33333TEST-34"), None, "a wrong Leitweg-ID");
        assert_eq!(parse_address("no address"), None);
        let mut p = Party { email: "a@example.de".into(), ..Party::default() };
        assert_eq!(electronic_address(&p), Some(Address::Email("a@example.de".into())));
        p.leitweg_id = "991-33333TEST-33".into();
        assert_eq!(electronic_address(&p).unwrap().scheme_and_id(), ("0204", "991-33333TEST-33"));
        p.einvoice_address = "x@example.de".into();
        assert_eq!(electronic_address(&p).unwrap().scheme_and_id(), ("EM", "x@example.de"));
    }

    #[test]
    fn missing_names_what_each_kind_needs() {
        let seller = SellerSettings {
            party: Party { name: "S".into(), email: "s@example.de".into(), ..Party::default() },
            ..SellerSettings::default()
        };
        let buyer = Party { name: "B".into(), number: "K-1".into(), ..Party::default() };
        let needs = |kind, public_sector, reverse_charge| {
            missing(&Needs { kind, seller: &seller, buyer: &buyer, public_sector, reverse_charge })
        };
        assert!(needs("none", true, true).is_empty());
        assert_eq!(
            needs("zugferd", false, true),
            [
                "einvoice.part.seller_vat_id",
                "einvoice.part.buyer_street",
                "einvoice.part.buyer_postcode",
                "einvoice.part.buyer_city"
            ]
        );
        assert_eq!(
            needs("xrechnung", true, false),
            [
                "einvoice.part.seller_phone",
                "einvoice.part.seller_iban",
                "einvoice.part.buyer_street",
                "einvoice.part.buyer_postcode",
                "einvoice.part.buyer_city",
                "einvoice.part.buyer_address",
                "einvoice.part.leitweg_id"
            ]
        );
        assert_eq!(buyer_reference(&buyer), "K-1");
    }
}
