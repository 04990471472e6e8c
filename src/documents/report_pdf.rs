//! The Art. 15 data report as PDF, typeset by Typst with its bundled fonts embedded. The
//! template (`report.typ`) reads everything from a JSON file of strings, so the customer's data
//! is never interpreted as markup.
use crate::i18n::{Locale, has_key, translate, translate_with};
use crate::records::model::{Report, ReportSection, ReportTexts};
use serde_json::{Value, json};
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

const TEMPLATE: &str = include_str!("report.typ");

/// Typst's library and the bundled fonts, loaded once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    let book = FontBook::from_fonts(&fonts);
    Shared { library: LazyHash::new(Library::default()), book: LazyHash::new(book), fonts }
});

/// One document: the template as main file and the data as `/data.json`.
struct ReportWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: chrono::NaiveDate,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.get().vpath().get_without_slash().into()))
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        use chrono::Datelike;
        Datetime::from_ymd(self.today.year(), self.today.month() as u8, self.today.day() as u8)
    }
}

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
    let world = ReportWorld {
        main: Source::new(file_id("/report.typ"), TEMPLATE.to_string()),
        data_id: file_id("/data.json"),
        data: Bytes::new(data(locale, report, texts).to_string().into_bytes()),
        today: chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive(),
    };
    let document = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
}
