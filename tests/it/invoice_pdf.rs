//! The invoice PDF on SQLite and PostgreSQL: archived once after finalising, with its SHA-256,
//! mailed once with the PDF attached, read back by a PDF parser with number, date, buyer,
//! lines, net, VAT and gross; the same invoice renders to the same bytes; a cancellation names
//! the invoice it cancels.
use crate::common::{self, TestDb};
use crate::invoices::{line, seller};
use crate::report_pdf::{fonts_embedded, pdf_text};
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::invoices::{finalise, find, save_draft};
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::documents::invoice_archive::{archive_pending, archived, render};
use clientdesk::events::actor::Actor;
use clientdesk::i18n::Locale;
use clientdesk::storage::Store;
use sea_orm::{ConnectionTrait, Statement};

async fn count(t: &TestDb, sql: &str) -> i64 {
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

    // The cancellation is archived too and names what it cancels.
    let storno = cancel(&ctx, Actor::Staff(1), 1, id, "Doppelt").await.unwrap();
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 1);
    let s = find(&t.db, 1, storno).await.unwrap();
    let text = pdf_text(&archived(&store, &s).await.unwrap());
    assert!(text.contains("Stornorechnung"), "{text}");
    assert!(text.contains(&format!("Storno zu Rechnung {number} vom {issued}")), "{text}");
    assert!(text.contains("−3,53 €"), "{text}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invoices'").await, 2);
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(an_invoice_is_archived_once_mailed_once_and_reads_back);
