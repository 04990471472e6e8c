//! Domain names as people type them and registries take them. `MÜLLER.de`, `müller.de.` and
//! `xn--mller-kva.de` are one name: stored and compared as the A-label (lower case, UTS 46),
//! shown in Unicode. Which part is the TLD decides our own price list (the longest suffix we
//! sell); the public suffix list only checks that a TLD entered there is a real one.

/// A domain name in both spellings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainName {
    /// The A-label form: what is stored, searched and sent to registries.
    pub ace: String,
    /// The Unicode form, for display.
    pub unicode: String,
}

/// Why a name is not a domain name; each is a message key `domain.name_<word>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("empty")]
    Empty,
    /// Characters or hyphens IDNA does not allow, or a label over 63 characters.
    #[error("invalid")]
    Invalid,
    /// Longer than 253 characters as an A-label.
    #[error("too long")]
    TooLong,
    /// A single label: no TLD.
    #[error("no tld")]
    NoTld,
}

impl NameError {
    pub fn message_key(self) -> &'static str {
        match self {
            NameError::Empty => "validation.required",
            NameError::Invalid => "domain.name_invalid",
            NameError::TooLong => "domain.name_too_long",
            NameError::NoTld => "domain.name_no_tld",
        }
    }
}

impl DomainName {
    /// Read a name as typed: surrounding blanks and one trailing dot go; case and Unicode
    /// spellings map to one A-label (UTS 46, STD3 rules, DNS lengths).
    pub fn parse(input: &str) -> Result<DomainName, NameError> {
        let name = read(input)?;
        if !name.ace.contains('.') {
            return Err(NameError::NoTld);
        }
        Ok(name)
    }

    /// A TLD as typed into the price list (`.DE`, `co.uk`, `рф`): one label or more, without
    /// the leading dot.
    pub fn parse_tld(input: &str) -> Result<DomainName, NameError> {
        read(input.trim().trim_start_matches('.'))
    }

    /// The TLD this name is sold under: the longest of `tlds` (A-labels without a leading dot)
    /// that the name ends in, with at least one label before it.
    pub fn tld_in<'a>(&self, tlds: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
        tlds.into_iter()
            .filter(|tld| {
                self.ace.strip_suffix(*tld).is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
            })
            .max_by_key(|tld| tld.len())
    }

    /// Whether the name is one label directly under `tld` (`kunde.co.uk` under `co.uk`), as a
    /// registry sells it; `www.kunde.de` is not.
    pub fn registrable_under(&self, tld: &str) -> bool {
        self.ace
            .strip_suffix(tld)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.'))
    }
}

fn read(input: &str) -> Result<DomainName, NameError> {
    let text = input.trim();
    let text = text.strip_suffix('.').unwrap_or(text);
    if text.is_empty() {
        return Err(NameError::Empty);
    }
    // UTS 46 with STD3 rules; lengths are checked below, so too long is told apart.
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    let ace = Uts46::new()
        .to_ascii(text.as_bytes(), AsciiDenyList::STD3, Hyphens::Check, DnsLength::Ignore)
        .map_err(|_| NameError::Invalid)?
        .into_owned();
    if ace.len() > 253 {
        return Err(NameError::TooLong);
    }
    // UTS 46 lets through what DNS hosts do not take (an empty label, `_`).
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !ace.split('.').all(label_ok) {
        return Err(NameError::Invalid);
    }
    let (unicode, shown) = idna::domain_to_unicode(&ace);
    // An A-label that does not decode is kept as typed (it is what the registry has).
    let unicode = if shown.is_ok() { unicode } else { ace.clone() };
    Ok(DomainName { ace, unicode })
}

/// Whether `tld` (an A-label without a leading dot) is a public suffix of the ICANN section
/// of the public suffix list: what may go into the TLD price list. `blogspot.com` (a private
/// suffix) and `example` are not.
pub fn is_icann_suffix(tld: &str) -> bool {
    psl::suffix(tld.as_bytes())
        .is_some_and(|s| s.as_bytes() == tld.as_bytes() && s.typ() == Some(psl::Type::Icann))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_unicode_and_the_a_label_are_one_name() {
        let spellings =
            ["MÜLLER.de", "müller.de", "müller.de.", "  Müller.DE ", "xn--mller-kva.de", "XN--MLLER-KVA.DE"];
        for s in spellings {
            let name = DomainName::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(name.ace, "xn--mller-kva.de", "{s}");
            assert_eq!(name.unicode, "müller.de", "{s}");
        }
        // The round trip: the Unicode form reads back to the same A-label.
        let name = DomainName::parse("bücher-straße.example").unwrap();
        assert_eq!(DomainName::parse(&name.unicode).unwrap().ace, name.ace);
        assert_eq!(
            DomainName::parse("Kunde.de").unwrap(),
            DomainName { ace: "kunde.de".into(), unicode: "kunde.de".into() }
        );
    }

    #[test]
    fn what_is_not_a_domain_name_is_named() {
        assert_eq!(DomainName::parse(" "), Err(NameError::Empty));
        assert_eq!(DomainName::parse("localhost"), Err(NameError::NoTld));
        for wrong in ["-kunde.de", "kunde-.de", "ku nde.de", "kunde..de", "ku_nde.de", "kunde.de/x", "a@b.de"]
        {
            assert_eq!(DomainName::parse(wrong), Err(NameError::Invalid), "{wrong}");
        }
        let long_label = format!("{}.de", "a".repeat(64));
        assert_eq!(DomainName::parse(&long_label), Err(NameError::Invalid));
        let long_name = format!("{}de", "abcdefghi.".repeat(26));
        assert_eq!(DomainName::parse(&long_name), Err(NameError::TooLong));
    }

    #[test]
    fn the_tld_is_the_longest_suffix_we_sell() {
        let tlds = ["uk", "co.uk", "de", "com"];
        let name = DomainName::parse("example.co.uk").unwrap();
        assert_eq!(name.tld_in(tlds), Some("co.uk"));
        assert!(name.registrable_under("co.uk") && !name.registrable_under("uk"));
        assert_eq!(DomainName::parse("kunde.de").unwrap().tld_in(tlds), Some("de"));
        // A suffix must end at a label boundary: `xde` is not under `de`.
        assert_eq!(DomainName::parse("kunde.xde").unwrap().tld_in(tlds), None);
        assert_eq!(DomainName::parse("kunde.at").unwrap().tld_in(tlds), None);
        assert!(!DomainName::parse("www.kunde.de").unwrap().registrable_under("de"));
    }

    #[test]
    fn a_tld_is_read_with_or_without_its_dot() {
        assert_eq!(DomainName::parse_tld(".DE").unwrap().ace, "de");
        assert_eq!(DomainName::parse_tld("Co.UK").unwrap().ace, "co.uk");
        let rf = DomainName::parse_tld("рф").unwrap();
        assert_eq!((rf.ace.as_str(), rf.unicode.as_str()), ("xn--p1ai", "рф"));
        assert_eq!(DomainName::parse_tld(" . "), Err(NameError::Empty));
    }

    #[test]
    fn only_icann_suffixes_go_into_the_price_list() {
        for tld in ["de", "com", "co.uk", "xn--p1ai"] {
            assert!(is_icann_suffix(tld), "{tld}");
        }
        for not in ["blogspot.com", "example", "kunde.de", "uk.com"] {
            assert!(!is_icann_suffix(not), "{not}");
        }
    }
}
