//! Every UI text exists in German and English, and every key the code uses is translated.
use clientdesk::customers::areas::AREAS;
use clientdesk::customers::model::*;
use clientdesk::i18n::{Locale, has_key, keys};

/// The key families ("nav.", "contacts.", ...) as the German locale file has them: a new family
/// is checked from its first key on.
fn prefixes() -> Vec<String> {
    let mut out: Vec<String> = keys(Locale::De)
        .iter()
        .filter_map(|k| k.split_once('.').map(|(family, _)| format!("{family}.")))
        .collect();
    out.dedup();
    out
}

const FILE_EXTENSIONS: &[&str] = &[".typ", ".pdf", ".json", ".zip", ".eml", ".vcf"];

fn literal_keys(source: &str, prefixes: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    // Every second piece between double quotes is a string literal's content.
    for piece in source.split('"').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, p)| p) {
        if prefixes.iter().any(|p| piece.starts_with(p.as_str()))
            && piece.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            && !piece.ends_with('.')
            // File names ("report.typ") share the look of keys.
            && !FILE_EXTENSIONS.iter().any(|ext| piece.ends_with(ext))
        {
            out.push(piece.to_string());
        }
    }
    out
}

fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn both_languages_have_the_same_keys() {
    assert_eq!(keys(Locale::De), keys(Locale::En));
}

#[test]
fn every_literal_key_in_the_code_is_translated() {
    let mut files = Vec::new();
    sources(std::path::Path::new("src"), &mut files);
    let prefixes = prefixes();
    assert!(prefixes.iter().any(|p| p == "contacts.") && prefixes.iter().any(|p| p == "report."));
    let mut missing = Vec::new();
    // Permission keys ("staff.manage") look like translation keys; their labels are checked below.
    for (path, text) in files.iter().filter(|(p, _)| !p.ends_with("auth/permissions.rs")) {
        for key in literal_keys(text, &prefixes) {
            if !has_key(Locale::De, &key) {
                missing.push(format!("{path}: {key}"));
            }
        }
    }
    assert!(missing.is_empty(), "missing translations:\n{}", missing.join("\n"));
}

#[test]
fn every_field_choice_and_area_is_translated() {
    let mut keys: Vec<String> =
        CustomerForm::TEXT_FIELDS.iter().chain(CustomerForm::FLAGS).map(|f| format!("field.{f}")).collect();
    keys.extend(CustomerStatus::ALL.iter().map(|v| format!("choice.status.{v}")));
    keys.extend(CustomerKind::ALL.iter().map(|v| format!("choice.kind.{v}")));
    keys.extend(Salutation::ALL.iter().map(|v| format!("choice.salutation.{v}")));
    for (field, values) in [("language", LANGUAGES), ("taxation", TAXATIONS), ("price_level", PRICE_LEVELS)] {
        keys.extend(values.iter().map(|v| format!("choice.{field}.{v}")));
    }
    keys.extend(AREAS.iter().map(|a| a.label_key.to_string()));
    keys.extend(clientdesk::auth::Permission::ALL.iter().map(|p| p.label_key()));
    keys.extend(
        clientdesk::auth::permissions::BuiltinRole::ALL.iter().map(|r| format!("roles.builtin.{}", r.key())),
    );
    keys.extend(["name", "email", "password"].iter().map(|f| format!("staff.{f}")));
    for template in clientdesk::mail::templates::TEMPLATES {
        keys.extend(["subject", "body"].iter().map(|part| format!("mail.{template}.{part}")));
    }
    keys.extend(["queued", "sending", "sent", "failed"].iter().map(|s| format!("emails.status.{s}")));
    keys.extend(["login", "order", "api"].iter().map(|s| format!("ips.source.{s}")));
    keys.extend(["all", "staff", "customer", "system"].iter().map(|w| format!("history.who.{w}")));
    use clientdesk::customers::areas::notes::model::{Priority, Visibility};
    keys.extend(Priority::ALL.iter().map(|p| format!("notes.priority.{p}")));
    keys.extend(
        clientdesk::customers::areas::registry::timeline_kinds()
            .map(|(_, k)| format!("timeline.kind.{}", k.kind)),
    );
    keys.extend(Visibility::ALL.iter().map(|v| format!("notes.visibility.{v}")));
    keys.extend(clientdesk::events::model::KINDS.iter().map(|k| format!("event.{k}")));
    keys.extend(
        clientdesk::customers::custom_fields::model::KINDS
            .iter()
            .map(|k| format!("settings.fields.kind.{k}")),
    );
    let missing: Vec<&String> = keys.iter().filter(|k| !has_key(Locale::De, k)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}
