//! The Art. 15 data report as PDF, typeset by Typst with its bundled fonts embedded. The
//! template (`report.typ`) reads everything from a JSON file of strings, so the customer's data
//! is never interpreted as markup.
use crate::i18n::{Locale, has_key, translate, translate_with};
use crate::records::model::{Report, ReportSection, ReportTexts};
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("report.typ");

/// A value as the report prints it.
fn cell(locale: Locale, value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::Bool(b) => translate(locale, if *b { "common.yes" } else { "common.no" }),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A column's name as the report prints it: the form's label where the column is a form field.
fn column(locale: Locale, name: &str) -> String {
    let key = format!("field.{name}");
    if has_key(locale, &key) { translate(locale, &key) } else { name.replace('_', " ") }
}

fn section(locale: Locale, s: &ReportSection) -> Value {
    let title = format!("{} · {}", translate(locale, &format!("area.{}", s.area)), s.table);
    let note = if s.withheld.is_empty() {
        String::new()
    } else {
        translate_with(locale, "report.withheld", &[("columns", &s.withheld.join(", "))])
    };
    let rows: Vec<Value> = s
        .rows
        .iter()
        .map(|row| {
            Value::Array(row.iter().map(|(k, v)| json!([column(locale, k), cell(locale, v)])).collect())
        })
        .collect();
    json!({ "title": title, "note": note, "rows": rows })
}

/// The data the template prints, every value a string.
fn data(locale: Locale, report: &Report, texts: &ReportTexts) -> Value {
    let generated = report.generated_at.get(..10).unwrap_or(&report.generated_at);
    let number = report.customer_number.as_str();
    json!({
        "lang": locale.code(),
        "title": translate(locale, "report.title"),
        "subtitle": translate_with(locale, "report.subtitle", &[("number", number), ("date", generated)]),
        "intro": translate(locale, "report.intro"),
        "meta_heading": translate(locale, "report.meta_heading"),
        "meta": texts.texts.iter().map(|(topic, text)| json!({
            "heading": translate(locale, &format!("report.topic.{topic}")),
            "text": text,
        })).collect::<Vec<_>>(),
        "data_heading": translate(locale, "report.data_heading"),
        "sections": report.sections.iter().map(|s| section(locale, s)).collect::<Vec<_>>(),
        "empty": translate(locale, "report.empty"),
        "footer": translate_with(locale, "report.footer", &[("number", number), ("date", generated)]),
    })
}

/// Typeset the report. Errors are Typst's diagnostics, for the log.
pub fn render(locale: Locale, report: &Report, texts: &ReportTexts) -> Result<Vec<u8>, String> {
    let today = crate::clock::business_day();
    super::typst_world::render("report.typ", TEMPLATE, &data(locale, report, texts), today, None)
}
