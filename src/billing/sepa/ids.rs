//! The identifiers a direct debit names: the debtor's IBAN (ISO 13616, by iban_validate), a BIC
//! (ISO 9362 form), the creditor identifier (EPC262-08: country, check digits computed mod 97
//! like an IBAN's over the national part, the business code left out), a mandate reference
//! (1–35 characters of the SEPA set, no spaces).

/// The IBAN in its electronic form (no spaces, upper case), or None.
pub fn iban(text: &str) -> Option<String> {
    let compact: String =
        text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    use iban::IbanLike;
    compact.parse::<iban::Iban>().ok().map(|i| i.electronic_str().to_string())
}

/// A BIC: 4 letters bank, 2 letters country, 2 letters or digits location, optional 3 branch.
pub fn bic(text: &str) -> bool {
    (text.len() == 8 || text.len() == 11)
        && text.chars().take(6).all(|c| c.is_ascii_uppercase())
        && text.chars().skip(6).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Letters as numbers (A = 10 … Z = 35), digits as they are, mod 97, in pieces.
fn mod97(text: &str) -> Option<u32> {
    let mut rest = 0u32;
    for c in text.chars() {
        let value = c.to_digit(36)?;
        for digit in value.to_string().chars() {
            rest = (rest * 10 + digit.to_digit(10)?) % 97;
        }
    }
    Some(rest)
}

/// A creditor identifier such as DE98ZZZ09999999999 (upper-cased, spaces removed), or None.
pub fn creditor_id(text: &str) -> Option<String> {
    let id: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if !(8..=35).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (country, check, national) = (&id[..2], &id[2..4], &id[7..]);
    if !country.chars().all(|c| c.is_ascii_uppercase()) || !check.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = mod97(&format!("{national}{country}00"))?;
    (format!("{:02}", 98 - rest) == check).then_some(id)
}

/// A mandate reference: 1–35 of A–Z a–z 0–9 + ? / - : ( ) . , ' (no spaces).
pub fn mandate_reference(text: &str) -> bool {
    (1..=35).contains(&text.chars().count())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "+?/-:().,'".contains(c))
        // The EPC rulebook: no '/' first or last, never "//".
        && !text.starts_with('/')
        && !text.ends_with('/')
        && !text.contains("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creditor_ids_are_checked_mod_97() {
        // The Bundesbank's test creditor identifier, and one of its published examples.
        assert_eq!(creditor_id("DE98ZZZ09999999999").as_deref(), Some("DE98ZZZ09999999999"));
        assert_eq!(creditor_id("de98 zzz 09999999999").as_deref(), Some("DE98ZZZ09999999999"));
        assert_eq!(creditor_id("DE97ZZZ09999999999"), None, "a wrong check digit");
        assert_eq!(creditor_id("DE98ZZZ0999999999X"), None, "a changed national part");
        // The business code does not count: any three characters.
        assert_eq!(creditor_id("DE98ABC09999999999").as_deref(), Some("DE98ABC09999999999"));
        assert_eq!(creditor_id("DE98"), None);
    }

    #[test]
    fn ibans_bics_and_references() {
        assert_eq!(iban("de02 1203 0000 0000 2020 51").as_deref(), Some("DE02120300000000202051"));
        assert_eq!(iban("DE02120300000000202052"), None);
        assert!(bic("BYLADEM1001") && bic("COBADEFF") && !bic("COBADEF") && !bic("cobadeff"));
        assert!(mandate_reference("MNDT-K10002-1") && !mandate_reference("MNDT 1") && !mandate_reference(""));
        assert!(!mandate_reference(&"A".repeat(36)));
        assert!(!mandate_reference("/M-1") && !mandate_reference("M-1/") && !mandate_reference("M//1"));
    }
}
