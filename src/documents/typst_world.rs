//! Typesetting with Typst: one template as the main file, its data as `/data.json` (strings
//! only, so nothing a customer typed is ever read as markup), the bundled fonts embedded.
//! Shared by the Art. 15 report and the invoices.
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

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

struct DocWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: chrono::NaiveDate,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

impl World for DocWorld {
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

fn messages<T: std::fmt::Debug>(errors: &[T], message: impl Fn(&T) -> String) -> String {
    errors.iter().map(message).collect::<Vec<_>>().join("; ")
}

/// Typeset `template` (named `name`) with `data` as of `day`. With `fixed`, the PDF carries that
/// day as its creation date and a stable identifier: the same input gives the same bytes
/// (an archived invoice can be rendered again after a crash and is identical).
pub fn render(
    name: &str,
    template: &str,
    data: &serde_json::Value,
    day: chrono::NaiveDate,
    fixed: Option<&str>,
) -> Result<Vec<u8>, String> {
    typeset(name, template, data, day, fixed, false)
}

/// As [`render`] with a fixed identifier, as PDF/A-3b: what a ZUGFeRD invoice is (its
/// template attaches the XML, which only PDF/A-3 allows beside the archival rules).
pub fn render_pdfa3(
    name: &str,
    template: &str,
    data: &serde_json::Value,
    day: chrono::NaiveDate,
    ident: &str,
) -> Result<Vec<u8>, String> {
    typeset(name, template, data, day, Some(ident), true)
}

fn typeset(
    name: &str,
    template: &str,
    data: &serde_json::Value,
    day: chrono::NaiveDate,
    fixed: Option<&str>,
    pdfa3: bool,
) -> Result<Vec<u8>, String> {
    let world = DocWorld {
        main: Source::new(file_id(&format!("/{name}")), template.to_string()),
        data_id: file_id("/data.json"),
        data: Bytes::new(data.to_string().into_bytes()),
        today: day,
    };
    let document = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .map_err(|errors| messages(&errors, |e| e.message.to_string()))?;
    let mut options = typst_pdf::PdfOptions::default();
    if let Some(ident) = fixed {
        use chrono::Datelike;
        options.ident = typst::foundations::Smart::Custom(ident.to_string());
        options.timestamp = Datetime::from_ymd_hms(day.year(), day.month() as u8, day.day() as u8, 0, 0, 0)
            .map(typst_pdf::Timestamp::new_utc);
    }
    if pdfa3 {
        options.standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_3b])
            .map_err(|e| e.message().to_string())?;
    }
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| messages(&errors, |e| e.message.to_string()));
    // Typst memoises every step in process-wide caches; each document's data is new, so its
    // entries never hit again. Without eviction 40,000 invoices filled 23 GB (`make bench`);
    // entries unused over the last ten documents go, the template's and the fonts' stay.
    typst::comemo::evict(10);
    pdf
}
