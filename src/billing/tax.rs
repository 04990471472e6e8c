//! Tax modes and rate groups. The mode of an invoice follows the operator (Kleinunternehmer,
//! OSS) and the buyer's Daten (taxation, company or person, country, VAT ID); the tax of an
//! invoice is computed once per (category, rate) group from the sum of its lines' nets.
use super::amount::tax_of;
use serde::{Deserialize, Serialize};

/// The member states of the European Union (ISO 3166-1 alpha-2; Greece is GR here, EL only
/// in VAT IDs).
pub const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The operator's home country: invoices are German invoices.
pub const HOME: &str = "DE";

pub fn is_eu(country: &str) -> bool {
    EU.contains(&country)
}

/// How an invoice is taxed. Stored by key on the invoice when it is finalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxMode {
    /// German VAT: the line's class picks 19 %, 7 % or exempt.
    Domestic,
    /// An EU business with a VAT ID: the buyer owes the VAT (§ 13b UStG).
    ReverseCharge,
    /// A business outside the EU, or a consumer outside the EU: not taxable in Germany.
    NotTaxable,
    /// The operator is a Kleinunternehmer (§ 19 UStG): no VAT on any invoice.
    SmallBusiness,
    /// A consumer in another EU country, OSS on: that country's rates.
    Oss(String),
}

impl TaxMode {
    pub fn key(&self) -> String {
        match self {
            TaxMode::Domestic => "domestic".into(),
            TaxMode::ReverseCharge => "reverse_charge".into(),
            TaxMode::NotTaxable => "not_taxable".into(),
            TaxMode::SmallBusiness => "small_business".into(),
            TaxMode::Oss(country) => format!("oss:{country}"),
        }
    }

    pub fn from_key(key: &str) -> Option<TaxMode> {
        Some(match key {
            "domestic" => TaxMode::Domestic,
            "reverse_charge" => TaxMode::ReverseCharge,
            "not_taxable" => TaxMode::NotTaxable,
            "small_business" => TaxMode::SmallBusiness,
            _ => {
                let country = key.strip_prefix("oss:")?;
                if !is_eu(country) || country == HOME {
                    return None;
                }
                TaxMode::Oss(country.to_string())
            }
        })
    }

    /// The category every line of this mode gets, when the mode fixes it (EN 16931 BT-151).
    fn fixed_category(&self) -> Option<Category> {
        match self {
            TaxMode::ReverseCharge => Some(Category::ReverseCharge),
            TaxMode::NotTaxable => Some(Category::NotSubject),
            TaxMode::SmallBusiness => Some(Category::Exempt),
            TaxMode::Domestic | TaxMode::Oss(_) => None,
        }
    }

    /// The key of the note the invoice must carry (§ 14a UStG, § 19 UStG), if any.
    pub fn note_key(&self) -> Option<&'static str> {
        match self {
            TaxMode::ReverseCharge => Some("invoice.note.reverse_charge"),
            TaxMode::NotTaxable => Some("invoice.note.not_taxable"),
            TaxMode::SmallBusiness => Some("invoice.note.small_business"),
            TaxMode::Domestic | TaxMode::Oss(_) => None,
        }
    }

    /// Whether the buyer's and the seller's VAT IDs are printed (reverse charge needs both).
    pub fn needs_vat_ids(&self) -> bool {
        matches!(self, TaxMode::ReverseCharge)
    }
}

crate::choice! {
    /// A line's tax class, chosen on the item; the mode turns it into a category and a rate:
    /// standard 19 % (the country's standard rate under OSS), reduced 7 %, exempt 0 % (§ 4 UStG).
    pub enum TaxClass default Standard { Standard = "standard", Reduced = "reduced", Exempt = "exempt" }
}

/// The VAT category of a line (EN 16931 UNTDID 5305 codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    /// S: standard or reduced rate.
    Standard,
    /// E: exempt (and the Kleinunternehmer's invoices).
    Exempt,
    /// AE: reverse charge.
    ReverseCharge,
    /// O: not subject to VAT here.
    NotSubject,
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Standard => "S",
            Category::Exempt => "E",
            Category::ReverseCharge => "AE",
            Category::NotSubject => "O",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        [Category::Standard, Category::Exempt, Category::ReverseCharge, Category::NotSubject]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// A country's rates in basis points, as the dated rate table gives them for the invoice date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    pub standard_bp: u32,
    pub reduced_bp: u32,
}

/// Germany's rates since 1 January 2021.
pub const GERMANY: Rates = Rates { standard_bp: 1_900, reduced_bp: 700 };

/// What the tax mode of a buyer depends on.
#[derive(Clone, Debug, Default)]
pub struct Buyer<'a> {
    /// The customer's `taxation` (normal, reverse_charge, no_invoicing).
    pub taxation: &'a str,
    pub is_company: bool,
    /// ISO 3166-1 alpha-2 of the invoice address.
    pub country: &'a str,
    pub vat_id: &'a str,
}

/// What the operator's settings say.
#[derive(Clone, Copy, Debug, Default)]
pub struct Seller {
    /// Kleinunternehmer (§ 19 UStG).
    pub small_business: bool,
    /// Above the EU-wide 10,000 € threshold (or opted in): consumers in other EU countries pay
    /// their country's VAT through OSS.
    pub oss: bool,
}

/// The tax mode of an invoice to `buyer`.
pub fn mode_for(seller: Seller, buyer: &Buyer<'_>) -> TaxMode {
    if seller.small_business {
        return TaxMode::SmallBusiness;
    }
    let country = buyer.country.trim().to_ascii_uppercase();
    let country = if country.is_empty() { HOME.to_string() } else { country };
    let has_vat_id = !buyer.vat_id.trim().is_empty();
    if country == HOME {
        return TaxMode::Domestic;
    }
    if is_eu(&country) {
        if has_vat_id && (buyer.is_company || buyer.taxation == "reverse_charge") {
            return TaxMode::ReverseCharge;
        }
        if seller.oss && !buyer.is_company {
            return TaxMode::Oss(country);
        }
        return TaxMode::Domestic;
    }
    TaxMode::NotTaxable
}

/// A line's category and rate under `mode`, with the rates of the mode's country.
pub fn line_tax(mode: &TaxMode, class: TaxClass, rates: Rates) -> (Category, u32) {
    if let Some(category) = mode.fixed_category() {
        return (category, 0);
    }
    match class {
        TaxClass::Standard => (Category::Standard, rates.standard_bp),
        TaxClass::Reduced => (Category::Standard, rates.reduced_bp),
        TaxClass::Exempt => (Category::Exempt, 0),
    }
}

/// One rate group of an invoice: the sum of its lines' nets and the tax on that sum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub category: Category,
    pub rate_bp: u32,
    pub net_cents: i64,
    pub tax_cents: i64,
}

/// The invoice's totals: its groups (ordered by category, then rate descending) and sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    pub groups: Vec<Group>,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub gross_cents: i64,
}

/// Groups lines (category, rate, net) and taxes each group's sum once, half away from zero.
pub fn totals(lines: impl IntoIterator<Item = (Category, u32, i64)>) -> Totals {
    let mut sums: std::collections::BTreeMap<(Category, std::cmp::Reverse<u32>), i64> = Default::default();
    for (category, rate_bp, net) in lines {
        *sums.entry((category, std::cmp::Reverse(rate_bp))).or_default() += net;
    }
    let groups: Vec<Group> = sums
        .into_iter()
        .map(|((category, rate), net_cents)| Group {
            category,
            rate_bp: rate.0,
            net_cents,
            tax_cents: tax_of(net_cents, rate.0),
        })
        .collect();
    let net_cents = groups.iter().map(|g| g.net_cents).sum();
    let tax_cents = groups.iter().map(|g| g.tax_cents).sum();
    Totals { groups, net_cents, tax_cents, gross_cents: net_cents + tax_cents }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::amount::line_net;

    fn buyer<'a>(country: &'a str, company: bool, vat_id: &'a str) -> Buyer<'a> {
        Buyer { taxation: "normal", is_company: company, country, vat_id }
    }

    #[test]
    fn three_lines_of_99_cents_at_19_percent_carry_56_cents() {
        let line = (Category::Standard, 1_900, line_net(1_000, 9_900).unwrap());
        let t = totals([line, line, line]);
        assert_eq!((t.net_cents, t.tax_cents, t.gross_cents), (297, 56, 353));
        assert_eq!(t.groups.len(), 1);
    }

    #[test]
    fn two_rates_make_two_groups_each_rounded_once() {
        // 3 × 0,99 + 4,99 at 19 % and 9,35 at 7 %: 7,96 → 1,51 € and 9,35 → 0,65 €, gross 19,47 €.
        let s = |cents| (Category::Standard, 1_900, cents);
        let t = totals([s(99), s(99), s(99), s(499), (Category::Standard, 700, 935)]);
        assert_eq!(
            t.groups,
            vec![
                Group { category: Category::Standard, rate_bp: 1_900, net_cents: 796, tax_cents: 151 },
                Group { category: Category::Standard, rate_bp: 700, net_cents: 935, tax_cents: 65 },
            ]
        );
        assert_eq!((t.net_cents, t.tax_cents, t.gross_cents), (1_731, 216, 1_947));
    }

    #[test]
    fn a_cancellation_negates_to_the_cent() {
        let t = totals([(Category::Standard, 1_900, -297)]);
        assert_eq!((t.net_cents, t.tax_cents, t.gross_cents), (-297, -56, -353));
    }

    #[test]
    fn the_mode_follows_the_operator_and_the_buyers_data() {
        let normal = Seller::default();
        assert_eq!(mode_for(normal, &buyer("DE", true, "DE123456789")), TaxMode::Domestic);
        assert_eq!(mode_for(normal, &buyer("", false, "")), TaxMode::Domestic, "no country is German");
        assert_eq!(mode_for(normal, &buyer("AT", true, "ATU12345678")), TaxMode::ReverseCharge);
        assert_eq!(
            mode_for(normal, &buyer("AT", true, "")),
            TaxMode::Domestic,
            "an EU business without VAT ID pays German VAT"
        );
        assert_eq!(mode_for(normal, &buyer("US", true, "")), TaxMode::NotTaxable);
        assert_eq!(mode_for(normal, &buyer("CH", false, "")), TaxMode::NotTaxable);
        assert_eq!(mode_for(normal, &buyer("FR", false, "")), TaxMode::Domestic, "below the OSS threshold");
        let oss = Seller { oss: true, ..Seller::default() };
        assert_eq!(mode_for(oss, &buyer("fr", false, "")), TaxMode::Oss("FR".into()));
        assert_eq!(mode_for(oss, &buyer("FR", true, "FR12345678901")), TaxMode::ReverseCharge);
        let explicit = Buyer { taxation: "reverse_charge", ..buyer("NL", false, "NL123456789B01") };
        assert_eq!(mode_for(normal, &explicit), TaxMode::ReverseCharge);
        let small = Seller { small_business: true, oss: true };
        for b in [buyer("DE", false, ""), buyer("AT", true, "ATU1"), buyer("US", true, "")] {
            assert_eq!(mode_for(small, &b), TaxMode::SmallBusiness);
        }
    }

    #[test]
    fn each_mode_gives_its_category_rate_and_note() {
        let france = Rates { standard_bp: 2_000, reduced_bp: 550 };
        assert_eq!(line_tax(&TaxMode::Domestic, TaxClass::Standard, GERMANY), (Category::Standard, 1_900));
        assert_eq!(line_tax(&TaxMode::Domestic, TaxClass::Reduced, GERMANY), (Category::Standard, 700));
        assert_eq!(line_tax(&TaxMode::Domestic, TaxClass::Exempt, GERMANY), (Category::Exempt, 0));
        assert_eq!(
            line_tax(&TaxMode::Oss("FR".into()), TaxClass::Standard, france),
            (Category::Standard, 2_000)
        );
        assert_eq!(
            line_tax(&TaxMode::ReverseCharge, TaxClass::Standard, GERMANY),
            (Category::ReverseCharge, 0)
        );
        assert_eq!(line_tax(&TaxMode::NotTaxable, TaxClass::Reduced, GERMANY), (Category::NotSubject, 0));
        assert_eq!(line_tax(&TaxMode::SmallBusiness, TaxClass::Standard, GERMANY), (Category::Exempt, 0));
        assert_eq!(TaxMode::ReverseCharge.note_key(), Some("invoice.note.reverse_charge"));
        assert!(TaxMode::ReverseCharge.needs_vat_ids());
        assert_eq!(TaxMode::Domestic.note_key(), None);
        for mode in [TaxMode::Domestic, TaxMode::ReverseCharge, TaxMode::NotTaxable, TaxMode::SmallBusiness] {
            assert_eq!(TaxMode::from_key(&mode.key()), Some(mode));
        }
        assert_eq!(TaxMode::from_key("oss:FR"), Some(TaxMode::Oss("FR".into())));
        assert_eq!(TaxMode::from_key("oss:DE"), None);
        assert_eq!(TaxMode::from_key("oss:US"), None);
    }
}
