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

/// The longest file name kept (in characters).
pub const FILE_NAME_MAX: usize = 200;

/// A file name as the browser sent it, made safe to show and to offer for download: the last
/// path segment only, characters no file system takes or no text field accepts replaced by `_`,
/// no leading or trailing dots and spaces, at most `FILE_NAME_MAX` characters (the extension
/// kept); `datei` when nothing is left. Only ever display data: objects are stored by key.
pub fn file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if is_forbidden(c, Lines::One) || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return "datei".into();
    }
    if trimmed.chars().count() <= FILE_NAME_MAX {
        return trimmed.into();
    }
    let ext = trimmed.rsplit_once('.').map(|(_, e)| e).filter(|e| e.chars().count() <= 10).unwrap_or("");
    let keep = FILE_NAME_MAX - ext.chars().count() - usize::from(!ext.is_empty());
    let stem: String = trimmed.chars().take(keep).collect();
    if ext.is_empty() { stem } else { format!("{}.{ext}", stem.trim_end()) }
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

    #[test]
    fn file_names_keep_only_what_is_safe_to_show() {
        use super::file_name;
        assert_eq!(file_name("../../x<script>.pdf"), "x_script_.pdf");
        assert_eq!(file_name("C:\\Users\\me\\Rechnung März.pdf"), "Rechnung März.pdf");
        assert_eq!(file_name("  ..versteckt.txt. "), "versteckt.txt");
        assert_eq!(file_name("a\u{202E}fdp.exe"), "a_fdp.exe");
        assert_eq!(file_name("..."), "datei");
        let long = format!("{}.pdf", "x".repeat(300));
        assert_eq!(file_name(&long).chars().count(), super::FILE_NAME_MAX);
        assert!(file_name(&long).ends_with("x.pdf"));
    }
}
