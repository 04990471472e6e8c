//! "Kunde löschen" on SQLite and PostgreSQL: the preview says what happens per class of data and
//! the erasure does exactly that (deleted now, blocked for 6 or 8 years, master record
//! anonymised with its number kept, an erasure record without personal data); the retention job
//! removes what is due once a day under a lock; the outright delete only for accounts without
//! business data; over HTTP the customer's login ends at once and nobody can act as them.
use crate::common::{self, TestDb};
use clientdesk::mail::model::MailKind;

use chrono::Datelike;
use clientdesk::customers::areas::contacts::{model::ContactInput, service as contacts};
use clientdesk::customers::areas::erase::retention::{JobOutcome, run_daily};
use clientdesk::customers::areas::erase::service::{erase, preview};
use clientdesk::customers::areas::notes::{
    model::{NoteInput, Priority, Visibility},
    service as notes,
};
use clientdesk::customers::report::report;
use clientdesk::customers::service::{Actor, detail, seed::seed_customers, today, update};
use clientdesk::db::{Db, stmt};
use clientdesk::error::AppError;
use clientdesk::records::model::{ErasureRequest, Fate, ReportSection};
use clientdesk::records::progress::Progress;
use sea_orm::ConnectionTrait;

/// Customer 2 gets a bit of everything, with sent invoice, product and general mails and one
/// still queued; customer 3 names 2 as its reseller.
async fn fill(db: &Db) {
    common::server::add_staff(db).await;
    seed_customers(db, 3, 43).await.unwrap();
    let note = NoteInput {
        title: "Rückruf".into(),
        priority: Priority::Low,
        visibility: Visibility::Hidden,
        ..Default::default()
    };
    notes::save(&crate::common::ctx(db), 1, 2, &note).await.unwrap();
    let contact = ContactInput {
        last_name: "Kontakt".into(),
        email: "kontakt@loeschen.test".into(),
        language: "de".into(),
        portal_access: true,
        ..Default::default()
    };
    contacts::save(&crate::common::ctx(db), Actor::Staff(1), 2, &contact, "http://x").await.unwrap();
    for kind in [MailKind::Invoices, MailKind::Products, MailKind::General] {
        clientdesk::customers::areas::emails::compose::send(
            &crate::common::ctx(db),
            1,
            2,
            kind,
            &format!("Mail {kind}"),
            "Text",
        )
        .await
        .unwrap();
    }
    common::server::deliver_mail(db).await;
    clientdesk::customers::areas::emails::compose::send(
        &crate::common::ctx(db),
        1,
        2,
        MailKind::Dunning,
        "Noch nicht gesendet",
        "Text",
    )
    .await
    .unwrap();
    let d = detail(db, 2).await.unwrap();
    let mut form = d.form.clone();
    form.city = "Löschhausen".into();
    update(&crate::common::ctx(db), Actor::Staff(1), 2, d.version, &form, today()).await.unwrap();
    clientdesk::events::service::seen_ip(db, 2, "192.0.2.9", "login").await.unwrap();
    clientdesk::portal::service::create_own_login(db, 2, &d.form.email).await.unwrap();
    db.execute_raw(stmt(db, "UPDATE customers SET reseller_id = 2 WHERE id = 3", vec![])).await.unwrap();
}

async fn request(db: &Db, id: i32, hard_delete: bool) -> ErasureRequest {
    ErasureRequest {
        customer_id: id,
        version: detail(db, id).await.unwrap().version,
        request_ref: "Ticket 4711".into(),
        hard_delete,
    }
}

fn rows<'a>(sections: &'a [ReportSection], table: &str) -> &'a [serde_json::Map<String, serde_json::Value>] {
    sections.iter().find(|s| s.table == table).map(|s| s.rows.as_slice()).unwrap_or(&[])
}

fn year_end(years: i32) -> String {
    format!("{}-12-31", chrono::Utc::now().year() + years)
}

async fn erasure_deletes_what_has_no_duty_blocks_the_rest_and_keeps_the_number(t: TestDb) {
    fill(&t.db).await;
    // A mail sent before kinds were stored: kept as long as the longest duty.
    let legacy = "INSERT INTO mail_outbox (customer_id, template, kind, to_addr, cc, subject, body, status, attempts, \
                  last_error, created_at, sent_at) VALUES (2, 'custom', 'legacy', 'x@x.test', '', 'Alt', 'B', 'sent', 1, '', $1, $1)";
    t.db.execute_raw(stmt(&t.db, legacy, vec![chrono::Utc::now().into()])).await.unwrap();
    let before = detail(&t.db, 2).await.unwrap();
    let others = (report(&t.db, 1).await.unwrap().sections, report(&t.db, 3).await.unwrap().sections);

    let p = preview(&t.db, 2).await.unwrap();
    let fate =
        |table: &str, f: &Fate| p.items.iter().find(|i| i.table == table && &i.fate == f).map(|i| i.rows);
    let blocked = |class: &str, years| Fate::Blocked { class: class.into(), until: year_end(years) };
    assert_eq!(fate("mail_outbox", &blocked("accounting", 8)), Some(2), "{}: {:?}", t.backend, p.items);
    assert_eq!(fate("mail_outbox", &blocked("business_letters", 6)), Some(1));
    // The general mail, the contact's invitation and the unsent dunning mail.
    assert_eq!(fate("mail_outbox", &Fate::Deleted), Some(3));
    assert_eq!(fate("customers", &Fate::Anonymised), Some(1));
    for table in
        ["notes", "contacts", "changes", "events", "customer_ips", "portal_logins", "password_resets"]
    {
        assert!(fate(table, &Fate::Deleted).is_some(), "{}: {table} in {:?}", t.backend, p.items);
    }
    assert!(!p.hard_delete_possible, "business data: no outright delete");

    let mut stale = request(&t.db, 2, false).await;
    stale.version -= 1;
    assert!(matches!(erase(&t.ctx(), 1, &stale, &Progress::none()).await, Err(AppError::Conflict { .. })));
    let no_ref = ErasureRequest { request_ref: " ".into(), ..request(&t.db, 2, false).await };
    assert!(
        matches!(erase(&t.ctx(), 1, &no_ref, &Progress::none()).await, Err(AppError::Validation(e)) if e[0].key == "erase.ref_required")
    );
    let hard = request(&t.db, 2, true).await;
    assert!(
        matches!(erase(&t.ctx(), 1, &hard, &Progress::none()).await, Err(AppError::Validation(e)) if e[0].key == "erase.hard_not_possible")
    );
    assert!(detail(&t.db, 2).await.unwrap().erased_at.is_none(), "{}: refused changes nothing", t.backend);

    let done = erase(&t.ctx(), 1, &request(&t.db, 2, false).await, &Progress::none()).await.unwrap();
    assert_eq!(done.outcome, "anonymised");
    assert_eq!(done.items, p.items, "{}: the erasure did what the preview said", t.backend);

    let after = detail(&t.db, 2).await.unwrap();
    assert_eq!(after.number, before.number, "the number stays");
    assert!(after.erased_at.is_some());
    assert_eq!(
        (after.form.last_name.as_str(), after.form.email.as_str(), after.form.city.as_str()),
        ("", "", "")
    );
    let r = report(&t.db, 2).await.unwrap().sections;
    for table in ["notes", "note_versions", "contacts", "changes", "customer_ips", "portal_logins"] {
        assert!(rows(&r, table).is_empty(), "{}: {table} is empty: {:?}", t.backend, rows(&r, table));
    }
    assert_eq!(rows(&r, "events").len(), 1, "only the erasure itself");
    assert_eq!(rows(&r, "events")[0]["kind"], "customer_erased");
    let mails: Vec<&str> = rows(&r, "mail_outbox").iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(mails, ["invoices", "products", "legacy"], "{}", t.backend);
    assert_eq!(rows(&r, "retention").len(), 3);
    let record = &rows(&r, "erasures")[0];
    assert_eq!(
        (record["request_ref"].as_str(), record["outcome"].as_str()),
        (Some("Ticket 4711"), Some("anonymised"))
    );
    let text = serde_json::to_string(record).unwrap();
    for personal in [&before.form.email, &before.form.last_name, "Löschhausen"] {
        assert!(!text.contains(personal), "{}: the erasure record holds no {personal}", t.backend);
    }
    assert_eq!(
        (report(&t.db, 1).await.unwrap().sections, report(&t.db, 3).await.unwrap().sections),
        others,
        "{}: other customers are untouched",
        t.backend
    );

    // Blocked mails are for accounting only; nothing of the customer can change any more.
    assert!(clientdesk::mail::outbox::for_customer(&t.db, 2, 50, false).await.unwrap().is_empty());
    let shown = clientdesk::mail::outbox::for_customer(&t.db, 2, 50, true).await.unwrap();
    assert_eq!(
        shown.iter().filter_map(|m| m.blocked_until.clone()).collect::<Vec<_>>(),
        [year_end(8), year_end(6), year_end(8)]
    );
    let erased = |r: Result<_, AppError>| matches!(r, Err(AppError::Validation(e)) if e[0].key == "erase.customer_erased");
    assert!(erased(
        update(&t.ctx(), Actor::Staff(1), 2, after.version, &before.form, today()).await.map(|_| ())
    ));
    assert!(erased(
        notes::save(
            &t.ctx(),
            1,
            2,
            &NoteInput {
                title: "x".into(),
                priority: Priority::Low,
                visibility: Visibility::Hidden,
                ..Default::default()
            }
        )
        .await
        .map(|_| ())
    ));
    assert!(erased(
        clientdesk::customers::areas::emails::compose::send(
            &t.ctx(),
            1,
            2,
            MailKind::General,
            "Hallo",
            "Text"
        )
        .await
        .map(|_| ())
    ));
    assert!(erased(erase(&t.ctx(), 1, &request(&t.db, 2, false).await, &Progress::none()).await.map(|_| ())));
    assert!(erased(clientdesk::customers::areas::merge::service::preview(&t.db, 1, 2).await.map(|_| ())));
    t.finish().await;
}
db_test!(erasure_deletes_what_has_no_duty_blocks_the_rest_and_keeps_the_number);

async fn the_retention_job_removes_what_is_due_once_a_day(t: TestDb) {
    fill(&t.db).await;
    erase(&t.ctx(), 1, &request(&t.db, 2, false).await, &Progress::none()).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    assert_eq!(run_daily(&t.db, today).await.unwrap(), JobOutcome::Ran { deleted: 0 }, "{}", t.backend);
    assert_eq!(run_daily(&t.db, today).await.unwrap(), JobOutcome::AlreadyRan, "once a day");

    // After the six years of the product mail, before the eight of the invoice mail.
    let after_six = chrono::NaiveDate::parse_from_str(&year_end(6), "%Y-%m-%d").unwrap().succ_opt().unwrap();
    if t.backend == "postgres" {
        // Another instance holds the job's lock: this one skips at once.
        use sea_orm::TransactionTrait;
        let other = t.db.begin().await.unwrap();
        let lock = stmt(
            &other,
            "SELECT pg_advisory_xact_lock($1)",
            vec![clientdesk::customers::areas::erase::retention::LOCK_KEY.into()],
        );
        other.execute_raw(lock).await.unwrap();
        assert_eq!(run_daily(&t.db, after_six).await.unwrap(), JobOutcome::Locked);
        other.rollback().await.unwrap();
    }
    assert_eq!(run_daily(&t.db, after_six).await.unwrap(), JobOutcome::Ran { deleted: 1 }, "{}", t.backend);
    let r = report(&t.db, 2).await.unwrap().sections;
    let kinds: Vec<&str> = rows(&r, "mail_outbox").iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["invoices"]);
    assert_eq!(rows(&r, "retention").len(), 1);
    let after_eight =
        chrono::NaiveDate::parse_from_str(&year_end(8), "%Y-%m-%d").unwrap().succ_opt().unwrap();
    assert_eq!(run_daily(&t.db, after_eight).await.unwrap(), JobOutcome::Ran { deleted: 1 });
    let r = report(&t.db, 2).await.unwrap().sections;
    assert!(rows(&r, "mail_outbox").is_empty() && rows(&r, "retention").is_empty());
    assert_eq!(rows(&r, "erasures").len(), 1, "the erasure record stays");
    assert!(
        detail(&t.db, 2).await.unwrap().erased_at.is_some(),
        "the anonymised record with its number stays"
    );
    t.finish().await;
}
db_test!(the_retention_job_removes_what_is_due_once_a_day);

async fn an_account_without_business_data_can_be_deleted_outright(t: TestDb) {
    fill(&t.db).await;
    // Customer 1: a note and a general mail only; customer 3 named 2, now 1, as reseller.
    let note = NoteInput {
        title: "Test".into(),
        priority: Priority::Low,
        visibility: Visibility::Hidden,
        ..Default::default()
    };
    notes::save(&t.ctx(), 1, 1, &note).await.unwrap();
    clientdesk::customers::areas::emails::compose::send(&t.ctx(), 1, 1, MailKind::General, "Hallo", "Text")
        .await
        .unwrap();
    common::server::deliver_mail(&t.db).await;
    t.db.execute_raw(stmt(&t.db, "UPDATE customers SET reseller_id = 1 WHERE id = 3", vec![])).await.unwrap();
    let number = detail(&t.db, 1).await.unwrap().number;
    assert!(preview(&t.db, 1).await.unwrap().hard_delete_possible);
    let done = erase(&t.ctx(), 1, &request(&t.db, 1, true).await, &Progress::none()).await.unwrap();
    assert_eq!(done.outcome, "hard_deleted");
    assert!(matches!(detail(&t.db, 1).await, Err(AppError::NotFound)), "{}", t.backend);
    assert_eq!(detail(&t.db, 3).await.unwrap().form.reseller_number, "", "no link to a deleted customer");
    let lost = clientdesk::customers::areas::history::service::list(&t.db, 3, "", 5).await.unwrap();
    assert_eq!((lost[0].field.as_str(), lost[0].old_value.as_str()), ("reseller_number", number.as_str()));
    let gone: Vec<(&str, &Fate)> = done.items.iter().map(|i| (i.table.as_str(), &i.fate)).collect();
    assert!(gone.contains(&("customers", &Fate::Deleted)), "{gone:?}");
    let record =
        t.db.query_one_raw(stmt(
            &t.db,
            "SELECT customer_number, outcome FROM erasures WHERE customer_id = 1",
            vec![],
        ))
        .await
        .unwrap()
        .expect("the erasure record stays");
    assert_eq!(record.try_get::<String>("", "customer_number").unwrap(), number);
    assert_eq!(record.try_get::<String>("", "outcome").unwrap(), "hard_deleted");
    t.finish().await;
}
db_test!(an_account_without_business_data_can_be_deleted_outright);

async fn over_http_the_login_ends_at_once_and_nobody_acts_as_an_erased_customer(t: TestDb) {
    use common::portal::{customer_with_password, login_step};
    use common::server::{call, login, start};
    use serde_json::json;
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 44).await.unwrap();
    let srv = start(t.db.clone()).await;
    let staff = login(&srv).await;
    let (customer, email) = customer_with_password(&staff, &srv.base, &t.db, 2).await;
    assert_eq!(login_step(&customer, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    assert_eq!(
        call(&customer, &srv.base, "portal_profile", json!({})).await["number"],
        detail(&t.db, 2).await.unwrap().number
    );

    clientdesk::customers::areas::emails::compose::send(
        &t.ctx(),
        1,
        2,
        MailKind::Invoices,
        "Rechnung 1",
        "Text",
    )
    .await
    .unwrap();
    common::server::deliver_mail(&t.db).await;
    let p = call(&staff, &srv.base, "preview_erasure", json!({"id": 2})).await;
    assert!(p["items"].as_array().unwrap().iter().any(|i| i["table"] == "sessions"), "{}: {p}", t.backend);
    let order = |hard: bool| json!({"request": {"customer_id": 2, "version": p["version"], "request_ref": "Brief vom 1.11.", "hard_delete": hard}});
    clientdesk::staff::service::add_staff(
        &t.db,
        "support@x.test",
        "Sam Support",
        "support-passwort-1",
        "support",
    )
    .await
    .unwrap();
    let support = common::server::login_as(&srv.base, "support@x.test", "support-passwort-1").await;
    assert_eq!(
        call(&support, &srv.base, "erase_customer", order(true)).await,
        json!("Forbidden"),
        "only administrators delete outright"
    );
    let done = call(&support, &srv.base, "erase_customer", order(false)).await;
    assert_eq!(done["outcome"], "anonymised", "{}: {done}", t.backend);
    // The blocked invoice mail: accounting (here the administrator) sees it, support not.
    let report =
        |c: &reqwest::Client| c.post(format!("{}/documents/customers/2/report.json", srv.base)).send();
    let in_report = |r: serde_json::Value| {
        r["sections"].as_array().unwrap().iter().find(|s| s["table"] == "mail_outbox").unwrap()["rows"]
            .clone()
    };
    let supported: serde_json::Value = report(&support).await.unwrap().json().await.unwrap();
    assert_eq!(in_report(supported), json!([]), "{}: blocked rows stay out of support's report", t.backend);
    let full: serde_json::Value = report(&staff).await.unwrap().json().await.unwrap();
    assert_eq!(in_report(full)[0]["subject"], "Rechnung 1");
    let attempts = stmt(
        &t.db,
        "SELECT COUNT(*) AS n FROM login_attempts WHERE email = $1",
        vec![email.to_lowercase().into()],
    );
    let n: i64 = t.db.query_one_raw(attempts).await.unwrap().unwrap().try_get("", "n").unwrap();
    assert_eq!(n, 0, "{}: the login attempts with the address are gone", t.backend);
    let hidden = call(&support, &srv.base, "customer_mails", json!({"id": 2})).await;
    assert_eq!(hidden, json!([]), "{}", t.backend);
    let kept = call(&staff, &srv.base, "customer_mails", json!({"id": 2})).await;
    assert_eq!(kept[0]["subject"], "Rechnung 1", "{kept}");
    assert!(kept[0]["blocked_until"].as_str().is_some_and(|d| d.ends_with("-12-31")), "{kept}");

    let after = call(&customer, &srv.base, "portal_profile", json!({})).await;
    assert_eq!(after, json!("Unauthenticated"), "{}: the portal session ended at once", t.backend);
    assert_ne!(
        login_step(&customer, &srv.base, &email, "kunden-passwort-1").await,
        "/portal",
        "no login any more"
    );
    let res = staff
        .post(format!("{}/portal/auth/impersonate", srv.base))
        .form(&[("customer_id", "2"), ("reason", "Kunde ruft an")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/customers/2/data?notice=impersonate.erased");
    let profile = call(&staff, &srv.base, "get_customer", json!({"id": 2})).await;
    assert_eq!(profile["warnings"][0]["key"], "warning.erased", "{profile}");
    drop(srv);
    t.finish().await;
}
db_test!(over_http_the_login_ends_at_once_and_nobody_acts_as_an_erased_customer);
