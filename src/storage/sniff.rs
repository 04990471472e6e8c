//! What a file is, read from its first bytes (never from its name or the browser's word): the
//! kinds a customer file may be, and a refusal for programs and unknown binaries, so an
//! executable renamed `.pdf` is not kept.

/// How many bytes are read before deciding.
pub const SAMPLE: usize = 8 * 1024;

/// Detected kinds that are kept, as `infer` names them.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/vnd.rar",
    "application/x-xz",
    "application/x-bzip2",
    "application/epub+zip",
    "application/rtf",
    // Legacy Office files infer can read in the sample; not its bare "x-ole-storage", which is
    // how it names Windows installers (MSI) too.
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

/// The kind of a file from its first bytes (`sample`, up to `SAMPLE`; `whole` when that is the
/// entire file), or `None` when such a file is not kept.
pub fn sniff(sample: &[u8], whole: bool, name: &str) -> Option<&'static str> {
    let text = is_text(sample, whole);
    if let Some(kind) = infer::get(sample)
        && let Some(allowed) = ALLOWED.iter().find(|allowed| **allowed == kind.mime_type())
    {
        return Some(allowed);
    }
    // infer trusts two-byte signatures (`BM`, `MZ`, `<?xml`): a text that happens to start so
    // is still text (real programs hold NUL bytes). Kept as text/plain, sent as an attachment.
    text.then(|| {
        if name.to_lowercase().ends_with(".csv") {
            "text/csv; charset=utf-8"
        } else {
            "text/plain; charset=utf-8"
        }
    })
}

/// UTF-8 without NUL bytes and not a script (`#!`); a sample cut inside a character is still
/// text. An empty file is text.
fn is_text(sample: &[u8], whole: bool) -> bool {
    if sample.starts_with(b"#!") || sample.contains(&0) {
        return false;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        // Only the last character may be cut off, and only when more bytes follow.
        Err(e) => !whole && e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn documents_and_images_are_kept_under_their_real_kind() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", true, "x.txt"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", true, "bild.pdf"), Some("image/png"));
        assert_eq!(
            sniff(b"Name;Ort\nM\xc3\xbcller;K\xc3\xb6ln\n", true, "liste.csv"),
            Some("text/csv; charset=utf-8")
        );
        assert_eq!(sniff(b"Hallo", true, "notiz"), Some("text/plain; charset=utf-8"));
        assert_eq!(sniff(b"", true, "leer.txt"), Some("text/plain; charset=utf-8"));
        assert_eq!(sniff(b"BMI;Gewicht\n22;70\n", true, "werte.csv"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><Invoice/>", true, "x.xml"),
            Some("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn programs_and_unknown_binaries_are_refused_whatever_their_name() {
        let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
        exe.resize(128, 0);
        assert_eq!(sniff(&exe, true, "rechnung.pdf"), None);
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.resize(64, 0);
        assert_eq!(sniff(&elf, true, "bild.png"), None);
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /\n", true, "liesmich.txt"), None);
        assert_eq!(sniff(b"\x00\x01\x02\x03binary", true, "daten.txt"), None);
        assert_eq!(sniff(b"\xff\xfe\xfd", true, "x.txt"), None);
        // A Windows installer is an OLE container like old Office files: not kept.
        let mut msi = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        msi.resize(512, 0);
        assert_eq!(sniff(&msi, true, "setup.doc"), None);
    }

    #[test]
    fn a_sample_cut_inside_a_character_is_still_text() {
        assert_eq!(
            sniff("Grüße".as_bytes().split_at(3).0, false, "a.txt"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sniff("Grüße".as_bytes().split_at(3).0, true, "a.txt"), None);
    }
}
