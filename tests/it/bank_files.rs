//! Bank statement files written by libraries that are not ours (PyPI pyiso20022 for CAMT.053
//! .001.02 and .001.08, checked against the official XSDs; mt940-writer for MT940 in
//! Windows-1252, read back by PyPI mt-940): our parser reads every entry as the independent
//! side wrote it (tests/bank/generate.py and its expected.json).
use clientdesk::billing::bank::{StatementLine, parse};
use serde_json::Value;

fn generated() -> (std::path::PathBuf, Value) {
    let dir = std::env::temp_dir().join(format!("clientdesk-bank-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = std::process::Command::new(crate::common::bank_python())
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bank/generate.py"))
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    (dir, expected)
}

fn check(file: &str, lines: &[StatementLine], expected: &[Value]) {
    assert_eq!(lines.len(), expected.len(), "{file}: {lines:#?}");
    for (line, want) in lines.iter().zip(expected) {
        let text = |k: &str| want[k].as_str().unwrap().to_string();
        assert_eq!(line.amount_cents, want["amount_cents"].as_i64().unwrap(), "{file}: {line:?}");
        assert_eq!(line.entry, text("entry"), "{file}: {line:?}");
        assert!(line.remittance.contains(&text("remittance_contains")), "{file}: {line:?}");
        // "NOTPROVIDED" is the banks' word for no reference: read as none.
        let e2e = text("end_to_end_id").replace("NOTPROVIDED", "");
        assert_eq!(line.end_to_end_id, e2e, "{file}: {line:?}");
        assert_eq!(line.mandate_id, text("mandate_id"), "{file}: {line:?}");
        assert_eq!(line.is_return, want["is_return"].as_bool().unwrap(), "{file}: {line:?}");
        assert_eq!(line.return_reason, text("return_reason"), "{file}: {line:?}");
        assert_eq!(line.charges_cents, want["charges_cents"].as_i64().unwrap(), "{file}: {line:?}");
        assert_eq!(line.currency, "EUR", "{file}");
    }
}

#[test]
fn statements_written_by_independent_libraries_are_read_entry_by_entry() {
    let (dir, expected) = generated();
    for file in ["camt053_v02.xml", "camt053_v08.xml", "statement.sta"] {
        let lines = parse(&std::fs::read(dir.join(file)).unwrap()).unwrap_or_else(|e| panic!("{file}: {e}"));
        check(file, &lines, expected[file].as_array().unwrap());
        // Every line names the statement's account and the statement; entries are unique in it.
        assert!(lines.iter().all(|l| !l.account.is_empty() && !l.statement.is_empty()), "{file}");
        let mut keys: Vec<_> = lines.iter().map(|l| (&l.statement, &l.entry)).collect();
        keys.dedup();
        assert_eq!(keys.len(), lines.len(), "{file}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
