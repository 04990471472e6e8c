//! Rules every free-text field follows: a maximum length, and no characters that are not
//! text. Refused: C0 and C1 control characters (NUL among them; CR, LF and TAB only in
//! multi-line fields), DEL, and the bidirectional overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069) that make text read differently from how it is stored.
use crate::error::FieldError;

/// Whether a field holds one line or several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// A character no text field accepts (`lines` says whether line breaks and tabs are text).
pub fn is_forbidden(c: char, lines: Lines) -> bool {
    match c {
        '\n' | '\r' | '\t' => lines == Lines::One,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        c => c.is_control(),
    }
}

/// Push the field's problem, if any: too long (counted in characters) or a forbidden character.
pub fn check(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize, lines: Lines) {
    if value.chars().any(|c| is_forbidden(c, lines)) {
        let key = if lines == Lines::One && value.contains(['\n', '\r']) {
            "validation.line_break"
        } else {
            "validation.control_chars"
        };
        errors.push(FieldError::new(field, key));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, "validation.too_long").with("max", max.to_string()));
    }
}

/// As `check`, for a single field: its error, if any.
pub fn problem(field: &str, value: &str, max: usize, lines: Lines) -> Option<FieldError> {
    let mut errors = Vec::new();
    check(&mut errors, field, value, max, lines);
    errors.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_overlong_text_are_refused() {
        assert_eq!(problem("x", "Müller & Söhne", 200, Lines::One), None);
        assert_eq!(problem("x", "Zeile 1\nZeile 2\tmit Tab", 200, Lines::Many), None);
        let key = |v: &str, lines| problem("x", v, 10, lines).map(|e| e.key);
        assert_eq!(key("a\0b", Lines::Many).as_deref(), Some("validation.control_chars"));
        assert_eq!(key("a\nb", Lines::One).as_deref(), Some("validation.line_break"));
        assert_eq!(key("a\r\nb", Lines::One).as_deref(), Some("validation.line_break"));
        assert_eq!(key("evil\u{202E}txt.exe", Lines::Many).as_deref(), Some("validation.control_chars"));
        assert_eq!(key("\u{2066}x", Lines::One).as_deref(), Some("validation.control_chars"));
        assert_eq!(key("\u{7f}", Lines::One).as_deref(), Some("validation.control_chars"));
        assert_eq!(key("\u{85}", Lines::Many).as_deref(), Some("validation.control_chars"));
        assert_eq!(key("0123456789", Lines::One), None, "10 characters of 10");
        assert_eq!(key("01234567890", Lines::One).as_deref(), Some("validation.too_long"));
        assert_eq!(key("ääääääääää", Lines::One), None, "counted in characters, not bytes");
    }
}
