//! The correction invoice (type 384) on SQLite and PostgreSQL: "Rechnung korrigieren" makes a
//! draft with the original's lines; finalised, it names the original (BG-3, and on the PDF),
//! the original is `corrected` and its charge credited back, what was paid on it pays the
//! correction; its XRechnung passes the official rules; an original cancelled meanwhile is not
//! corrected.
use crate::common::{self, TestDb, fields_of};
use crate::einvoice::validate;
use crate::invoices::{line, seller, sql};
use clientdesk::billing::account::figures;
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::correction::start;
use clientdesk::billing::drafts::{draft_input, save_draft};
use clientdesk::billing::invoices::{finalise, find};
use clientdesk::billing::ledger::{Payment, book_payment, reverse};
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::parties::{Party, SellerSettings};
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::documents::invoice_archive::{archive_pending, archived, archived_xml};
use clientdesk::events::actor::Actor;
use clientdesk::storage::Store;

const STAFF: Actor = Actor::Staff(1);

async fn a_correction_replaces_the_original_and_names_it(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 41).await.unwrap();
    sql(
        &t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'company', \
         company = 'Stadt Musterhausen', taxation = 'normal', street = 'Rathausplatz', house_number = '1', \
         postcode = '20095', city = 'Hamburg', language = 'de', einvoice = 'xrechnung', public_sector = true, \
         leitweg_id = '991-33333TEST-33'",
    )
    .await;
    SellerSettings {
        phone: "+49 40 123456".into(),
        iban: "DE02 1203 0000 0000 2020 51".into(),
        party: Party { email: "rechnung@hostwerk.example".into(), ..seller().party },
        ..seller()
    }
    .save(&t.db)
    .await
    .unwrap();
    let ctx = t.ctx();
    // 3 × 0,99 € at 19 % and 9,35 € at 7 %: 12,32 € net, 0,56 € + 0,65 € VAT, 13,53 € gross.
    let lines = vec![
        line("Webhosting S", "3", "0,99", TaxClass::Standard),
        line("Fachbuch Hosting", "1", "9,35", TaxClass::Reduced),
    ];
    let id = save_draft(&ctx, STAFF, 1, &DraftInput { lines, ..DraftInput::default() }).await.unwrap();
    let original = finalise(&ctx, STAFF, 1, id).await.unwrap();
    assert_eq!(original.gross_cents, 1_353, "{}", t.backend);
    // Paid in full; then it turns out two months were billed, not three.
    let payment = Payment {
        amount_cents: 1_353,
        fee_cents: 0,
        method: "transfer".into(),
        booked_on: clientdesk::customers::service::business_day().to_string(),
        reference: "SEPA-1".into(),
        invoices: vec![id],
        idempotency_key: String::new(),
    };
    let paid = book_payment(&ctx, STAFF, 1, &payment).await.unwrap();
    assert_eq!(find(&t.db, 1, id).await.unwrap().state, "paid");

    let draft = start(&ctx, STAFF, 1, id).await.unwrap();
    assert_eq!(start(&ctx, STAFF, 1, id).await.unwrap(), draft, "{}: the draft begun already", t.backend);
    let d = find(&t.db, 1, draft).await.unwrap();
    assert_eq!((d.kind.as_str(), d.corrects_id, d.number.as_deref()), ("correction", Some(id), None));
    let mut input = draft_input(&t.db, 1, draft).await.unwrap();
    assert_eq!(input.lines.len(), 2, "the original's lines");
    input.lines[0].quantity = "2".into();
    save_draft(&ctx, STAFF, 1, &input).await.unwrap();
    let corrected = finalise(&ctx, STAFF, 1, draft).await.unwrap();
    // 2 × 0,99 € at 19 % and 9,35 € at 7 %: 11,33 € net, 0,38 € + 0,65 € VAT, 12,36 € gross,
    // paid from the 13,53 € the original was paid: 1,17 € credit left.
    assert_eq!((corrected.gross_cents, corrected.paid_from_credit), (1_236, 1_236), "{}", t.backend);
    let before = find(&t.db, 1, id).await.unwrap();
    assert_eq!(before.state, "corrected");
    assert_eq!(find(&t.db, 1, draft).await.unwrap().state, "paid");
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.balance, f.open_count, f.open_cents, f.spent), (117, 0, 0, 1_236), "{}", t.backend);
    assert_eq!(fields_of(start(&ctx, STAFF, 1, id).await)[0].1, "invoices.not_correctable");
    // The original's payment bounces: the correction it paid is open again, for what it paid.
    reverse(&ctx, STAFF, 1, paid.entry_id, "Rücklastschrift").await.unwrap();
    let reopened = find(&t.db, 1, draft).await.unwrap();
    assert_eq!((reopened.state.as_str(), reopened.paid_cents), ("open", 0), "{}", t.backend);
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.balance, f.open_count, f.open_cents), (-1_236, 1, 1_236), "{}", t.backend);
    assert_eq!(find(&t.db, 1, id).await.unwrap().state, "corrected");

    // Archived: the PDF names the original, the XRechnung is a 384 with BG-3 and passes the rules.
    let dir =
        std::env::temp_dir().join(format!("clientdesk-correction-{}-{}", t.backend, std::process::id()));
    let store = Store::local(&dir).unwrap();
    archive_pending(&ctx, &store).await.unwrap();
    let inv = find(&t.db, 1, draft).await.unwrap();
    let text = crate::report_pdf::pdf_text(&archived(&store, &inv).await.unwrap());
    let number = before.number.clone().unwrap();
    let issued = before.issue_date.unwrap().format("%d.%m.%Y").to_string();
    let settled = "Mit der korrigierten Rechnung bereits bezahlt: 12,36 €. Noch zu zahlen: 0,00 €.";
    for expected in ["Rechnungskorrektur", &format!("Korrektur der Rechnung {number} vom {issued}"), settled]
    {
        assert!(text.contains(expected), "{}: {expected:?} in\n{text}", t.backend);
    }
    let xml = String::from_utf8(archived_xml(&store, &inv).await.unwrap()).unwrap();
    let flat: String = xml.lines().map(str::trim).collect();
    assert!(flat.contains("<ram:TypeCode>384</ram:TypeCode>"), "{flat}");
    assert!(
        flat.contains(&format!("<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{number}")),
        "{flat}"
    );
    assert!(flat.contains("<ram:GrandTotalAmount>12.36</ram:GrandTotalAmount>"), "{flat}");
    // Paid with the original (BT-113), nothing due (BT-115), no due date: never asked twice.
    assert!(flat.contains("<ram:TotalPrepaidAmount>12.36</ram:TotalPrepaidAmount>"), "{flat}");
    assert!(flat.contains("<ram:DuePayableAmount>0.00</ram:DuePayableAmount>"), "{flat}");
    assert!(!flat.contains("DueDateDateTime"), "{flat}");
    // A public buyer without an e-invoice address of their own is reached by their Leitweg-ID.
    assert!(flat.contains("<ram:URIID schemeID=\"0204\">991-33333TEST-33</ram:URIID>"), "BT-49: {flat}");
    let file = dir.join("correction-xrechnung.xml");
    std::fs::write(&file, &xml).unwrap();
    for r in validate(&t, &[file]) {
        assert_eq!(r["warnings"], serde_json::json!([]), "{r}");
    }

    // A correction begun for an invoice cancelled meanwhile corrects nothing.
    let again = start(&ctx, STAFF, 1, draft).await.unwrap();
    cancel(&ctx, STAFF, 1, draft, "Doppelt").await.unwrap();
    assert_eq!(fields_of(finalise(&ctx, STAFF, 1, again).await)[0].1, "invoices.not_correctable");
    assert_eq!(find(&t.db, 1, again).await.unwrap().number, None, "{}", t.backend);
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(a_correction_replaces_the_original_and_names_it);
