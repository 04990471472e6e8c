//! Bank statements in: CAMT.053 and MT940 files read into one kind of line, to be previewed,
//! matched to customers and invoices, and booked once.
pub mod assign;
pub mod booking;
pub mod camt;
pub mod import;
mod lookup;
pub mod matching;
pub mod model;
pub mod mt940;
mod mt940_details;

pub use model::{ParseError, StatementLine};

/// A statement file's text: UTF-8, else Windows-1252 (what German banks write MT940 in).
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Read a statement file in whichever format it is (CAMT.053 XML, else MT940).
pub fn parse(bytes: &[u8]) -> Result<Vec<StatementLine>, ParseError> {
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('<') {
        return camt::parse(text);
    }
    mt940::parse(text)
}
