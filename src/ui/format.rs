//! Formatting for display: dates in the user's language, numbers with German grouping.
use crate::i18n::Locale;

/// "2026-11-27T10:00:00+00:00" → "27.11.2026" (de) or "2026-11-27" (en).
pub fn date(rfc3339: &str, locale: Locale) -> String {
    let day = rfc3339.get(..10).unwrap_or(rfc3339);
    match (locale, day.split('-').collect::<Vec<_>>().as_slice()) {
        (Locale::De, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => day.to_string(),
    }
}

/// "2026-11-27T10:05:00+00:00" → "27.11.2026 10:05" (de) or "2026-11-27 10:05" (en), in UTC
/// (the server renders it, so it must not depend on the browser's zone during hydration).
pub fn date_time(rfc3339: &str, locale: Locale) -> String {
    let time = rfc3339.get(11..16).unwrap_or("");
    format!("{} {time}", date(rfc3339, locale))
}

/// 1234567 → "1.234.567" (de) or "1,234,567" (en).
pub fn count(n: u64, locale: Locale) -> String {
    let sep = if locale == Locale::De { '.' } else { ',' };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Euro cents as people read them: -4200 → "−42,00 €" (de) or "−€42.00" (en), with a real
/// minus sign and grouped thousands.
pub fn cents(value: i64, locale: Locale) -> String {
    let sign = if value < 0 { "\u{2212}" } else { "" };
    let abs = value.unsigned_abs();
    let (whole, part) = (count(abs / 100, locale), abs % 100);
    match locale {
        Locale::De => format!("{sign}{whole},{part:02} €"),
        Locale::En => format!("{sign}€{whole}.{part:02}"),
    }
}

/// Initials for the avatar: "Greta Zuckermann" → "GZ".
pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// Percent-encoding for a query-string value (RFC 3986 unreserved characters stay).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Display name: "First Last", else the company.
pub fn display_name(first: &str, last: &str, company: &str) -> String {
    let person = format!("{} {}", first.trim(), last.trim()).trim().to_string();
    if person.is_empty() { company.trim().to_string() } else { person }
}

/// A file's size for people: bytes in B, KB, MB or GB (1000-based, one decimal), "1,5 MB" (de)
/// or "1.5 MB" (en).
pub fn size(bytes: i64, locale: Locale) -> String {
    let (value, unit) = match bytes {
        b if b < 1_000 => return format!("{b} B"),
        b if b < 1_000_000 => (b as f64 / 1e3, "KB"),
        b if b < 1_000_000_000 => (b as f64 / 1e6, "MB"),
        b => (b as f64 / 1e9, "GB"),
    };
    let text = format!("{value:.1}");
    if locale == Locale::De { format!("{} {unit}", text.replace('.', ",")) } else { format!("{text} {unit}") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cents_read_as_euros() {
        use super::{Locale, cents};
        assert_eq!(cents(-4200, Locale::De), "\u{2212}42,00 €");
        assert_eq!(cents(123_456_789, Locale::De), "1.234.567,89 €");
        assert_eq!(cents(5, Locale::En), "€0.05");
        assert_eq!(cents(-100_000, Locale::En), "\u{2212}€1,000.00");
    }

    use super::*;

    #[test]
    fn formats() {
        assert_eq!(date("2019-03-04T10:00:00Z", Locale::De), "04.03.2019");
        assert_eq!(date_time("2019-03-04T10:05:00+00:00", Locale::De), "04.03.2019 10:05");
        assert_eq!(count(1234567, Locale::De), "1.234.567");
        assert_eq!(count(999, Locale::En), "999");
        assert_eq!(initials("greta zuckermann it"), "GZ");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        use crate::i18n::Locale;
        assert_eq!(super::size(999, Locale::De), "999 B");
        assert_eq!(super::size(1_500, Locale::De), "1,5 KB");
        assert_eq!(super::size(104_857_600, Locale::En), "104.9 MB");
        assert_eq!(super::size(2_000_000_000, Locale::De), "2,0 GB");
    }
}
