//! Amounts as people type and read them: integer cents inside, "1.250,50" or "1,250.50" at the
//! edges. Shared by every area that takes a price (project fees, TLD prices).

/// "1.250,50" / "1250.5" / "1250" → cents; None for anything else. Empty is handled by callers.
pub fn parse_cents(text: &str) -> Option<i64> {
    let t = text.trim().replace([' ', '€'], "");
    // The last separator followed by one or two digits is the decimal one; others group.
    let (units, cents) = match t.rfind([',', '.']) {
        Some(i) if t.len() - i - 1 <= 2 && t.len() - i > 1 => (&t[..i], &t[i + 1..]),
        _ => (t.as_str(), ""),
    };
    let units: String = units.chars().filter(|c| *c != '.' && *c != ',').collect();
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || !cents.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse::<i64>().ok()?,
    };
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// Cents as the form shows them: "1250,50" / "1250.50".
pub fn cents_text(cents: i64, decimal: char) -> String {
    format!("{}{decimal}{:02}", cents / 100, cents % 100)
}

/// Cents as a German document prints them: "1.234,56 €".
pub fn euros_de(cents: i64) -> String {
    let mut digits = (cents.abs() / 100).to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let rest = digits.split_off(digits.len() - 3);
        grouped = format!(".{rest}{grouped}");
    }
    format!("{}{digits}{grouped},{:02} €", if cents < 0 { "-" } else { "" }, (cents % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::{euros_de, parse_cents};

    #[test]
    fn documents_print_euros_grouped_with_a_decimal_comma() {
        assert_eq!(euros_de(11_900), "119,00 €");
        assert_eq!(euros_de(123_456_789), "1.234.567,89 €");
        assert_eq!(euros_de(5), "0,05 €");
        assert_eq!(euros_de(-4_000), "-40,00 €");
    }

    #[test]
    fn fees_are_read_in_german_and_english_spelling_to_the_cent() {
        assert_eq!(parse_cents("1.250,50"), Some(125_050));
        assert_eq!(parse_cents("1,250.50"), Some(125_050));
        assert_eq!(parse_cents("1250,5"), Some(125_050));
        assert_eq!(parse_cents("1250"), Some(125_000));
        assert_eq!(parse_cents("0,99 €"), Some(99));
        assert_eq!(parse_cents("1.250"), Some(125_000), "a thousands dot with three digits groups");
        for bad in ["", "abc", "-5", "1,2,3x", "12,345,6789x"] {
            assert_eq!(parse_cents(bad), None, "{bad}");
        }
    }
}
