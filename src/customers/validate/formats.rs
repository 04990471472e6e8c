//! Format rules by country: postcodes and EU VAT identification numbers.
//! Patterns: `9` a digit, `A` a letter, `X` a letter or digit; anything else is literal.

fn matches(pattern: &str, value: &str) -> bool {
    pattern.len() == value.len()
        && pattern.chars().zip(value.chars()).all(|(p, c)| match p {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            'X' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            lit => lit == c,
        })
}

/// Postcode patterns of the countries we know; others only get a length/character check.
fn postcode_patterns(country: &str) -> Option<&'static [&'static str]> {
    Some(match country {
        "DE" | "FR" | "IT" | "ES" | "FI" | "EE" | "HR" => &["99999"],
        "AT" | "CH" | "LI" | "BE" | "LU" | "DK" | "HU" | "BG" | "SI" | "CY" | "NO" => &["9999"],
        "NL" => &["9999 AA", "9999AA"],
        "PL" => &["99-999"],
        "CZ" | "SK" => &["999 99", "99999"],
        "SE" => &["999 99", "99999"],
        "PT" => &["9999-999"],
        "GR" => &["999 99", "99999"],
        "RO" | "BY" => &["999999"],
        _ => return None,
    })
}

/// The example shown in a postcode message, per country.
pub fn postcode_example(country: &str) -> Option<&'static str> {
    postcode_patterns(country).map(|p| p[0])
}

pub fn postcode_valid(country: &str, postcode: &str) -> bool {
    match postcode_patterns(country) {
        Some(patterns) => patterns.iter().any(|p| matches(p, &postcode.to_ascii_uppercase())),
        None => {
            (2..=10).contains(&postcode.len())
                && postcode.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        }
    }
}

/// VAT ID patterns after the two-letter prefix (Greece uses "EL").
fn vat_patterns(prefix: &str) -> Option<&'static [&'static str]> {
    Some(match prefix {
        "AT" => &["U99999999"],
        "BE" => &["9999999999"],
        "BG" => &["999999999", "9999999999"],
        "CY" => &["99999999A"],
        "CZ" => &["99999999", "999999999", "9999999999"],
        "DE" => &["999999999"],
        "DK" => &["99999999"],
        "EE" => &["999999999"],
        "EL" => &["999999999"],
        "ES" => &["X9999999X"],
        "FI" => &["99999999"],
        "FR" => &["XX999999999"],
        "HR" => &["99999999999"],
        "HU" => &["99999999"],
        "IE" => &["9999999A", "9999999AA", "9X99999A"],
        "IT" => &["99999999999"],
        "LT" => &["999999999", "999999999999"],
        "LU" => &["99999999"],
        "LV" => &["99999999999"],
        "MT" => &["99999999"],
        "NL" => &["999999999B99"],
        "PL" => &["9999999999"],
        "PT" => &["999999999"],
        "RO" => &["99", "999", "9999", "99999", "999999", "9999999", "99999999", "999999999", "9999999999"],
        "SE" => &["999999999999"],
        "SI" => &["99999999"],
        "SK" => &["9999999999"],
        "XI" => &["999999999", "999999999999"],
        _ => return None,
    })
}

/// Why a VAT ID is malformed: `None` when it is fine, else the prefix and an example.
pub enum VatProblem {
    UnknownPrefix,
    Format { prefix: String, example: String },
}

/// Check an EU VAT ID (spaces, dots and dashes are ignored). Swiss UIDs (CHE-123.456.789)
/// are accepted too, since many of our customers are in Switzerland.
pub fn vat_id_problem(vat_id: &str) -> Option<VatProblem> {
    let compact: String =
        vat_id.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect::<String>().to_ascii_uppercase();
    if let Some(rest) = compact.strip_prefix("CHE") {
        let rest = rest.trim_end_matches("MWST").trim_end_matches("TVA").trim_end_matches("IVA");
        return if matches("999999999", rest) {
            None
        } else {
            Some(VatProblem::Format { prefix: "CHE".into(), example: "CHE-123.456.789".into() })
        };
    }
    let (prefix, rest) = compact.split_at(compact.len().min(2));
    match vat_patterns(prefix) {
        None => Some(VatProblem::UnknownPrefix),
        Some(patterns) if patterns.iter().any(|p| matches(p, rest)) => None,
        Some(patterns) => Some(VatProblem::Format {
            prefix: prefix.to_string(),
            example: format!("{prefix}{}", patterns[0].replace('9', "1").replace(['A', 'X'], "B")),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes() {
        assert!(postcode_valid("DE", "10117"));
        assert!(!postcode_valid("DE", "1011"));
        assert!(postcode_valid("AT", "1010"));
        assert!(!postcode_valid("AT", "10100"));
        assert!(postcode_valid("CH", "8001"));
        assert!(postcode_valid("NL", "1012 ab"));
        assert!(postcode_valid("US", "94105"));
    }

    #[test]
    fn vat_ids() {
        assert!(vat_id_problem("DE123456789").is_none());
        assert!(vat_id_problem("DE 123 456 789").is_none());
        assert!(matches!(vat_id_problem("DE12345678"), Some(VatProblem::Format { .. })));
        assert!(vat_id_problem("ATU12345678").is_none());
        assert!(vat_id_problem("NL123456789B01").is_none());
        assert!(vat_id_problem("CHE-123.456.789 MWST").is_none());
        assert!(matches!(vat_id_problem("XX123"), Some(VatProblem::UnknownPrefix)));
    }
}
