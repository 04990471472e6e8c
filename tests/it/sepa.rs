//! SEPA direct debit on SQLite and PostgreSQL: mandates checked (reference, IBAN, one active per
//! customer), revoked, and a collection of the open invoices due by its day from customers with
//! an active mandate, each invoice once, a mandate's first debit FRST and the rest RCUR, written
//! as pain.008.001.08 that the ISO XSD (PyPI sepaxml's) accepts.
use crate::common::{self, TestDb};
use crate::invoice_pdf::count;
use crate::invoices::{seller, sql};
use clientdesk::billing::seller::SellerSettings;
use clientdesk::billing::sepa::collect::collect;
use clientdesk::billing::sepa::mandates::{add, list, revoke};
use clientdesk::billing::sepa::model::MandateInput;
use clientdesk::customers::service::business_day;
use clientdesk::error::AppError;

async fn setup(t: &TestDb) {
    crate::bank_import::customers(t).await;
    // With what an e-invoice needs of the seller (BT-34, BT-42, BT-43).
    let s = SellerSettings {
        phone: "+49 40 123456".into(),
        party: clientdesk::billing::seller::Party {
            email: "rechnung@hostwerk.example".into(),
            ..seller().party
        },
        iban: "DE02 1203 0000 0000 2020 51".into(),
        bic: "BYLADEM1001".into(),
        creditor_id: "DE98ZZZ09999999999".into(),
        ..seller()
    };
    s.save(&t.db).await.unwrap();
}

fn mandate(reference: &str, iban: &str) -> MandateInput {
    MandateInput {
        reference: reference.into(),
        signed_on: business_day().to_string(),
        holder: "Jörg Müller".into(),
        iban: iban.into(),
        bic: String::new(),
    }
}

fn key(r: Result<i32, AppError>) -> String {
    match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("{other:?}"),
    }
}

async fn validate(xml: &str) {
    let file =
        std::env::temp_dir().join(format!("clientdesk-pain008-{}-{}.xml", std::process::id(), xml.len()));
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new(common::bank_python())
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bank/validate_pain008.py"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}\n{xml}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn xml(t: &TestDb, id: i32) -> String {
    clientdesk::billing::sepa::collect::file(&t.db, id).await.unwrap().1
}

async fn mandates_collect_each_due_invoice_once_first_then_recurring(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let b = &t.backend;
    let today = business_day();
    add(&ctx, 1, &mandate("MNDT-K10001-1", "DE12 5001 0517 0648 4898 90"), today).await.unwrap();
    let second = add(&ctx, 2, &mandate("MNDT-K10002-1", "DE02100500000054540402"), today).await.unwrap();
    // One active mandate per customer, a reference once, the IBAN checked.
    assert_eq!(
        key(add(&ctx, 1, &mandate("MNDT-K10001-2", "DE12500105170648489890"), today).await),
        "sepa.mandate_active"
    );
    assert_eq!(
        key(add(&ctx, 3, &mandate("MNDT-K10001-1", "DE12500105170648489890"), today).await),
        "sepa.reference_taken"
    );
    assert_eq!(
        key(add(&ctx, 3, &mandate("MNDT-K10003-1", "DE12500105170648489891"), today).await),
        "sepa.iban_invalid"
    );
    // Customer 2 revokes theirs: a colleague's stale revoke is a conflict.
    let v = list(&t.db, 2).await.unwrap()[0].version;
    revoke(&ctx, 2, second, v, today).await.unwrap();
    assert!(matches!(revoke(&ctx, 2, second, v, today).await, Err(AppError::Conflict { .. })), "{b}");
    let m = &list(&t.db, 1).await.unwrap()[0];
    assert_eq!((m.iban.as_str(), m.sequence.as_str()), ("DE12 5001 0517 0648 4898 90", "FRST"), "{b}");

    let a = crate::bank_import::invoice(&t, 1, "100").await; // 119,00
    // The invoice of a customer with a mandate pre-notifies the debit instead of asking to pay.
    let inv = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        clientdesk::db::entities::invoice::Entity::find()
            .filter(clientdesk::db::entities::invoice::Column::Number.eq(a.clone()))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap()
    };
    let pdf = clientdesk::documents::invoice_archive::render(&t.db, &inv, clientdesk::i18n::Locale::De)
        .await
        .unwrap();
    let text = crate::report_pdf::pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in
        ["SEPA-Lastschrift", "DE12 **** **** 9890", "MNDT-K10001-1", "DE98ZZZ09999999999", "119,00 €"]
    {
        assert!(text.contains(expected), "{b}: {expected} in {text}");
    }
    assert!(!text.contains("Zahlbar ohne Abzug"), "{b}");
    // So does its e-invoice (BT-81 59, the mandate, the creditor id, the debited account), and the
    // official XRechnung and EN 16931 rules accept it.
    let profile = clientdesk::billing::einvoice::Profile::XRechnung;
    let cii = clientdesk::billing::einvoice::of_invoice(&t.db, &inv, profile).await.unwrap().unwrap();
    for expected in
        ["<ram:TypeCode>59</ram:TypeCode>", "MNDT-K10001-1", "DE98ZZZ09999999999", "DE12500105170648489890"]
    {
        assert!(cii.contains(expected), "{b}: {expected} in {cii}");
    }
    let file = std::env::temp_dir().join(format!("clientdesk-sepa-xr-{}-{b}.xml", std::process::id()));
    std::fs::write(&file, &cii).unwrap();
    let report = &crate::einvoice::validate(&t, &[file])[0];
    assert_eq!(report["errors"], serde_json::json!([]), "{b}: {report}");
    let c = crate::bank_import::invoice(&t, 1, "50").await; // 59,50
    crate::bank_import::invoice(&t, 2, "100").await; // mandate revoked
    crate::bank_import::invoice(&t, 3, "100").await; // no mandate
    let due = today + chrono::Days::new(14);
    // Tomorrow at the earliest; the day before they are due, nothing is due.
    let early = collect(&t.db, "anna", today, today).await;
    assert!(matches!(early, Err(AppError::Validation(_))), "{b}");
    assert_eq!(collect(&t.db, "anna", due - chrono::Days::new(1), today).await.unwrap().count, 0, "{b}");
    let made = collect(&t.db, "anna", due, today).await.unwrap();
    assert_eq!((made.count, made.total_cents), (2, 17_850), "{b}");
    let file = xml(&t, made.collection_id.unwrap()).await;
    validate(&file).await;
    assert!(file.contains("<MsgId>LS-") && file.contains("<CtrlSum>178.50</CtrlSum>"), "{file}");
    assert!(
        file.contains(&format!("<EndToEndId>E2E-{a}</EndToEndId>"))
            && file.contains(&format!("<Ustrd>{c}</Ustrd>"))
    );
    assert!(
        file.contains("<Id>DE98ZZZ09999999999</Id>") && file.contains("<Nm>Joerg Mueller</Nm>"),
        "{file}"
    );
    // The mandate's first debit FRST, the second RCUR (one of each block).
    assert_eq!(file.matches("<SeqTp>FRST</SeqTp>").count(), 1, "{file}");
    assert_eq!(file.matches("<SeqTp>RCUR</SeqTp>").count(), 1, "{file}");
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM sepa_collection_items WHERE sequence = 'FRST'").await,
        1,
        "{b}"
    );
    // Each invoice once: nothing more the same day; the next invoice goes RCUR.
    assert_eq!(collect(&t.db, "anna", due, today).await.unwrap().count, 0, "{b}");
    crate::bank_import::invoice(&t, 1, "10").await;
    // A customer not allowed to pay by direct debit any more is not collected.
    sql(&t, "UPDATE customers SET payment_methods = 'transfer' WHERE id = 1").await;
    assert_eq!(collect(&t.db, "anna", due, today).await.unwrap().count, 0, "{b}");
    sql(&t, "UPDATE customers SET payment_methods = 'transfer,direct_debit' WHERE id = 1").await;
    let next = collect(&t.db, "anna", due, today).await.unwrap();
    assert_eq!((next.count, next.total_cents), (1, 1_190), "{b}");
    let file = xml(&t, next.collection_id.unwrap()).await;
    validate(&file).await;
    assert!(!file.contains("FRST") && file.contains("<SeqTp>RCUR</SeqTp>"), "{file}");
    assert_eq!(list(&t.db, 1).await.unwrap()[0].last_collected_on, due.to_string(), "{b}");
    // What was sent is never changed nor deleted.
    for change in ["UPDATE sepa_collections SET total_cents = 1", "DELETE FROM sepa_collection_items"] {
        use sea_orm::ConnectionTrait;
        let refused = t
            .db
            .execute_raw(sea_orm::Statement::from_string(t.db.get_database_backend(), change.to_string()))
            .await;
        assert!(refused.is_err(), "{b}: {change}");
    }
    t.finish().await;
}
db_test!(mandates_collect_each_due_invoice_once_first_then_recurring);

async fn no_collection_without_the_creditor_id(t: TestDb) {
    setup(&t).await;
    SellerSettings { creditor_id: String::new(), ..seller() }.save(&t.db).await.unwrap();
    let today = business_day();
    let refused = collect(&t.db, "anna", today + chrono::Days::new(1), today).await;
    match refused {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "sepa.creditor_missing", "{}", t.backend),
        other => panic!("{other:?}"),
    }
    t.finish().await;
}
db_test!(no_collection_without_the_creditor_id);

/// Statement `n` (MT940): for each (invoice number, end-to-end id, return reason) the bank
/// credits our debit of 119,00 €, and where a reason is given takes it back the next day with its
/// fee of 3,00 €.
fn statement(n: u32, debits: &[(&str, &str, Option<&str>)]) -> String {
    let mut s = format!(":20:DEBITS\r\n:25:DE02120300000000202051\r\n:28C:{n}\r\n:60F:C270110EUR0,00\r\n");
    for (number, e2e, _) in debits {
        s.push_str(&format!(
            ":61:2701100110C119,00NDDTNONREF//C-{e2e}\r\n:86:171?00SEPA LASTSCHRIFT?20EREF+{e2e}?21SVWZ+{number}\r\n"
        ));
    }
    for (number, e2e, reason) in debits {
        let Some(reason) = reason else { continue };
        s.push_str(&format!(
            ":61:2701110111D122,00NRTINONREF//R-{e2e}\r\n/OCMT/EUR119,00//CHGS/EUR3,00/\r\n\
             :86:109?00RUECKLASTSCHRIFT?20EREF+{e2e}?21MREF+MNDT-K10001-1?22COAM+3,00?23OAMT+119,00\
             ?24SVWZ+{number}?34{reason}\r\n"
        ));
    }
    s.push_str(":62F:C270111EUR0,00\r\n-\r\n");
    s
}

async fn a_returned_debit_is_collected_again_once_and_never_dunned_while_under_way(t: TestDb) {
    use clientdesk::billing::bank::booking::{Outcome, book};
    use clientdesk::billing::bank::import::preview;
    setup(&t).await;
    let ctx = t.ctx();
    let b = &t.backend;
    let today = business_day();
    let staff = clientdesk::events::actor::Actor::Staff(1);
    add(&ctx, 1, &mandate("MNDT-K10001-1", "DE12 5001 0517 0648 4898 90"), today).await.unwrap();
    let a = crate::bank_import::invoice(&t, 1, "100").await; // 119,00 by direct debit
    let closed = crate::bank_import::invoice(&t, 1, "100").await; // its account will be closed
    let other = crate::bank_import::invoice(&t, 3, "100").await; // 119,00 by transfer
    let due = today + chrono::Days::new(14);
    let first = collect(&t.db, "anna", due, today).await.unwrap();
    assert_eq!(first.count, 2, "{b}");
    let tr = &t;
    // The invoice shows the debit under way, with its day.
    let debit_on = move |number: String| async move {
        let page = clientdesk::customers::areas::invoices::service::list(&tr.db, 1, 1).await.unwrap();
        page.rows.into_iter().find(|r| r.number.as_deref() == Some(number.as_str())).unwrap().debit_on
    };
    assert_eq!(debit_on(a.clone()).await, Some(due.to_string()), "{b}");
    let notices = move |number: String| async move {
        let sql = format!(
            "SELECT COUNT(*) FROM dunning_notices n JOIN invoices i ON i.id = n.invoice_id WHERE i.number = '{number}'"
        );
        count(tr, &sql).await
    };
    let dun = move |day| async move { clientdesk::billing::dunning_run::run(&tr.ctx(), day).await.unwrap() };
    // Ten days overdue, the reminder is due: not for the invoices whose debits are under way.
    assert_eq!(dun(due + chrono::Days::new(10)).await.notices, 1, "{b}");
    assert_eq!((notices(a.clone()).await, notices(other.clone()).await), (0, 1), "{b}");

    // The bank credits both debits and returns them with their fees, one for want of funds
    // (AM04), one because the account was closed (AC04): both invoices are open again.
    let (e2e, e2e_closed) = (format!("E2E-{a}"), format!("E2E-{closed}"));
    let file = statement(1, &[(&a, &e2e, Some("AM04")), (&closed, &e2e_closed, Some("AC04"))]);
    let p = preview(&t.db, "anna", "debits.sta", file.as_bytes()).await.unwrap();
    let o = book(&ctx, staff, p.import_id).await.unwrap();
    assert_eq!(o, Outcome { booked: 2, returned: 2, ..Outcome::default() }, "{b}");
    assert_eq!(crate::bank_import::state(&t, &a).await, ("open".into(), 0), "{b}");
    assert_eq!(crate::bank_import::state(&t, &closed).await, ("open".into(), 0), "{b}");
    assert_eq!(debit_on(a.clone()).await, None, "{b}");
    // Now they are dunned like any open invoice...
    assert_eq!(dun(due + chrono::Days::new(11)).await.notices, 2, "{b}");

    // ...and the one without funds is collected again, under an end-to-end id of its own, as a
    // recurring debit; the closed account's is not.
    let again = collect(&t.db, "anna", due, today).await.unwrap();
    assert_eq!((again.count, again.total_cents), (1, 11_900), "{b}");
    let xml_again = xml(&t, again.collection_id.unwrap()).await;
    validate(&xml_again).await;
    assert!(
        xml_again.contains(&format!("<EndToEndId>{e2e}-2</EndToEndId>"))
            && xml_again.contains("<SeqTp>RCUR</SeqTp>"),
        "{xml_again}"
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM sepa_collection_items WHERE attempt = 2").await, 1, "{b}");
    assert_eq!(debit_on(a.clone()).await, Some(due.to_string()), "{b}");
    // Under way again: collected once, not dunned further.
    assert_eq!(collect(&t.db, "anna", due, today).await.unwrap().count, 0, "{b}");
    dun(due + chrono::Days::new(40)).await;
    assert_eq!(notices(a.clone()).await, 1, "{b}");
    assert!(notices(other.clone()).await >= 2, "{b}: the transfer's next notice");

    // The second debit comes back too (MS03): two attempts are all; the invoice waits for a
    // transfer and its notices.
    let file = statement(2, &[(&a, &format!("{e2e}-2"), Some("MS03"))]);
    let p = preview(&t.db, "anna", "debits-2.sta", file.as_bytes()).await.unwrap();
    assert_eq!(book(&ctx, staff, p.import_id).await.unwrap().returned, 1, "{b}");
    assert_eq!(crate::bank_import::state(&t, &a).await, ("open".into(), 0), "{b}");
    assert_eq!(collect(&t.db, "anna", due, today).await.unwrap().count, 0, "{b}");
    assert_eq!(debit_on(a.clone()).await, None, "{b}");
    t.finish().await;
}
db_test!(a_returned_debit_is_collected_again_once_and_never_dunned_while_under_way);

async fn a_mandate_unused_for_36_months_has_lapsed(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let b = &t.backend;
    let today = business_day();
    add(&ctx, 1, &mandate("MNDT-K10001-1", "DE12 5001 0517 0648 4898 90"), today).await.unwrap();
    crate::bank_import::invoice(&t, 1, "100").await;
    let day = today + chrono::Days::new(14);
    // Signed 36 months and a day before the collection day, never used since: lapsed.
    let edge = day.checked_sub_months(chrono::Months::new(36)).unwrap();
    let signed = |d: chrono::NaiveDate| {
        format!("UPDATE sepa_mandates SET signed_on = '{d}', last_collected_on = NULL")
    };
    sql(&t, &signed(edge - chrono::Days::new(1))).await;
    assert_eq!(collect(&t.db, "anna", day, today).await.unwrap().count, 0, "{b}");
    // Exactly 36 months: still good.
    sql(&t, &signed(edge)).await;
    assert_eq!(collect(&t.db, "anna", day, today).await.unwrap().count, 1, "{b}");
    t.finish().await;
}
db_test!(a_mandate_unused_for_36_months_has_lapsed);

async fn an_erased_customers_mandate_ends(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let b = &t.backend;
    let today = business_day();
    add(&ctx, 2, &mandate("MNDT-K10002-1", "DE12 5001 0517 0648 4898 90"), today).await.unwrap();
    let request = clientdesk::records::model::ErasureRequest {
        customer_id: 2,
        version: clientdesk::customers::service::detail(&t.db, 2).await.unwrap().version,
        request_ref: "Ticket 7".into(),
        hard_delete: false,
    };
    let none = clientdesk::records::progress::Progress::none();
    clientdesk::customers::areas::erase::service::erase(&ctx, 1, &request, &none).await.unwrap();
    // Kept with the money records, but revoked on the day of the erasure.
    let m = &list(&t.db, 2).await.unwrap()[0];
    assert_eq!((m.state.as_str(), m.revoked_on.as_str()), ("revoked", today.to_string().as_str()), "{b}");
    t.finish().await;
}
db_test!(an_erased_customers_mandate_ends);
