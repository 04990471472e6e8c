//! Dunning on SQLite and PostgreSQL: the run sends each due level once per invoice (also when
//! two instances run at once), a consumer's first notice is the free reminder, later ones charge
//! the level's fee and default interest (base rate + 5 points; a business + 9 points and the flat
//! 40 € once, fees credited against it) on a fee document of its own, never on the invoice;
//! nothing for a customer with dunning off, nor for an invoice paid or cancelled before the run.
//! A notice is never changed or deleted but for its PDF and its mail and letter state.
use crate::common::{self, TestDb};
use crate::invoice_pdf::count;
use crate::invoices::{line, seller, sql};
use clientdesk::billing::account::figures;
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::dunning_run::{Outcome, run};
use clientdesk::billing::invoices::{finalise, find};
use clientdesk::billing::ledger::{Payment, book_payment};
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::business_day;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::entities::dunning_notice;
use clientdesk::documents::{dunning_archive, invoice_archive};
use clientdesk::events::actor::Actor;
use clientdesk::storage::Store;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

const STAFF: Actor = Actor::Staff(1);

/// Customer 1 a consumer, 2 a business, 3 a consumer with dunning off; 14 days to pay.
async fn setup(t: &TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 23).await.unwrap();
    sql(
        t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'person', \
         company = '', taxation = 'normal', street = 'Altweg', house_number = '3', postcode = '20095', \
         city = 'Hamburg', language = 'de', payment_term_days = 14, dunning_off = false, einvoice = 'none'",
    )
    .await;
    sql(t, "UPDATE customers SET kind = 'company', company = 'Musterbau GmbH' WHERE id = 2").await;
    sql(t, "UPDATE customers SET dunning_off = true WHERE id = 3").await;
    seller().save(&t.db).await.unwrap();
}

/// A final invoice of 100 € net (119 € gross) for `customer`, issued today.
async fn invoice(t: &TestDb, customer: i32) -> i32 {
    let ctx = t.ctx();
    let input = DraftInput {
        lines: vec![line("Managed Server M", "1", "100", TaxClass::Standard)],
        ..DraftInput::default()
    };
    let id = save_draft(&ctx, STAFF, customer, &input).await.unwrap();
    finalise(&ctx, STAFF, customer, id).await.unwrap();
    id
}

async fn notices(t: &TestDb, invoice: i32) -> Vec<(i32, i64, i64, i64, Option<i32>)> {
    let rows =
        t.db.query_all_raw(Statement::from_string(
            t.db.get_database_backend(),
            format!(
                "SELECT level, fee_cents, flat_cents, interest_cents, fee_invoice_id FROM dunning_notices \
                 WHERE invoice_id = {invoice} ORDER BY level"
            ),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "level").unwrap(),
                r.try_get("", "fee_cents").unwrap(),
                r.try_get("", "flat_cents").unwrap(),
                r.try_get("", "interest_cents").unwrap(),
                r.try_get("", "fee_invoice_id").unwrap(),
            )
        })
        .collect()
}

async fn each_level_is_sent_once_and_charges_go_on_their_own_document(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let consumer = invoice(&t, 1).await;
    let business = invoice(&t, 2).await;
    let business_paid = invoice(&t, 2).await;
    let off = invoice(&t, 3).await;
    let due = business_day() + chrono::Days::new(14);
    let day = |n: u64| due + chrono::Days::new(n);

    // Six days after the due date nothing; on the seventh the reminder, free, for all but the
    // customer with dunning off (whose invoice the outcome names).
    assert_eq!(run(&ctx, day(6)).await.unwrap(), Outcome::default(), "{}", t.backend);
    let o = run(&ctx, day(7)).await.unwrap();
    assert_eq!((o.customers, o.notices, o.fee_documents, o.skipped_off), (2, 3, 0, 1), "{}", t.backend);
    assert_eq!(notices(&t, consumer).await, [(0, 0, 0, 0, None)]);
    assert!(notices(&t, off).await.is_empty(), "{}: dunning off", t.backend);
    // Again the same day, and from a second instance at the same time: nothing more.
    let other_db = clientdesk::db::connect(&t.url()).await.unwrap();
    let other = common::ctx(&other_db);
    let (a, b) = tokio::join!(run(&ctx, day(7)), run(&other, day(7)));
    assert_eq!(a.unwrap().notices + b.unwrap().notices, 0, "{}", t.backend);

    // Paid before the next run: no more notices for it.
    let payment = Payment {
        amount_cents: 11_900,
        method: "transfer".into(),
        booked_on: business_day().to_string(),
        reference: "SEPA-4711".into(),
        invoices: vec![business_paid],
        ..Payment::default()
    };
    book_payment(&ctx, STAFF, 2, &payment).await.unwrap();

    // Fourteen days after the reminder, the first notice. Two instances at once send it once.
    let (a, b) = tokio::join!(run(&ctx, day(21)), run(&other, day(21)));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.notices + b.notices, a.fee_documents + b.fee_documents), (2, 2), "{}", t.backend);
    // The consumer: 2,50 € and 14 days at 1,27 % + 5 = 6,27 % on 119 €: 0,2862 € → 0,29 €.
    let n = notices(&t, consumer).await;
    assert_eq!((n[1].1, n[1].2, n[1].3), (250, 0, 29), "{}", t.backend);
    // The business: the flat 40 € (the 5 € fee is credited against it) and 10,27 %: 0,4687 € → 0,47 €.
    let m = notices(&t, business).await;
    assert_eq!((m[1].1, m[1].2, m[1].3), (0, 4_000, 47), "{}", t.backend);
    assert_eq!(notices(&t, business_paid).await.len(), 1, "{}: paid before the run", t.backend);

    // The charges are a document of their own: numbered in the fee series, not taxable, open,
    // on the ledger; the invoice is untouched.
    let fee = find(&t.db, 1, n[1].4.unwrap()).await.unwrap();
    let year = chrono::Datelike::year(&day(21));
    assert_eq!(fee.kind, "fee");
    assert_eq!(fee.number, Some(format!("MG-{year}-00001")), "{}", t.backend);
    assert_eq!((fee.state.as_str(), fee.net_cents, fee.tax_cents, fee.gross_cents), ("open", 279, 0, 279));
    assert_eq!(
        (fee.tax_mode.as_str(), fee.einvoice.as_str(), fee.mail_state.as_str()),
        ("not_taxable", "none", "none")
    );
    assert_eq!(fee.due_date, Some(day(31)), "{}: the deadline the notice names", t.backend);
    assert_eq!(
        count(&t, &format!("SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = {}", fee.id)).await,
        2
    );
    assert_eq!(
        count(
            &t,
            &format!(
                "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = {} AND category = 'O' AND rate_bp = 0",
                fee.id
            )
        )
        .await,
        2
    );
    let original = find(&t.db, 1, consumer).await.unwrap();
    assert_eq!((original.gross_cents, original.state.as_str()), (11_900, "open"));
    assert_eq!(figures(&t.db, 1).await.unwrap().open_cents, 11_900 + 279, "{}", t.backend);
    assert_eq!(figures(&t.db, 2).await.unwrap().open_cents, 11_900 + 4_047, "{}", t.backend);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM invoices WHERE kind = 'fee'").await, 2);

    // Typeset once, each notice after its fee document, and mailed with it.
    let dir = std::env::temp_dir().join(format!("clientdesk-dunning-{}-{}", t.backend, std::process::id()));
    let store = Store::local(&dir).unwrap();
    assert_eq!(
        dunning_archive::archive_pending(&ctx, &store).await.unwrap(),
        3,
        "{}: the reminders",
        t.backend
    );
    invoice_archive::archive_pending(&ctx, &store).await.unwrap();
    assert_eq!(dunning_archive::archive_pending(&ctx, &store).await.unwrap(), 2, "{}", t.backend);
    assert_eq!(dunning_archive::archive_pending(&ctx, &store).await.unwrap(), 0, "{}: once", t.backend);
    let notice = dunning_notice::Entity::find()
        .filter(dunning_notice::Column::InvoiceId.eq(consumer))
        .filter(dunning_notice::Column::Level.eq(1))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let text = crate::report_pdf::pdf_text(&dunning_archive::archived(&store, &notice).await.unwrap());
    let number = original.number.clone().unwrap();
    for expected in ["1. Mahnung", number.as_str(), "119,00", "2,50", "0,29", "121,79", "MG-"] {
        assert!(text.contains(expected), "{}: {expected} in {text}", t.backend);
    }
    assert_eq!(count(&t, "SELECT COUNT(*) FROM mail_outbox WHERE template = 'dunning_notice'").await, 5);
    let with_fee =
        "SELECT COUNT(*) FROM mail_outbox WHERE template = 'dunning_notice' AND attachments LIKE '%MG-%'";
    assert_eq!(count(&t, with_fee).await, 2, "{}: the fee document goes with its notice", t.backend);
    let _ = std::fs::remove_dir_all(&dir);

    // A fee document is not dunned itself; a cancelled invoice no more.
    cancel(&ctx, STAFF, 1, consumer, "Kulanz").await.unwrap();
    let o = run(&ctx, day(35)).await.unwrap();
    assert_eq!((o.notices, o.fee_documents), (1, 1), "{}: only the business invoice", t.backend);
    assert_eq!(notices(&t, consumer).await.len(), 2);
    // The business's second notice: its 5 € more are still within the 40 €; interest from the
    // day after the first notice: 14 days, 0,47 €.
    let m = notices(&t, business).await;
    assert_eq!((m[2].0, m[2].1, m[2].2, m[2].3), (2, 0, 0, 47), "{}", t.backend);
    // The invoice keeps its level (a status field; its content stays frozen).
    assert_eq!(find(&t.db, 2, business).await.unwrap().dunning_level, Some(2), "{}", t.backend);
    assert_eq!(find(&t.db, 2, business_paid).await.unwrap().dunning_level, Some(0));
    t.finish().await;
}
db_test!(each_level_is_sent_once_and_charges_go_on_their_own_document);

async fn a_notice_is_never_changed_or_deleted(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let id = invoice(&t, 1).await;
    let due = business_day() + chrono::Days::new(14);
    sql(&t, "UPDATE dunning_levels SET by_letter = TRUE WHERE level = 0").await;
    run(&ctx, due + chrono::Days::new(7)).await.unwrap();
    assert_eq!(notices(&t, id).await.len(), 1);
    for change in [
        "UPDATE dunning_notices SET fee_cents = 100",
        "UPDATE dunning_notices SET level = 1",
        "UPDATE dunning_notices SET issued_on = '2020-01-01'",
        "DELETE FROM dunning_notices",
    ] {
        let refused = t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), change)).await;
        assert!(refused.is_err(), "{}: {change}", t.backend);
    }
    // Its mail and letter move on, and its PDF is set once.
    assert_eq!(count(&t, "SELECT COUNT(*) FROM dunning_notices WHERE letter_state = 'to_print'").await, 1);
    sql(&t, "UPDATE dunning_notices SET letter_state = 'printed', mail_state = 'queued'").await;
    sql(&t, "UPDATE dunning_notices SET pdf_sha256 = 'a', pdf_key = 'k'").await;
    let again =
        t.db.execute_raw(Statement::from_string(
            t.db.get_database_backend(),
            "UPDATE dunning_notices SET pdf_sha256 = 'b'",
        ))
        .await;
    assert!(again.is_err(), "{}: a second PDF", t.backend);
    t.finish().await;
}
db_test!(a_notice_is_never_changed_or_deleted);
