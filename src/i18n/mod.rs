//! UI language: German (default) and English. Texts live in `locales/*.json`, flat keys,
//! compiled into the server and, one chunk per locale, into the WASM bundle.
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

/// The texts of a locale as JSON (the server and the tests hold both).
#[cfg(not(feature = "hydrate"))]
fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::De => include_str!("../../locales/de.json"),
        Locale::En => include_str!("../../locales/en.json"),
    }
}

fn parse(src: &str) -> HashMap<String, String> {
    serde_json::from_str(src).expect("locale file is valid JSON")
}

static DE: OnceLock<HashMap<String, String>> = OnceLock::new();
static EN: OnceLock<HashMap<String, String>> = OnceLock::new();

fn cell(locale: Locale) -> &'static OnceLock<HashMap<String, String>> {
    match locale {
        Locale::De => &DE,
        Locale::En => &EN,
    }
}

#[cfg(not(feature = "hydrate"))]
fn table(locale: Locale) -> &'static HashMap<String, String> {
    cell(locale).get_or_init(|| parse(source(locale)))
}

/// In the browser only the page's locale is there: each locale's texts are a chunk of their
/// own, loaded by `load` before hydration (a key of another locale shows itself).
#[cfg(feature = "hydrate")]
fn table(locale: Locale) -> &'static HashMap<String, String> {
    static EMPTY: OnceLock<HashMap<String, String>> = OnceLock::new();
    cell(locale).get().unwrap_or_else(|| EMPTY.get_or_init(HashMap::new))
}

#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn german() -> &'static str {
    include_str!("../../locales/de.json")
}

#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn english() -> &'static str {
    include_str!("../../locales/en.json")
}

/// Fetch and read the texts of `locale` (the browser, before hydration).
#[cfg(feature = "hydrate")]
pub async fn load(locale: Locale) {
    let src = match locale {
        Locale::De => german().await,
        Locale::En => english().await,
    };
    let _ = cell(locale).set(parse(src));
}

/// Translate `key`; a missing key shows itself (and a test keeps that from happening).
pub fn translate(locale: Locale, key: &str) -> String {
    table(locale).get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// Translate and fill `{name}` placeholders. A value `keys:a,b` is a list of keys, each
/// translated, joined by commas (e.g. the fields a message names).
pub fn translate_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = translate(locale, key);
    for (name, value) in args {
        let value = match value.strip_prefix("keys:") {
            Some(keys) => keys.split(',').map(|k| translate(locale, k.trim())).collect::<Vec<_>>().join(", "),
            None => value.to_string(),
        };
        text = text.replace(&format!("{{{name}}}"), &value);
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
