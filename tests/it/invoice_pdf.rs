//! The invoice PDF on SQLite and PostgreSQL: archived once after finalising, with its SHA-256,
//! mailed once with the PDF attached, read back by a PDF parser with number, date, buyer,
//! lines, net, VAT and gross; the same invoice renders to the same bytes; a cancellation names
//! the invoice it cancels.
use crate::common::{self, TestDb};
use crate::invoices::{line, seller};
use crate::report_pdf::{fonts_embedded, pdf_text};
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::invoices::{finalise, find};
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::documents::invoice_archive::{archive_pending, archived, render};
use clientdesk::events::actor::Actor;
use clientdesk::i18n::Locale;
use clientdesk::storage::Store;
use sea_orm::{ConnectionTrait, Statement};

pub async fn count(t: &TestDb, sql: &str) -> i64 {
    t.db.query_one_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

async fn an_invoice_is_archived_once_mailed_once_and_reads_back(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 23).await.unwrap();
    let sql = "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'person', \
               company = '', first_name = 'Paula', last_name = 'Pdf', street = 'Lesestraße', house_number = '4', \
               postcode = '04109', city = 'Leipzig', language = 'de', email = 'paula@example.de'";
    t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string())).await.unwrap();
    seller().save(&t.db).await.unwrap();
    let ctx = t.ctx();
    let dir = std::env::temp_dir().join(format!("clientdesk-invoices-{}-{}", t.backend, std::process::id()));
    let store = Store::local(&dir).unwrap();
    let lines = vec![line("Domain paula.de", "3", "0,99", TaxClass::Standard)];
    let id =
        save_draft(&ctx, Actor::Staff(1), 1, &DraftInput { lines, ..DraftInput::default() }).await.unwrap();
    let number = finalise(&ctx, Actor::Staff(1), 1, id).await.unwrap().number;

    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 1);
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 0, "{}: archived once", t.backend);
    let inv = find(&t.db, 1, id).await.unwrap();
    let bytes = archived(&store, &inv).await.unwrap();
    assert!(fonts_embedded(&bytes));
    let text = pdf_text(&bytes);
    let issued = inv.issue_date.unwrap().format("%d.%m.%Y").to_string();
    for expected in [
        number.as_str(),
        issued.as_str(),
        "Paula Pdf",
        "Lesestraße 4",
        "04109 Leipzig",
        "Hostwerk GmbH",
        "DE123456789",
        "Domain paula.de",
        "2,97 €",
        "0,56 €",
        "3,53 €",
        "19 %",
    ] {
        assert!(text.contains(expected), "{}: {expected:?} missing in\n{text}", t.backend);
    }
    // The same invoice renders to the same bytes (a re-run after a crash archives the same file).
    assert_eq!(render(&t.db, &inv, Locale::De).await.unwrap(), bytes);
    // One mail, with the archived PDF attached.
    assert_eq!(count(&t, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invoices'").await, 1);
    let attached =
        count(&t, &format!("SELECT COUNT(*) FROM mail_outbox WHERE attachments LIKE '%{number}.pdf%'")).await;
    assert_eq!(attached, 1);
    // "Erneut senden": the same archived file, by the staff member.
    clientdesk::customers::areas::invoices::mail::resend(&ctx, &store, 1, id, 1).await.unwrap();
    let again = count(
        &t,
        &format!("SELECT COUNT(*) FROM mail_outbox WHERE attachments LIKE '%{number}.pdf%' AND staff_id = 1"),
    )
    .await;
    assert_eq!(again, 1, "{}", t.backend);

    // The cancellation is archived too and names what it cancels.
    let storno = cancel(&ctx, Actor::Staff(1), 1, id, "Doppelt").await.unwrap();
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 1);
    let s = find(&t.db, 1, storno).await.unwrap();
    let text = pdf_text(&archived(&store, &s).await.unwrap());
    assert!(text.contains("Stornorechnung"), "{text}");
    assert!(text.contains(&format!("Storno zu Rechnung {number} vom {issued}")), "{text}");
    assert!(text.contains("−3,53 €"), "{text}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invoices'").await, 3);
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(an_invoice_is_archived_once_mailed_once_and_reads_back);

/// The customer sees their final invoices (never drafts) with the account in the self-service
/// area and downloads exactly the archived PDF; a draft, another customer's invoice and an
/// unknown one are "not found".
async fn the_customer_downloads_their_archived_invoices_and_nothing_else(t: TestDb) {
    use common::portal::{customer_with_password, login_step};
    use common::server::{call, login, start_with_store};
    use serde_json::json;
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 29).await.unwrap();
    let sql = "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, taxation = 'normal', \
               language = 'de'";
    t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string())).await.unwrap();
    seller().save(&t.db).await.unwrap();
    let ctx = t.ctx();
    let dir =
        std::env::temp_dir().join(format!("clientdesk-portal-invoices-{}-{}", t.backend, std::process::id()));
    let store = Store::local(&dir).unwrap();
    let draft = |price: &str| DraftInput {
        lines: vec![line("Hosting", "1", price, TaxClass::Standard)],
        ..DraftInput::default()
    };
    let mine = save_draft(&ctx, Actor::Staff(1), 1, &draft("10")).await.unwrap();
    finalise(&ctx, Actor::Staff(1), 1, mine).await.unwrap();
    let still_draft = save_draft(&ctx, Actor::Staff(1), 1, &draft("20")).await.unwrap();
    let theirs = save_draft(&ctx, Actor::Staff(1), 2, &draft("30")).await.unwrap();
    finalise(&ctx, Actor::Staff(1), 2, theirs).await.unwrap();
    archive_pending(&ctx, &store).await.unwrap();

    let srv = start_with_store(t.db.clone(), store.clone(), |_| {}).await;
    let staff = login(&srv).await;
    let (customer, email) = customer_with_password(&staff, &srv.base, &t.db, 1).await;
    assert_eq!(login_step(&customer, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let listed = call(&customer, &srv.base, "portal_invoice_page", json!({"page": 1})).await;
    assert_eq!(listed["invoices"]["total"], 1, "drafts are not shown: {listed}");
    assert_eq!(listed["invoices"]["rows"][0]["id"], mine);
    assert_eq!(
        (listed["balance"].as_i64(), listed["open_cents"].as_i64()),
        (Some(-1_190), Some(1_190)),
        "{}",
        t.backend
    );

    let get = |id: i32| customer.get(format!("{}/portal/invoices/{id}/pdf", srv.base)).send();
    let pdf = get(mine).await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(pdf.headers()["x-content-type-options"], "nosniff");
    let expected = archived(&store, &find(&t.db, 1, mine).await.unwrap()).await.unwrap();
    assert_eq!(pdf.bytes().await.unwrap().as_ref(), expected.as_slice(), "exactly the archived bytes");
    for other in [still_draft, theirs, 999_999] {
        assert_eq!(get(other).await.unwrap().status(), 404, "invoice {other}");
    }

    // The statement, as the customer and as staff: the same closing balance.
    let today = clientdesk::customers::service::business_day();
    let q = format!("from={}-01-01&to={today}", today.format("%Y"));
    let csv = customer.get(format!("{}/portal/statement.csv?{q}", srv.base)).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.lines().last().unwrap().ends_with(";-11,90"), "{text}");
    let staff_csv =
        staff.get(format!("{}/documents/customers/1/statement.csv?{q}", srv.base)).send().await.unwrap();
    assert_eq!(staff_csv.text().await.unwrap(), text);
    let pdf = customer.get(format!("{}/portal/statement.pdf?{q}", srv.base)).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    let printed = crate::report_pdf::pdf_text(&pdf.bytes().await.unwrap());
    assert!(printed.contains("Kontoauszug") && printed.contains("−11,90 €"), "{printed}");
    let wrong = customer
        .get(format!("{}/portal/statement.pdf?from=2027-02-01&to=2027-01-01", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().await.unwrap().contains("Das Ende liegt vor dem Anfang."));
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(the_customer_downloads_their_archived_invoices_and_nothing_else);
