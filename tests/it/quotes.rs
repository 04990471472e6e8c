//! Quotes (Angebote) on SQLite and PostgreSQL: a draft is checked and priced; sending numbers it
//! in its own series and freezes it (the database refuses any change); the archive typesets and
//! mails it once; the customer's acceptance, twice at once, is recorded once with their address
//! and yields one draft invoice with the one-time lines and the first period of each recurring
//! line (whose item it creates); staff answer only with a reason; the daily job expires what
//! was not answered in time; any quote is duplicated into a new draft.
use crate::common::{self, TestDb, fields_of};
use crate::invoice_pdf::count;
use crate::invoices::{seller, sql};
use clientdesk::billing::invoices::{finalise, lines_of as invoice_lines};
use clientdesk::billing::model::{QuoteInput, QuoteLineInput, Unit};
use clientdesk::billing::quote_decision::{Decider, decide, expire};
use clientdesk::billing::quotes::{delete_draft, draft_input, duplicate, find, save_draft, send};
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::areas::quotes::service::{for_portal, list};
use clientdesk::customers::service::business_day;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::documents::quote_archive::{archive_pending, archived};
use clientdesk::events::actor::Actor;
use clientdesk::storage::Store;
use sea_orm::{ConnectionTrait, Statement};

const STAFF: Actor = Actor::Staff(1);
const CUSTOMER: Actor = Actor::Customer { login_id: 1, by_staff: None };

fn line(description: &str, price: &str, interval: Option<Unit>, count: u32) -> QuoteLineInput {
    QuoteLineInput {
        description: description.into(),
        quantity: "1".into(),
        unit_price: price.into(),
        tax_class: TaxClass::Standard,
        interval,
        interval_count: count,
    }
}

fn days(n: u64) -> String {
    (business_day() + chrono::Days::new(n)).to_string()
}

async fn setup(t: &TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 17).await.unwrap();
    sql(
        t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'company', \
         company = 'Musterbau GmbH', taxation = 'normal', street = 'Werkstraße', house_number = '5', \
         postcode = '20095', city = 'Hamburg', language = 'de'",
    )
    .await;
    seller().save(&t.db).await.unwrap();
}

async fn a_quote_is_sent_frozen_accepted_once_and_becomes_a_draft_invoice(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    // Every mistake named, nothing stored.
    let bad = QuoteInput {
        valid_until: (business_day() - chrono::Days::new(1)).to_string(),
        lines: vec![
            line("", "abc", Some(Unit::Months), 0),
            QuoteLineInput { quantity: "-1".into(), ..line("Rückgabe", "5", Some(Unit::Months), 1) },
        ],
        ..QuoteInput::default()
    };
    let mut refused = fields_of(save_draft(&ctx, STAFF, 1, &bad).await);
    refused.sort();
    let expected = [
        ("lines.0.description", "invoices.line_description"),
        ("lines.0.interval_count", "items.interval_count"),
        ("lines.0.unit_price", "invoices.line_price"),
        ("lines.1.quantity", "quotes.recurring_quantity"),
        ("valid_until", "quotes.valid_until_past"),
    ];
    assert_eq!(refused, expected.map(|(f, k)| (f.to_string(), k.to_string())), "{}", t.backend);
    // A year and a day ahead is too far: 366 days at most.
    let far =
        QuoteInput { valid_until: days(367), lines: vec![line("X", "1", None, 0)], ..QuoteInput::default() };
    let err = save_draft(&ctx, STAFF, 1, &far).await.unwrap_err();
    assert!(format!("{err:?}").contains("366"), "{err:?}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM quotes").await, 0);

    // 49,00 € once and 9,99 € monthly: 58,99 € net, 11,21 € VAT (19 %), 70,20 € gross.
    // Left empty, a quote is valid for 30 days.
    let input = QuoteInput {
        valid_until: String::new(),
        lines: vec![line("Einrichtung", "49", None, 0), line("Webhosting M", "9,99", Some(Unit::Months), 1)],
        note: "Preise gelten bei Annahme bis Monatsende.".into(),
        ..QuoteInput::default()
    };
    let id = save_draft(&ctx, STAFF, 1, &input).await.unwrap();
    let q = find(&t.db, 1, id).await.unwrap();
    assert_eq!((q.net_cents, q.tax_cents, q.gross_cents), (5_899, 1_121, 7_020), "{}", t.backend);
    assert_eq!(q.valid_until.to_string(), days(30));
    let stored = draft_input(&t.db, 1, id).await.unwrap();
    assert_eq!(stored.lines[1].interval, Some(Unit::Months));
    assert_eq!(stored.lines[1].unit_price, "9,99");

    let number = send(&ctx, STAFF, 1, id).await.unwrap();
    let year = chrono::Datelike::year(&business_day());
    assert_eq!(number, format!("AN-{year}-00001"), "{}: its own series", t.backend);
    let q = find(&t.db, 1, id).await.unwrap();
    assert_eq!((q.state.as_str(), q.mail_state.as_str()), ("sent", "pending"));
    // Sent is final: refused by the service, and by the database.
    let again = QuoteInput { id: Some(id), version: q.version, ..input.clone() };
    assert_eq!(fields_of(save_draft(&ctx, STAFF, 1, &again).await)[0].1, "quotes.already_sent");
    assert_eq!(fields_of(delete_draft(&ctx, 1, id).await)[0].1, "quotes.already_sent");
    for change in [
        format!("UPDATE quotes SET gross_cents = 1 WHERE id = {id}"),
        format!("UPDATE quotes SET valid_until = '2099-01-01' WHERE id = {id}"),
        format!("UPDATE quote_lines SET net_cents = 1 WHERE quote_id = {id}"),
        format!("DELETE FROM quote_lines WHERE quote_id = {id}"),
        format!("DELETE FROM quotes WHERE id = {id}"),
    ] {
        let r = t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), change.clone())).await;
        assert!(r.is_err(), "{}: {change}", t.backend);
    }

    // Archived once: the PDF says what is offered and how often; the mail carries it.
    let dir = std::env::temp_dir().join(format!("clientdesk-quotes-{}-{}", t.backend, std::process::id()));
    let store = Store::local(&dir).unwrap();
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 1);
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 0, "once");
    let q = find(&t.db, 1, id).await.unwrap();
    let text = crate::report_pdf::pdf_text(&archived(&store, &q).await.unwrap());
    for expected in ["Angebot", number.as_str(), "Webhosting M", "monatlich", "Gültig bis", "70,20"] {
        assert!(text.contains(expected), "{}: {expected} in {text}", t.backend);
    }
    let mails =
        "SELECT COUNT(*) FROM mail_outbox WHERE template = 'quote_sent' AND attachments LIKE '%.pdf%'";
    assert_eq!(count(&t, mails).await, 1, "{}", t.backend);
    let again = format!("UPDATE quotes SET pdf_sha256 = 'x' WHERE id = {id}");
    let r = t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), again)).await;
    assert!(r.is_err(), "{}: the PDF is set once", t.backend);

    // Another customer's quote does not exist for them; drafts are not in the portal.
    let other =
        decide(&ctx, 2, id, true, Decider::Customer { actor: CUSTOMER, ip: "192.0.2.9" }, "", business_day());
    assert!(matches!(other.await, Err(clientdesk::error::AppError::NotFound)));
    let draft = save_draft(&ctx, STAFF, 1, &input).await.unwrap();
    assert_eq!(for_portal(&t.db, 1, 1).await.unwrap().total, 1);
    assert_eq!(list(&t.db, 1, 1).await.unwrap().total, 2);

    // Accepted twice at once (two app instances): once, with one draft invoice.
    let other_db = clientdesk::db::connect(&t.url()).await.unwrap();
    let other = common::ctx(&other_db);
    let today = business_day();
    let who = Decider::Customer { actor: CUSTOMER, ip: "198.51.100.7" };
    let (a, b) =
        tokio::join!(decide(&ctx, 1, id, true, who, "", today), decide(&other, 1, id, true, who, "", today));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.invoice_id, b.invoice_id, "{}", t.backend);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM invoices WHERE source = 'quote'").await, 1, "{}", t.backend);
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM events WHERE kind = 'quote_accepted' AND ip = '198.51.100.7'").await,
        1
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM billing_items WHERE customer_id = 1").await, 1);
    other_db.close().await.ok();
    let q = find(&t.db, 1, id).await.unwrap();
    assert_eq!(
        (q.state.as_str(), q.decided_ip.as_deref(), q.decided_by_kind.as_deref()),
        ("accepted", Some("198.51.100.7"), Some("customer"))
    );
    let declined = decide(&ctx, 1, id, false, who, "", today).await;
    assert_eq!(fields_of(declined)[0].1, "quotes.already_decided");
    // An answer is final for the database too, and names its invoice once.
    for change in [
        format!("UPDATE quotes SET state = 'sent' WHERE id = {id}"),
        format!("UPDATE quotes SET state = 'declined' WHERE id = {id}"),
        format!("UPDATE quotes SET decided_reason = 'anders' WHERE id = {id}"),
        format!("UPDATE quotes SET invoice_id = NULL, state = 'sent' WHERE id = {id}"),
    ] {
        let r = t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), change.clone())).await;
        assert!(r.is_err(), "{}: {change}", t.backend);
    }

    // The draft: the one-time line as it is, the monthly one's first period from today, linked
    // to its new item; finalised, the item moves on to its second period.
    let invoice = a.invoice_id.unwrap();
    let lines = invoice_lines(&t.db, invoice).await.unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0].description.as_str(), lines[0].billing_item_id), ("Einrichtung", None));
    let month_end = today.checked_add_months(chrono::Months::new(1)).unwrap() - chrono::Days::new(1);
    assert_eq!((lines[1].service_from, lines[1].service_to), (Some(today), Some(month_end)), "{}", t.backend);
    assert!(lines[1].billing_item_id.is_some());
    let done = finalise(&ctx, STAFF, 1, invoice).await.unwrap();
    assert_eq!(done.gross_cents, 7_020, "{}: the quote's total", t.backend);
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM billing_items WHERE customer_id = 1 AND periods_billed = 1").await,
        1
    );

    // A duplicate is a new draft with the same lines, valid for 30 days.
    let copy = duplicate(&ctx, STAFF, 1, id).await.unwrap();
    let c = find(&t.db, 1, copy).await.unwrap();
    assert_eq!((c.state.as_str(), c.number.as_deref(), c.gross_cents), ("draft", None, 7_020));
    assert_eq!(c.valid_until.to_string(), days(30));
    delete_draft(&ctx, 1, draft).await.unwrap();
    assert_eq!(list(&t.db, 1, 1).await.unwrap().total, 2, "{}", t.backend);
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(a_quote_is_sent_frozen_accepted_once_and_becomes_a_draft_invoice);

async fn staff_answer_with_a_reason_and_unanswered_quotes_expire(t: TestDb) {
    setup(&t).await;
    let ctx = t.ctx();
    let today = business_day();
    let input = |valid: u64| QuoteInput {
        valid_until: days(valid),
        lines: vec![line("Beratung", "120", None, 0)],
        ..QuoteInput::default()
    };
    let a = save_draft(&ctx, STAFF, 1, &input(10)).await.unwrap();
    let staff = Decider::Staff { id: 1, ip: "203.0.113.1" };
    assert_eq!(fields_of(decide(&ctx, 1, a, true, staff, "zugesagt", today).await)[0].1, "quotes.not_sent");
    send(&ctx, STAFF, 1, a).await.unwrap();
    assert_eq!(fields_of(decide(&ctx, 1, a, false, staff, " ", today).await)[0].1, "quotes.reason_required");
    let long = "x".repeat(501);
    assert_eq!(fields_of(decide(&ctx, 1, a, false, staff, &long, today).await)[0].1, "quotes.reason_long");
    let d = decide(&ctx, 1, a, false, staff, "Kunde hat telefonisch abgesagt", today).await.unwrap();
    assert_eq!((d.accepted, d.invoice_id), (false, None));
    let row = &list(&t.db, 1, 1).await.unwrap().rows[0];
    assert_eq!(row.decided_reason, "Kunde hat telefonisch abgesagt");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM invoices").await, 0, "{}: declining bills nothing", t.backend);

    // Valid until today: open today, expired by the job tomorrow, then not to be accepted.
    let b = save_draft(&ctx, STAFF, 1, &input(0)).await.unwrap();
    send(&ctx, STAFF, 1, b).await.unwrap();
    assert_eq!(expire(&ctx, today).await.unwrap(), 0, "{}: still valid today", t.backend);
    let tomorrow = today + chrono::Days::new(1);
    let who = Decider::Customer { actor: CUSTOMER, ip: "198.51.100.7" };
    assert_eq!(fields_of(decide(&ctx, 1, b, true, who, "", tomorrow).await)[0].1, "quotes.expired");
    assert_eq!(expire(&ctx, tomorrow).await.unwrap(), 1);
    assert_eq!(expire(&ctx, tomorrow).await.unwrap(), 0, "once");
    assert_eq!(find(&t.db, 1, b).await.unwrap().state, "expired");
    assert_eq!(fields_of(decide(&ctx, 1, b, true, who, "", tomorrow).await)[0].1, "quotes.expired");
    // A quote whose validity has passed is not sent either.
    let c = save_draft(&ctx, STAFF, 1, &input(0)).await.unwrap();
    let late = clientdesk::billing::quotes::number_in(&t.db, STAFF, 1, c, tomorrow).await;
    assert_eq!(fields_of(late)[0].1, "quotes.valid_until_past");
    t.finish().await;
}
db_test!(staff_answer_with_a_reason_and_unanswered_quotes_expire);
