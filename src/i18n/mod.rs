//! UI language: German (default) and English. Texts live in `locales/*.json`, flat keys,
//! compiled into both the server and the WASM bundle.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    De,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::De, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::De => "de",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().get(..2).map(|c| c.to_ascii_lowercase()).as_deref() {
            Some("de") => Some(Locale::De),
            Some("en") => Some(Locale::En),
            _ => None,
        }
    }

    /// The first supported language of an Accept-Language header, else German.
    pub fn from_accept_language(header: &str) -> Locale {
        header
            .split(',')
            .filter_map(|part| Locale::from_code(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or_default()
    }
}

pub const DE_JSON: &str = include_str!("../../locales/de.json");
pub const EN_JSON: &str = include_str!("../../locales/en.json");

fn table(locale: Locale) -> &'static HashMap<String, String> {
    static DE: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, src) = match locale {
        Locale::De => (&DE, DE_JSON),
        Locale::En => (&EN, EN_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(src).expect("locale file is valid JSON"))
}

/// Translate `key`; a missing key shows itself (and a test keeps that from happening).
pub fn translate(locale: Locale, key: &str) -> String {
    table(locale).get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// Translate and fill `{name}` placeholders.
pub fn translate_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = translate(locale, key);
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

pub fn has_key(locale: Locale, key: &str) -> bool {
    table(locale).contains_key(key)
}

pub fn keys(locale: Locale) -> Vec<String> {
    let mut keys: Vec<String> = table(locale).keys().cloned().collect();
    keys.sort();
    keys
}

/// The locale of the current page, provided by `<App/>`.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Translate in the current page's locale.
pub fn t(key: &str) -> String {
    translate(use_locale(), key)
}
