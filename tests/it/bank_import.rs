//! Bank statements imported on SQLite and PostgreSQL: a preview proposes each line's customer
//! and invoices and books nothing; booking books the matched credits once (the same file again
//! books nothing twice), puts the unmatched ones in the open payments where staff assign them,
//! reverses the payment a return debit returns and charges the bank's fee. The files are the
//! ones independent libraries wrote (tests/bank/generate.py).
use crate::common::{self, TestDb};
use crate::invoice_pdf::count;
use crate::invoices::{line, seller, sql};
use clientdesk::billing::account::figures;
use clientdesk::billing::bank::assign::{assign, set_aside};
use clientdesk::billing::bank::booking::{Outcome, book};
use clientdesk::billing::bank::import::{discard, preview};
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::invoices::finalise;
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::events::actor::Actor;

const STAFF: Actor = Actor::Staff(1);

/// Customers K-10001..K-10003, consumers in Germany paying in 14 days.
pub async fn customers(t: &TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 23).await.unwrap();
    sql(
        t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'person', \
         company = '', taxation = 'normal', street = 'Altweg', house_number = '3', postcode = '20095', \
         city = 'Hamburg', language = 'de', payment_term_days = 14, einvoice = 'none'",
    )
    .await;
}

/// The customers; invoices numbered RE-2027-00012 on.
async fn setup(t: &TestDb) {
    customers(t).await;
    seller().save(&t.db).await.unwrap();
    sql(t, "UPDATE invoice_series SET pattern = 'RE-2027-{00000}' WHERE key = 'invoice'").await;
    sql(
        t,
        "INSERT INTO counters (name, value) SELECT 'invoice:' || CAST(id AS TEXT) || ':0', 11 FROM invoice_series \
         WHERE key = 'invoice'",
    )
    .await;
}

/// A final invoice of `net` euros (+ 19 %) for `customer`; returns its number.
pub async fn invoice(t: &TestDb, customer: i32, net: &str) -> String {
    let ctx = t.ctx();
    let input =
        DraftInput { lines: vec![line("Webhosting", "1", net, TaxClass::Standard)], ..DraftInput::default() };
    let id = save_draft(&ctx, STAFF, customer, &input).await.unwrap();
    finalise(&ctx, STAFF, customer, id).await.unwrap();
    clientdesk::billing::invoices::find(&t.db, customer, id).await.unwrap().number.unwrap()
}

pub async fn state(t: &TestDb, number: &str) -> (String, i64) {
    let state = count_text(t, &format!("SELECT state FROM invoices WHERE number = '{number}'")).await;
    (state, count(t, &format!("SELECT paid_cents FROM invoices WHERE number = '{number}'")).await)
}

async fn count_text(t: &TestDb, sql: &str) -> String {
    use sea_orm::ConnectionTrait;
    t.db.query_one_raw(sea_orm::Statement::from_string(t.db.get_database_backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap()
}

/// A collection of ours the bank credited on 10 January: the payment the CAMT file's return
/// debit (E2E-RE-2027-00013) takes back.
const COLLECTED: &str = ":20:COLLECT\r\n:25:DE02120300000000202051\r\n:28C:1\r\n:60F:C270110EUR0,00\r\n\
    :61:2701100110C59,50NDDTNONREF//B-COLL-1\r\n\
    :86:171?00SEPA LASTSCHRIFT?20EREF+E2E-RE-2027-00013?21SVWZ+RE-2027-00013\r\n\
    :62F:C270110EUR59,50\r\n-\r\n";

fn generated(file: &str) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("clientdesk-bank-import-{}", std::process::id()));
    if !dir.join(file).is_file() {
        std::fs::create_dir_all(&dir).unwrap();
        let out = std::process::Command::new(common::bank_python())
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bank/generate.py"))
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::read(dir.join(file)).unwrap()
}

async fn lines(t: &TestDb, import: i32) -> Vec<(String, Option<i32>, String, String)> {
    use sea_orm::ConnectionTrait;
    let rows =
        t.db.query_all_raw(sea_orm::Statement::from_string(
            t.db.get_database_backend(),
            format!(
                "SELECT state, customer_id, matched_by, invoice_ids FROM bank_lines WHERE import_id = {import} \
                 ORDER BY position"
            ),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "state").unwrap(),
                r.try_get("", "customer_id").unwrap(),
                r.try_get("", "matched_by").unwrap(),
                r.try_get("", "invoice_ids").unwrap(),
            )
        })
        .collect()
}

async fn a_statement_is_previewed_booked_once_and_its_return_reverses_the_payment(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let b = &t.backend;
    assert_eq!(invoice(&t, 2, "100").await, "RE-2027-00012"); // 119,00
    assert_eq!(invoice(&t, 3, "50").await, "RE-2027-00013"); // 59,50
    assert_eq!(invoice(&t, 3, "20").await, "RE-2027-00014"); // 23,80
    assert_eq!(invoice(&t, 1, "50").await, "RE-2027-00015"); // 59,50

    // Our collection of RE-2027-00013 comes in first.
    let collected = preview(&t.db, "anna", "collect.sta", COLLECTED.as_bytes()).await.unwrap();
    let o = book(&ctx, STAFF, collected.import_id).await.unwrap();
    assert_eq!(o, Outcome { booked: 1, ..Outcome::default() }, "{b}");
    assert_eq!(state(&t, "RE-2027-00013").await, ("paid".into(), 5_950), "{b}");

    // The preview proposes and books nothing.
    let camt = generated("camt053_v02.xml");
    let p = preview(&t.db, "anna", "camt053_v02.xml", &camt).await.unwrap();
    assert_eq!((p.lines, p.again), (5, false), "{b}");
    let proposed = lines(&t, p.import_id).await;
    let ids = |n: &str| proposed.iter().find(|l| l.2 == n).map(|l| (l.1, l.3.clone()));
    assert_eq!(proposed.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(), ["preview"; 5], "{b}");
    assert_eq!(ids("invoice_number").unwrap().0, Some(2), "{b}: RE-2027-00012 names the invoice");
    assert_eq!(ids("customer_number"), Some((Some(1), String::new())), "{b}: K-10001");
    assert_eq!(ids("amount").unwrap().0, Some(3), "{b}: only RE-2027-00014 owes 23,80");
    assert_eq!(ids("return").unwrap().0, Some(3), "{b}: the return names our collection");
    assert_eq!(proposed[4].2, "", "{b}: the account fee is nobody's");
    assert_eq!(state(&t, "RE-2027-00012").await, ("open".into(), 0), "{b}: nothing booked yet");
    // The same file again while its preview waits is that preview.
    let again = preview(&t.db, "ben", "copy.xml", &camt).await.unwrap();
    assert_eq!((again.import_id, again.again), (p.import_id, true), "{b}");

    let o = book(&ctx, STAFF, p.import_id).await.unwrap();
    assert_eq!(o, Outcome { booked: 3, returned: 1, ignored: 1, ..Outcome::default() }, "{b}");
    assert_eq!(state(&t, "RE-2027-00012").await, ("paid".into(), 11_900), "{b}");
    assert_eq!(state(&t, "RE-2027-00015").await, ("paid".into(), 5_950), "{b}: K-10001's oldest open");
    assert_eq!(state(&t, "RE-2027-00014").await, ("paid".into(), 2_380), "{b}");
    // The return: RE-2027-00013 is open again, and customer 3 owes the bank's 3,00 € too.
    assert_eq!(state(&t, "RE-2027-00013").await, ("open".into(), 0), "{b}");
    let f = figures(&t.db, 3).await.unwrap();
    assert_eq!(f.balance, -5_950 - 300, "{b}: {f:?}");
    let fee =
        count(&t, "SELECT amount_cents FROM ledger_entries WHERE customer_id = 3 AND kind = 'fee'").await;
    assert_eq!(fee, -300, "{b}");
    assert_eq!(
        count_text(&t, &format!("SELECT state FROM bank_imports WHERE id = {}", p.import_id)).await,
        "booked"
    );
    // Booked is booked: neither booking nor discarding it again.
    assert!(matches!(book(&ctx, STAFF, p.import_id).await, Err(AppError::Validation(_))), "{b}");
    assert!(matches!(discard(&t.db, "anna", p.import_id).await, Err(AppError::Validation(_))), "{b}");

    // The same statement imported a second time: every entry is known, nothing is booked twice.
    let payments = count(&t, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await;
    let second = preview(&t.db, "anna", "camt053_v02.xml", &camt).await.unwrap();
    assert_ne!(second.import_id, p.import_id, "{b}");
    let o = book(&ctx, STAFF, second.import_id).await.unwrap();
    assert_eq!(o, Outcome { duplicates: 5, ..Outcome::default() }, "{b}");
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await,
        payments,
        "{b}"
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'reversal'").await, 1, "{b}");

    // What the bank said is frozen; a handled line is never deleted.
    for change in [
        "UPDATE bank_lines SET amount_cents = 1",
        "UPDATE bank_lines SET state = 'preview'",
        "DELETE FROM bank_lines",
    ] {
        use sea_orm::ConnectionTrait;
        let refused = t
            .db
            .execute_raw(sea_orm::Statement::from_string(t.db.get_database_backend(), change.to_string()))
            .await;
        assert!(refused.is_err(), "{b}: {change}");
    }
    t.finish().await;
}
db_test!(a_statement_is_previewed_booked_once_and_its_return_reverses_the_payment);

async fn an_unmatched_payment_waits_until_staff_assign_it(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let b = &t.backend;
    invoice(&t, 2, "100").await; // RE-2027-00012, 119,00
    invoice(&t, 2, "20").await; // RE-2027-00013, 23,80
    // The MT940 file as mt940-writer wrote it: 119,00 for RE-2027-00012 (customer 2); 59,50 for
    // K-10001, who owes nothing (credit); 23,80 "Zahlung" (RE-2027-00013 owes it: customer 2);
    // an unknown return; the account fee.
    let sta = generated("statement.sta");
    let p = preview(&t.db, "anna", "statement.sta", &sta).await.unwrap();
    assert_eq!(p.lines, 5, "{b}");
    // Discarding a preview books nothing and frees the file for a new preview.
    discard(&t.db, "anna", p.import_id).await.unwrap();
    assert_eq!(
        count(&t, &format!("SELECT COUNT(*) FROM bank_lines WHERE import_id = {}", p.import_id)).await,
        0
    );
    // Who would 23,80 be for if two invoices owed it: nobody certain.
    invoice(&t, 3, "20").await; // RE-2027-00014, 23,80 too
    let p = preview(&t.db, "anna", "statement.sta", &sta).await.unwrap();
    assert!(!p.again, "{b}");
    let o = book(&ctx, STAFF, p.import_id).await.unwrap();
    assert_eq!(o, Outcome { booked: 2, open: 2, ignored: 1, ..Outcome::default() }, "{b}");
    assert_eq!(figures(&t.db, 1).await.unwrap().balance, 5_950, "{b}: K-10001's payment is credit");

    let open: Vec<(i32, i64, bool)> = {
        use sea_orm::ConnectionTrait;
        let rows =
            t.db.query_all_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT id, version, is_return FROM bank_lines WHERE state = 'open' ORDER BY position"
                    .to_string(),
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| {
                (
                    r.try_get("", "id").unwrap(),
                    r.try_get("", "version").unwrap(),
                    r.try_get("", "is_return").unwrap(),
                )
            })
            .collect()
    };
    let (credit, version, _) = open[0];
    let (ret, ret_version, is_return) = open[1];
    assert!(is_return, "{b}");
    // Refused, changing nothing: an unknown customer, an invoice that is not theirs or not
    // open, a return assigned as a payment, a reason missing.
    let refused = |r: Result<i32, AppError>| match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("{b}: {other:?}"),
    };
    assert_eq!(refused(assign(&ctx, STAFF, credit, version, "K-99999", "").await), "bank.customer_unknown");
    assert_eq!(
        refused(assign(&ctx, STAFF, credit, version, "K-10003", "RE-2027-00013").await),
        "bank.invoice_not_open"
    );
    assert_eq!(refused(assign(&ctx, STAFF, ret, ret_version, "K-10003", "").await), "bank.not_a_credit");
    assert!(
        matches!(set_aside(&t.db, "anna", ret, ret_version, " ").await, Err(AppError::Validation(_))),
        "{b}"
    );
    // Assigned to K-10003's RE-2027-00014: booked, paid.
    assert_eq!(assign(&ctx, STAFF, credit, version, "k-10003", "RE-2027-00014").await.unwrap(), 3, "{b}");
    assert_eq!(state(&t, "RE-2027-00014").await, ("paid".into(), 2_380), "{b}");
    // A colleague's second assignment of the same line: a conflict, nothing twice.
    assert!(matches!(
        assign(&ctx, STAFF, credit, version, "K-10002", "").await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(figures(&t.db, 2).await.unwrap().paid_in, 11_900, "{b}");
    // The return nobody's payment is known for is set aside with the reason.
    set_aside(&t.db, "anna", ret, ret_version, "Lastschrift eines anderen Anbieters").await.unwrap();
    assert_eq!(count(&t, "SELECT COUNT(*) FROM bank_lines WHERE state = 'open'").await, 0, "{b}");
    assert!(matches!(
        set_aside(&t.db, "anna", ret, ret_version, "again").await,
        Err(AppError::Conflict { .. })
    ));

    // The MT940 file a second time: nothing twice.
    let second = preview(&t.db, "anna", "statement.sta", &sta).await.unwrap();
    let o = book(&ctx, STAFF, second.import_id).await.unwrap();
    assert_eq!(o, Outcome { duplicates: 5, ..Outcome::default() }, "{b}");
    t.finish().await;
}
db_test!(an_unmatched_payment_waits_until_staff_assign_it);

async fn unreadable_files_are_refused_and_store_nothing(t: TestDb) {
    setup(&t).await;
    for (bytes, key) in [
        (&b""[..], "bank.file_empty"),
        (&b"Datum;Betrag\n01.01.2027;10,00\n"[..], "bank.file_unreadable"),
        (&b"<Document><BkToCstmrStmt></BkToCstmrStmt></Document>"[..], "bank.file_no_entries"),
    ] {
        match preview(&t.db, "anna", "x", bytes).await {
            Err(AppError::Validation(e)) => assert_eq!(e[0].key, key, "{}", t.backend),
            other => panic!("{}: {other:?}", t.backend),
        }
    }
    assert_eq!(count(&t, "SELECT COUNT(*) FROM bank_imports").await, 0, "{}", t.backend);
    t.finish().await;
}
db_test!(unreadable_files_are_refused_and_store_nothing);

/// Two transfers name the same invoice in one statement: the first pays it, the second is
/// credit — it does not pay another invoice the customer did not name.
const TWICE: &str = ":20:TWICE\r\n:25:DE02120300000000202051\r\n:28C:1\r\n:60F:C270115EUR0,00\r\n\
    :61:2701150115C119,00NTRFNONREF//T-1\r\n:86:166?00GUTSCHRIFT?20SVWZ+RE-2027-00012\r\n\
    :61:2701150115C119,00NTRFNONREF//T-2\r\n:86:166?00GUTSCHRIFT?20SVWZ+RE-2027-00012 nochmal\r\n\
    :62F:C270115EUR238,00\r\n-\r\n";

async fn a_second_transfer_for_a_paid_invoice_is_credit(t: TestDb) {
    setup(&t).await;
    let b = &t.backend;
    invoice(&t, 2, "100").await; // RE-2027-00012, 119,00
    invoice(&t, 2, "20").await; // RE-2027-00013, 23,80
    let p = preview(&t.db, "anna", "twice.sta", TWICE.as_bytes()).await.unwrap();
    let o = book(&t.ctx(), STAFF, p.import_id).await.unwrap();
    assert_eq!(o, Outcome { booked: 2, ..Outcome::default() }, "{b}");
    assert_eq!(state(&t, "RE-2027-00012").await, ("paid".into(), 11_900), "{b}");
    assert_eq!(state(&t, "RE-2027-00013").await, ("open".into(), 0), "{b}: not named, not paid");
    let f = figures(&t.db, 2).await.unwrap();
    assert_eq!(
        (f.balance, f.open_count, f.open_cents, f.paid_in),
        (11_900 - 2_380, 1, 2_380, 23_800),
        "{b}: {f:?}"
    );
    let lines = lines(&t, p.import_id).await;
    assert_eq!(
        (lines[0].3.as_str(), lines[1].3.as_str()),
        (
            count_text(&t, "SELECT CAST(id AS TEXT) FROM invoices WHERE number = 'RE-2027-00012'")
                .await
                .as_str(),
            ""
        ),
        "{b}"
    );
    t.finish().await;
}
db_test!(a_second_transfer_for_a_paid_invoice_is_credit);
