//! The `:86:` field of an MT940 entry: the German structured form (GVC, `?xx` subfields, SEPA
//! keywords in the purpose) or free text.
use crate::billing::amount::parse_scaled;

/// DK purpose subfields are 27 characters wide; a full one may break inside a word.
const PURPOSE_WIDTH: usize = 27;

/// The SEPA keywords that open a part of the purpose (DK Anlage 3).
const KEYWORDS: [&str; 15] = [
    "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "COAM+", "OAMT+", "SVWZ+", "ABWA+", "ABWE+", "BREF+",
    "RREF+", "PURP+", "IBAN+", "BIC+",
];

/// What an entry's `:86:` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    /// The Geschäftsvorfallcode (3 digits), when the field is structured.
    pub gvc: Option<String>,
    pub counterparty: String,
    pub counterparty_iban: String,
    pub remittance: String,
    pub end_to_end_id: String,
    pub mandate_id: String,
    /// `?34`, the Textschlüsselergänzung (a return debit's reason), raw.
    pub text_key_extension: String,
    /// `COAM+`: the compensation the other bank charged, in cents.
    pub compensation_cents: Option<i64>,
    /// `OAMT+`: the original amount, in cents.
    pub original_cents: Option<i64>,
}

/// Reads the `:86:` field from its lines (the first without the tag).
pub fn read(lines: &[&str]) -> Details {
    // Lines wrap at 65 characters, even inside a subfield or its `?nn` mark: join them bare.
    let joined = lines.concat();
    let b = joined.as_bytes();
    let structured = b.len() >= 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3] == b'?';
    if !structured {
        return Details { remittance: squeeze(&lines.join(" ")), ..Details::default() };
    }
    let subfields = subfields(&joined[3..]);
    let first = |key: u8| subfields.iter().find(|(k, _)| *k == key).map_or("", |(_, text)| text.trim());

    let (purpose, starts) = join_lines(&texts(&subfields, |k| matches!(k, 20..=29 | 60..=63)));
    let (lead, values) = keyword_values(&purpose, &starts);
    let value = |keyword: &str| values.iter().find(|(k, _)| *k == keyword).map(|(_, v)| *v);
    let remittance = if values.is_empty() {
        squeeze(&purpose)
    } else {
        // The Verwendungszweck; without one, whatever text came before the keywords.
        squeeze(value("SVWZ+").unwrap_or(lead))
    };
    let counterparty = squeeze(&join_lines(&texts(&subfields, |k| matches!(k, 32 | 33))).0);
    let counterparty_iban = iban(first(31)).or_else(|| value("IBAN+").and_then(iban)).unwrap_or_default();

    Details {
        gvc: Some(joined[..3].to_string()),
        counterparty,
        counterparty_iban,
        remittance,
        // "NOTPROVIDED" is the banks' word for none (read so in CAMT too).
        end_to_end_id: value("EREF+").filter(|e| *e != "NOTPROVIDED").unwrap_or("").to_string(),
        mandate_id: value("MREF+").unwrap_or("").to_string(),
        text_key_extension: first(34).to_string(),
        compensation_cents: value("COAM+").and_then(amount_cents),
        original_cents: value("OAMT+").and_then(amount_cents),
    }
}

/// `?20text?21more` → [(20, "text"), (21, "more")]; a `?` without two digits is text.
fn subfields(body: &str) -> Vec<(u8, &str)> {
    let b = body.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let marks: Vec<usize> = (0..b.len()).filter(|&i| b[i] == b'?' && digit(i + 1) && digit(i + 2)).collect();
    marks
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let end = marks.get(n + 1).copied().unwrap_or(b.len());
            ((b[i + 1] - b'0') * 10 + (b[i + 2] - b'0'), &body[i + 3..end])
        })
        .collect()
}

/// The texts of the subfields whose keys `keep` accepts, in their order.
fn texts<'a>(subfields: &[(u8, &'a str)], keep: impl Fn(u8) -> bool) -> Vec<&'a str> {
    subfields.iter().filter(|(key, _)| keep(*key)).map(|(_, text)| *text).collect()
}

/// Purpose subfields joined into one text: a short one ended at a word, so a space follows it; a
/// full one may have cut a word, so nothing does. Also where each subfield starts (byte offsets).
fn join_lines(lines: &[&str]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(lines.len());
    let mut previous_full = true;
    for line in lines {
        if !previous_full && !text.ends_with(char::is_whitespace) && !line.starts_with(char::is_whitespace) {
            text.push(' ');
        }
        starts.push(text.len());
        text.push_str(line);
        previous_full = line.chars().count() >= PURPOSE_WIDTH;
    }
    (text, starts)
}

/// Splits the purpose at its SEPA keywords: the text before the first, and each keyword with its
/// value (trimmed). A keyword counts where a subfield starts (the DK rule) or after a space.
fn keyword_values<'t>(text: &'t str, starts: &[usize]) -> (&'t str, Vec<(&'static str, &'t str)>) {
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    let mut after_space = true;
    for (i, c) in text.char_indices() {
        if (after_space || starts.contains(&i))
            && let Some(keyword) = KEYWORDS.iter().find(|k| text[i..].starts_with(**k))
        {
            found.push((i, *keyword));
        }
        after_space = c.is_whitespace();
    }
    let lead = &text[..found.first().map_or(text.len(), |(i, _)| *i)];
    let values = found
        .iter()
        .enumerate()
        .map(|(n, &(i, keyword))| {
            let end = found.get(n + 1).map_or(text.len(), |(next, _)| *next);
            (keyword, text[i + keyword.len()..end].trim())
        })
        .collect();
    (lead, values)
}

/// An IBAN in electronic form, when the text looks like one (`?31` may hold a plain account number).
fn iban(text: &str) -> Option<String> {
    let compact = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let b = compact.as_bytes();
    let looks = (15..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b.iter().all(u8::is_ascii_alphanumeric);
    looks.then_some(compact)
}

/// "3,00", "3,00 EUR" or "EUR3,00" → 300 cents.
pub(super) fn amount_cents(value: &str) -> Option<i64> {
    let token = value.split_whitespace().next()?.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    parse_scaled(token, 2).filter(|cents| *cents >= 0)
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_purpose_subfield_continues_its_word_a_short_one_ends_it() {
        // "SVWZ+Zahlung zu RE-2026-000" is exactly 27 characters: the number runs on in ?22.
        let d = read(&["166?20EREF+E2E-1?21SVWZ+Zahlung zu RE-2026-000?2231 vielen Dank?23Kd 1001"]);
        assert_eq!(d.gvc.as_deref(), Some("166"));
        assert_eq!(d.end_to_end_id, "E2E-1");
        assert_eq!(d.remittance, "Zahlung zu RE-2026-00031 vielen Dank Kd 1001");
    }

    #[test]
    fn keywords_mid_line_and_without_a_remittance_part() {
        let d = read(&["109?20RUECKLASTSCHRIFT EREF+E2E-7 MREF+M-1?21COAM+1,50 EUR?22OAMT+10,00?34AC04"]);
        assert_eq!(d.remittance, "RUECKLASTSCHRIFT");
        assert_eq!((d.end_to_end_id.as_str(), d.mandate_id.as_str()), ("E2E-7", "M-1"));
        assert_eq!((d.compensation_cents, d.original_cents), (Some(150), Some(1000)));
        assert_eq!(d.text_key_extension, "AC04");
    }

    #[test]
    fn a_plain_account_number_is_no_iban_but_iban_plus_is() {
        let d = read(&["166?20SVWZ+X?2137040044?310532013000?32A"]);
        assert_eq!(d.counterparty_iban, "");
        let d = read(&["166?20SVWZ+X IBAN+de02 1203 0000 0000 2020 51?310532013000"]);
        assert_eq!(d.counterparty_iban, "DE02120300000000202051");
    }

    #[test]
    fn free_text_is_the_remittance() {
        let d = read(&["Miete Dezember  ", "Lager 4"]);
        assert_eq!(d, Details { remittance: "Miete Dezember Lager 4".into(), ..Details::default() });
        assert_eq!(read(&[]), Details::default());
    }
}
