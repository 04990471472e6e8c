//! Invoice number patterns such as `RE-{YYYY}-{00000}`: literal text, the issue year (`{YYYY}`
//! or `{YY}`) and one counter whose width is its number of zeros. A pattern with a year token
//! counts per year; one without counts for ever (its counter is kept under year 0).
use chrono::{Datelike, NaiveDate};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year4,
    Year2,
    Counter(usize),
}

/// A checked pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern(Vec<Part>);

/// Why a pattern is refused (the key of its message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// Needs exactly one counter `{000…}`.
    Counter,
    /// An unknown `{…}` token or an unclosed brace.
    Token,
    /// Longer than 40 characters, or characters other than letters, digits, `-`, `/`, `_`, `.`.
    Text,
}

impl PatternError {
    pub fn key(self) -> &'static str {
        match self {
            PatternError::Counter => "series.pattern_counter",
            PatternError::Token => "series.pattern_token",
            PatternError::Text => "series.pattern_text",
        }
    }
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        if text.is_empty() || text.chars().count() > 40 {
            return Err(PatternError::Text);
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let close = after.find('}').ok_or(PatternError::Token)?;
                let token = &after[..close];
                parts.push(match token {
                    "YYYY" => Part::Year4,
                    "YY" => Part::Year2,
                    t if !t.is_empty() && t.len() <= 12 && t.chars().all(|c| c == '0') => {
                        Part::Counter(t.len())
                    }
                    _ => return Err(PatternError::Token),
                });
                rest = &after[close + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if literal.contains('}')
                    || !literal.chars().all(|c| c.is_ascii_alphanumeric() || "-/_.".contains(c))
                {
                    return Err(PatternError::Text);
                }
                parts.push(Part::Text(literal.to_string()));
                rest = &rest[end..];
            }
        }
        if parts.iter().filter(|p| matches!(p, Part::Counter(_))).count() != 1 {
            return Err(PatternError::Counter);
        }
        Ok(Pattern(parts))
    }

    /// The counter's year for an invoice issued on `date`: its year, or 0 without a year token.
    pub fn counter_year(&self, date: NaiveDate) -> i32 {
        if self.0.iter().any(|p| matches!(p, Part::Year4 | Part::Year2)) { date.year() } else { 0 }
    }

    /// The name of the counter that numbers series `series_id` on `date`.
    pub fn counter_name(&self, series_id: i32, date: NaiveDate) -> String {
        format!("invoice:{series_id}:{}", self.counter_year(date))
    }

    /// The number `n` of an invoice issued on `date`.
    pub fn format(&self, date: NaiveDate, n: i64) -> String {
        self.0
            .iter()
            .map(|part| match part {
                Part::Text(t) => t.clone(),
                Part::Year4 => format!("{:04}", date.year()),
                Part::Year2 => format!("{:02}", date.year().rem_euclid(100)),
                Part::Counter(width) => format!("{n:0width$}"),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn numbers_follow_the_pattern() {
        let p = Pattern::parse("RE-{YYYY}-{00000}").unwrap();
        assert_eq!(p.format(d(2027, 1, 4), 1), "RE-2027-00001");
        assert_eq!(p.format(d(2027, 1, 4), 123_456), "RE-2027-123456", "a counter outgrows its width");
        assert_eq!(p.counter_year(d(2027, 1, 4)), 2027);
        let short = Pattern::parse("{YY}/{000}").unwrap();
        assert_eq!(short.format(d(2030, 5, 1), 7), "30/007");
        let plain = Pattern::parse("ST{0000}").unwrap();
        assert_eq!(plain.format(d(2027, 1, 4), 42), "ST0042");
        assert_eq!(plain.counter_year(d(2027, 1, 4)), 0, "no year token: one counter for ever");
    }

    #[test]
    fn bad_patterns_are_named() {
        assert_eq!(Pattern::parse("RE-{YYYY}"), Err(PatternError::Counter));
        assert_eq!(Pattern::parse("{000}-{000}"), Err(PatternError::Counter));
        assert_eq!(Pattern::parse("RE-{MM}-{000}"), Err(PatternError::Token));
        assert_eq!(Pattern::parse("RE-{000"), Err(PatternError::Token));
        assert_eq!(Pattern::parse("RE {000}"), Err(PatternError::Text));
        assert_eq!(Pattern::parse(""), Err(PatternError::Text));
        assert_eq!(Pattern::parse(&format!("{}{{0}}", "A".repeat(40))), Err(PatternError::Text));
    }
}
