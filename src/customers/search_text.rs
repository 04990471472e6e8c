//! Folding text for search: lowercase, German umlauts spelled out, other accents dropped.
//! The same folding runs on stored text and on queries, so "Müller", "mueller" and
//! "MÜLLER" meet; a second, plain-vowel spelling is stored too, so "muller" finds it as well.

/// Fold one string: lowercase, ä→ae, ö→oe, ü→ue, ß→ss, accented Latin letters to their base.
pub fn fold(input: &str) -> String {
    fold_with(input, true)
}

fn fold_with(input: &str, spell_umlauts: bool) -> String {
    let mut out = String::with_capacity(input.len() + 4);
    for ch in input.chars() {
        for lower in ch.to_lowercase() {
            match lower {
                'ä' if spell_umlauts => out.push_str("ae"),
                'ö' if spell_umlauts => out.push_str("oe"),
                'ü' if spell_umlauts => out.push_str("ue"),
                'ä' => out.push('a'),
                'ö' => out.push('o'),
                'ü' => out.push('u'),
                'ß' => out.push_str("ss"),
                'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
                'æ' => out.push_str("ae"),
                'ç' | 'ć' | 'č' => out.push('c'),
                'ď' | 'đ' => out.push('d'),
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
                'ğ' => out.push('g'),
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => out.push('i'),
                'ł' | 'ľ' | 'ĺ' => out.push('l'),
                'ñ' | 'ń' | 'ň' => out.push('n'),
                'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => out.push('o'),
                'œ' => out.push_str("oe"),
                'ŕ' | 'ř' => out.push('r'),
                'ś' | 'š' | 'ş' | 'ș' => out.push('s'),
                'ť' | 'ţ' | 'ț' => out.push('t'),
                'ù' | 'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'ų' => out.push('u'),
                'ý' | 'ÿ' => out.push('y'),
                'ź' | 'ż' | 'ž' => out.push('z'),
                c if c.is_whitespace() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// The stored search text: every searchable value folded, plus the plain-vowel spelling of
/// words that carry umlauts.
pub fn build(values: &[&str]) -> String {
    let mut out = String::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        push_word(&mut out, &fold(value));
        if value.chars().any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü')) {
            push_word(&mut out, &fold_with(value, false));
        }
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// Split a query into folded terms; each must occur in the search text.
/// LIKE wildcards typed by the user are taken literally by dropping them.
pub fn query_terms(query: &str) -> Vec<String> {
    fold(query)
        .split_whitespace()
        .map(|t| t.replace(['%', '_', '\\'], ""))
        .filter(|t| !t.is_empty())
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_meet_all_spellings() {
        let text = build(&["Müller", "Jürgen"]);
        for q in ["müller", "MÜLLER", "mueller", "muller", "jürgen", "juergen"] {
            let terms = query_terms(q);
            assert!(terms.iter().all(|t| text.contains(t.as_str())), "{q} not found in {text}");
        }
    }

    #[test]
    fn sharp_s_and_accents() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Éric Čapek"), "eric capek");
    }

    #[test]
    fn wildcards_are_dropped() {
        assert_eq!(query_terms("10% _x"), vec!["10".to_string(), "x".to_string()]);
    }
}
