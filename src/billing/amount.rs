//! Amounts: cents (`i64`) for every sum, unit prices at scale 4 (1,9900 € = 19_900), quantities
//! at scale 3 (1,5 h = 1_500). Products are computed in `i128` and rounded once, half away from
//! zero, to the cent.

/// Unit prices carry four decimals.
pub const PRICE_SCALE: i64 = 10_000;
/// Quantities carry three decimals.
pub const QUANTITY_SCALE: i64 = 1_000;

/// `value / divisor` rounded half away from zero (divisor > 0).
pub fn div_round(value: i128, divisor: i128) -> i128 {
    debug_assert!(divisor > 0);
    let half = divisor / 2;
    if value >= 0 { (value + half) / divisor } else { (value - half) / divisor }
}

/// A line's net in cents: round(quantity × unit price) once. None when it does not fit.
pub fn line_net(quantity_milli: i64, unit_price_e4: i64) -> Option<i64> {
    // milli × e4 has scale 7; cents have scale 2.
    let product = quantity_milli as i128 * unit_price_e4 as i128;
    let scale = (QUANTITY_SCALE * PRICE_SCALE / 100) as i128;
    i64::try_from(div_round(product, scale)).ok()
}

/// The tax of a net sum at a rate in basis points (19 % = 1_900), rounded once.
pub fn tax_of(net_cents: i64, rate_bp: u32) -> i64 {
    div_round(net_cents as i128 * rate_bp as i128, 10_000) as i64
}

/// "19,9" / "0,5" / "3" (at most four decimals) → unit price at scale 4; None for anything else.
/// A leading minus is allowed (credit lines).
pub fn parse_scaled(text: &str, decimals: u32) -> Option<i64> {
    let t = text.trim().replace([' ', '€'], "");
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    // One decimal separator at most; thousands separators are not accepted here (a price
    // of "1.250" would be ambiguous between 1250 and 1,25).
    let (units, fraction) = match t.find([',', '.']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if units.is_empty() || !digits(units) || !digits(fraction) || fraction.len() > decimals as usize {
        return None;
    }
    let scale = 10i64.pow(decimals);
    let frac = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<i64>().ok()? * 10i64.pow(decimals - fraction.len() as u32)
    };
    let value = units.parse::<i64>().ok()?.checked_mul(scale)?.checked_add(frac)?;
    Some(if negative { -value } else { value })
}

/// A scaled value as the form shows it, with at least `min` and at most `decimals` decimals:
/// (19_900, 4, 2) → "1,99"; (12_345, 4, 2) → "1,2345".
pub fn scaled_text(value: i64, decimals: u32, min: usize, decimal: char) -> String {
    let scale = 10i64.pow(decimals);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let units = abs / scale as u64;
    let mut fraction = format!("{:0width$}", abs % scale as u64, width = decimals as usize);
    while fraction.len() > min && fraction.ends_with('0') {
        fraction.pop();
    }
    if fraction.is_empty() { format!("{sign}{units}") } else { format!("{sign}{units}{decimal}{fraction}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_net_is_rounded_once_half_away_from_zero() {
        // 3 × 0,99 € = 2,97 €.
        assert_eq!(line_net(3_000, 9_900), Some(297));
        // 1,5 h × 33,3333 € = 49,99995 € → 50,00 €.
        assert_eq!(line_net(1_500, 333_333), Some(5_000));
        // 0,333 × 0,015 € = 0,004995 € → 0,00 €; 1 × 0,005 € → 0,01 € (half away from zero).
        assert_eq!(line_net(333, 150), Some(0));
        assert_eq!(line_net(1_000, 50), Some(1));
        assert_eq!(line_net(1_000, -50), Some(-1), "negative halves round away from zero too");
        assert_eq!(line_net(-3_000, 9_900), Some(-297));
        assert_eq!(line_net(i64::MAX, i64::MAX), None);
    }

    #[test]
    fn tax_is_rounded_half_away_from_zero() {
        // 2,97 € at 19 % = 0,5643 € → 0,56 € (three lines of 0,99 €, taxed once).
        assert_eq!(tax_of(297, 1_900), 56);
        // Three times the per-line tax would be 3 × 0,19 = 0,57 €: that is what we never do.
        assert_eq!(3 * tax_of(99, 1_900), 57);
        // 0,50 € at 7 % = 0,035 € → 0,04 €; −0,50 € → −0,04 €.
        assert_eq!(tax_of(50, 700), 4);
        assert_eq!(tax_of(-50, 700), -4);
        // 9,35 € at 7 % = 0,6545 € → 0,65 €.
        assert_eq!(tax_of(935, 700), 65);
    }

    #[test]
    fn unit_prices_and_quantities_are_read_with_their_decimals() {
        assert_eq!(parse_scaled("1,99", 4), Some(19_900));
        assert_eq!(parse_scaled("1.2345", 4), Some(12_345));
        assert_eq!(parse_scaled("12", 4), Some(120_000));
        assert_eq!(parse_scaled("-5,5", 4), Some(-55_000));
        assert_eq!(parse_scaled("1,5", 3), Some(1_500));
        for bad in ["", "1,23456", "1.250,00", "abc", "--1", ",5"] {
            assert_eq!(parse_scaled(bad, 4), None, "{bad}");
        }
        assert_eq!(scaled_text(19_900, 4, 2, ','), "1,99");
        assert_eq!(scaled_text(12_345, 4, 2, ','), "1,2345");
        assert_eq!(scaled_text(-55_000, 4, 2, '.'), "-5.50");
        assert_eq!(scaled_text(1_500, 3, 0, ','), "1,5");
        assert_eq!(scaled_text(2_000, 3, 0, ','), "2");
    }
}
