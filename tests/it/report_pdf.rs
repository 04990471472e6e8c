//! The Art. 15 report as PDF and ZIP over HTTP on SQLite and PostgreSQL: typeset in the
//! customer's language with the operator's texts and embedded fonts; the ZIP holds the PDF and
//! the JSON of the same snapshot.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::notes::{
    model::{NoteInput, Priority, Visibility},
    service as notes,
};
use clientdesk::customers::service::{Actor, detail, seed::seed_customers, today, update};
use common::server::call;
use serde_json::json;

/// The text of every page, as a PDF reader extracts it.
pub fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("extractable text")
}

/// Whether every font the PDF uses is embedded (a font file stream per font descriptor).
pub fn fonts_embedded(bytes: &[u8]) -> bool {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let descriptors: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|n| n == b"FontDescriptor"))
        .collect();
    !descriptors.is_empty()
        && descriptors
            .iter()
            .all(|d| ["FontFile", "FontFile2", "FontFile3"].iter().any(|k| d.has(k.as_bytes())))
}

async fn the_pdf_report_is_typeset_in_the_customers_language_with_the_operators_texts(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 51).await.unwrap();
    let note = NoteInput {
        title: "Rückruf wegen Rechnung".into(),
        priority: Priority::Low,
        visibility: Visibility::Hidden,
        ..Default::default()
    };
    notes::save(&t.ctx(), 1, 2, &note).await.unwrap();
    let srv = common::server::start(t.db.clone()).await;
    let c = common::server::login(&srv).await;
    let mut texts = call(&c, &srv.base, "report_texts", json!({"language": "de"})).await;
    assert_eq!(texts["texts"].as_array().unwrap().len(), 8, "{texts}");
    texts["texts"][0][1] = json!("Vertragserfüllung und Abrechnung bei Beispiel GmbH.");
    let saved = call(&c, &srv.base, "save_report_texts", json!({"input": texts})).await;
    assert_eq!(saved, json!(null), "{}: {saved}", t.backend);
    let mut empty = texts.clone();
    empty["texts"][3][1] = json!(" ");
    let refused = call(&c, &srv.base, "save_report_texts", json!({"input": empty})).await;
    assert_eq!(refused["Validation"][0]["field"], "storage", "{refused}");
    let mut twice = texts.clone();
    twice["texts"][1][0] = json!("purposes");
    let refused = call(&c, &srv.base, "save_report_texts", json!({"input": twice})).await;
    assert!(
        refused["Validation"].as_array().is_some_and(|e| e.iter().any(|e| e["field"] == "categories")),
        "{refused}"
    );

    let number = detail(&t.db, 2).await.unwrap().number;
    let res = c.post(format!("{}/documents/customers/2/report.pdf", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", t.backend);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(fonts_embedded(&pdf), "{}: every font is embedded", t.backend);
    let text = pdf_text(&pdf);
    for expected in [
        "Auskunft nach Art. 15 DSGVO",
        number.as_str(),
        "Zwecke der Verarbeitung",
        "Beispiel GmbH",
        "Beschwerderecht",
        "Rückruf wegen Rechnung",
    ] {
        assert!(text.contains(expected), "{}: {expected:?} in the PDF text:\n{text}", t.backend);
    }

    // An English-speaking customer gets the report in English.
    let d = detail(&t.db, 3).await.unwrap();
    let mut form = d.form.clone();
    form.language = "en".into();
    update(&t.ctx(), Actor::Staff(1), 3, d.version, &form, today()).await.unwrap();
    let pdf = c.post(format!("{}/documents/customers/3/report.pdf", srv.base)).send().await.unwrap();
    let text = pdf_text(&pdf.bytes().await.unwrap());
    assert!(
        text.contains("Information under Art. 15 GDPR") && text.contains("Right to lodge a complaint"),
        "{text}"
    );

    let res = c.post(format!("{}/documents/customers/2/report.zip", srv.base)).send().await.unwrap();
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"Datenauskunft-{number}.zip\"")
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    names.sort();
    assert_eq!(names, [format!("Datenauskunft-{number}.json"), format!("Datenauskunft-{number}.pdf")]);
    let report: clientdesk::records::model::Report =
        serde_json::from_reader(zip.by_name(&format!("Datenauskunft-{number}.json")).unwrap()).unwrap();
    assert_eq!(report.customer_number, number);
    let kinds: Vec<String> = clientdesk::customers::areas::log::service::for_customer(&t.db, 2, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.payload)
        .collect();
    assert_eq!(kinds[..2], ["zip", "pdf"], "{}: each issue is logged with its format", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(the_pdf_report_is_typeset_in_the_customers_language_with_the_operators_texts);
