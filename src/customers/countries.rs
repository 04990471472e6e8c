//! The countries offered in address forms (ISO 3166-1 alpha-2), with German and English names.
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("DE", "Deutschland", "Germany"),
    ("AT", "Österreich", "Austria"),
    ("CH", "Schweiz", "Switzerland"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LU", "Luxemburg", "Luxembourg"),
    ("BE", "Belgien", "Belgium"),
    ("NL", "Niederlande", "Netherlands"),
    ("FR", "Frankreich", "France"),
    ("IT", "Italien", "Italy"),
    ("ES", "Spanien", "Spain"),
    ("PT", "Portugal", "Portugal"),
    ("DK", "Dänemark", "Denmark"),
    ("SE", "Schweden", "Sweden"),
    ("FI", "Finnland", "Finland"),
    ("NO", "Norwegen", "Norway"),
    ("PL", "Polen", "Poland"),
    ("CZ", "Tschechien", "Czechia"),
    ("SK", "Slowakei", "Slovakia"),
    ("HU", "Ungarn", "Hungary"),
    ("SI", "Slowenien", "Slovenia"),
    ("HR", "Kroatien", "Croatia"),
    ("RO", "Rumänien", "Romania"),
    ("BG", "Bulgarien", "Bulgaria"),
    ("GR", "Griechenland", "Greece"),
    ("CY", "Zypern", "Cyprus"),
    ("MT", "Malta", "Malta"),
    ("IE", "Irland", "Ireland"),
    ("EE", "Estland", "Estonia"),
    ("LV", "Lettland", "Latvia"),
    ("LT", "Litauen", "Lithuania"),
    ("GB", "Vereinigtes Königreich", "United Kingdom"),
    ("US", "Vereinigte Staaten", "United States"),
    ("CA", "Kanada", "Canada"),
    ("TR", "Türkei", "Turkey"),
];

pub fn is_known(code: &str) -> bool {
    COUNTRIES.iter().any(|(c, _, _)| *c == code)
}

pub fn name(code: &str, english: bool) -> &str {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, de, en)| if english { *en } else { *de })
        .unwrap_or(code)
}
