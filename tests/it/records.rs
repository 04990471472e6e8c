//! The customer-records registry against the live schema on SQLite and PostgreSQL: every table
//! column that refers to a customer is claimed by exactly one area, and the data report holds
//! each area's rows without secrets.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::registry::all_records as all;
use clientdesk::customers::report::report;
use clientdesk::customers::service::seed::seed_customers;
use sea_orm::{FromQueryResult, JsonValue};
use std::collections::BTreeSet;

/// (table, column) of every column named customer_id or referring to customers, read from the
/// database itself.
async fn customer_references(t: &common::TestDb) -> BTreeSet<(String, String)> {
    let sql = if t.backend == "sqlite" {
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND p.name = 'customer_id' \
         UNION SELECT m.name, f.\"from\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
         WHERE m.type = 'table' AND f.\"table\" = 'customers'"
    } else {
        "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
         WHERE table_schema = 'public' AND column_name = 'customer_id' \
         UNION SELECT c.conrelid::regclass::text, a.attname::text FROM pg_constraint c \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) \
         WHERE c.contype = 'f' AND c.confrelid = 'customers'::regclass"
    };
    let stmt = sea_orm::Statement::from_string(t.db.get_database_backend(), sql);
    JsonValue::find_by_statement(stmt)
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r["t"].as_str().unwrap().to_string(), r["c"].as_str().unwrap().to_string()))
        .collect()
}

async fn every_customer_reference_in_the_schema_is_claimed_by_one_area(t: TestDb) {
    let mut claimed = BTreeSet::new();
    for area in all() {
        for claim in area.claims() {
            let key = (claim.table.to_string(), claim.column.to_string());
            assert!(claimed.insert(key.clone()), "{key:?} is claimed twice");
        }
    }
    let mut live = customer_references(&t).await;
    // The master record itself is the customer (claimed through its id).
    live.insert(("customers".into(), "id".into()));
    let unclaimed: Vec<_> = live.difference(&claimed).collect();
    assert!(unclaimed.is_empty(), "{}: no area claims {unclaimed:?}", t.backend);
    let stale: Vec<_> = claimed.difference(&live).collect();
    assert!(stale.is_empty(), "{}: claims without a table: {stale:?}", t.backend);
    t.finish().await;
}
db_test!(every_customer_reference_in_the_schema_is_claimed_by_one_area);

async fn the_report_holds_every_area_and_no_secret(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 31).await.unwrap();
    use clientdesk::customers::areas::notes::model::{NoteInput, Priority, Visibility};
    let note = NoteInput {
        title: "Rückruf".into(),
        priority: Priority::Low,
        visibility: Visibility::Hidden,
        ..Default::default()
    };
    clientdesk::customers::areas::notes::service::save(&t.ctx(), 1, 1, &note).await.unwrap();
    let r = report(&t.db, 1).await.unwrap();
    let tables: BTreeSet<&str> = r.sections.iter().map(|s| s.table.as_str()).collect();
    for table in ["customers", "notes", "changes", "events", "mail_outbox", "portal_logins", "sessions"] {
        assert!(tables.contains(table), "{}: {table} missing from {tables:?}", t.backend);
    }
    let customer = &r.sections.iter().find(|s| s.table == "customers").unwrap().rows;
    assert_eq!(customer.len(), 1, "only the customer's own record");
    assert!(
        customer[0].contains_key("email") && !customer[0].contains_key("api_key_hash"),
        "secrets are withheld"
    );
    let notes = &r.sections.iter().find(|s| s.table == "notes").unwrap().rows;
    assert_eq!(notes[0]["title"], "Rückruf", "{}", t.backend);
    let other = report(&t.db, 2).await.unwrap();
    assert!(other.sections.iter().find(|s| s.table == "notes").unwrap().rows.is_empty());
    t.finish().await;
}
db_test!(the_report_holds_every_area_and_no_secret);

async fn the_vcard_download_parses_back_to_the_customer_and_its_contacts(t: TestDb) {
    use clientdesk::customers::areas::contacts::{model::ContactInput, service::save};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 32).await.unwrap();
    let contact = ContactInput {
        first_name: "Jörg".into(),
        last_name: "Semikolon; Komma, Test".into(),
        email: "joerg@x.test".into(),
        phone: "+49 40 555".into(),
        position: "Technik".into(),
        language: "de".into(),
        ..Default::default()
    };
    let staff = clientdesk::customers::service::Actor::Staff(1);
    save(&t.ctx(), staff, 1, &contact, "http://x").await.unwrap();
    let detail = clientdesk::customers::service::detail(&t.db, 1).await.unwrap();

    let srv = common::server::start(t.db.clone()).await;
    let anon = common::server::client(&srv.base);
    let res = anon.get(format!("{}/documents/customers/1/vcard", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 303, "anonymous is sent to the login");
    let c = common::server::login(&srv).await;
    let res = c.get(format!("{}/documents/customers/1/vcard", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains(&detail.number));
    let text = res.text().await.unwrap();
    let cards = vcard4::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(cards.len(), 2, "{}: customer and contact", t.backend);
    assert_eq!(cards[0].formatted_name[0].value, detail.display_name);
    assert_eq!(cards[0].email[0].value, detail.form.email);
    assert!(text.contains("VERSION:4.0"));
    assert_eq!(cards[1].formatted_name[0].value, "Jörg Semikolon; Komma, Test", "escaping survives");
    assert_eq!(cards[1].email[0].value, "joerg@x.test");
    assert_eq!(cards[1].role[0].value, "Technik");
    let missing = c.get(format!("{}/documents/customers/999/vcard", srv.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    drop(srv);
    t.finish().await;
}
db_test!(the_vcard_download_parses_back_to_the_customer_and_its_contacts);

async fn the_data_report_downloads_for_permitted_staff_and_is_logged(t: TestDb) {
    common::server::add_staff(&t.db).await;
    clientdesk::staff::service::add_staff(&t.db, "leser@x.test", "Lea Leser", "leser-passwort-1", "readonly")
        .await
        .unwrap();
    seed_customers(&t.db, 2, 33).await.unwrap();
    let srv = common::server::start(t.db.clone()).await;
    let reader = common::server::login_as(&srv.base, "leser@x.test", "leser-passwort-1").await;
    let url = format!("{}/documents/customers/2/report.json", srv.base);
    assert_eq!(reader.post(&url).send().await.unwrap().status(), 403, "read-only staff may not");

    let c = common::server::login(&srv).await;
    // Issuing a report is logged: a link (a plain GET, also one on another site) cannot issue
    // it, nor can a form posted from another site.
    assert_eq!(c.get(&url).send().await.unwrap().status(), 405);
    let foreign = c.post(&url).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(foreign.status(), 403);
    assert!(clientdesk::customers::areas::log::service::for_customer(&t.db, 2, 10).await.unwrap().is_empty());
    let res = c.post(&url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", t.backend);
    let report: clientdesk::records::model::Report = res.json().await.unwrap();
    let customer = &report.sections.iter().find(|s| s.table == "customers").unwrap().rows[0];
    assert_eq!(customer["number"], report.customer_number.as_str());
    let events = clientdesk::customers::areas::log::service::for_customer(&t.db, 2, 10).await.unwrap();
    assert_eq!(events[0].kind, "data_report_issued");
    assert_eq!(events[0].actor_name, "Anna Albers");
    assert_eq!(
        reader
            .post(format!("{}/documents/customers/999/report.json", srv.base))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        c.post(format!("{}/documents/customers/999/report.json", srv.base)).send().await.unwrap().status(),
        404
    );
    drop(srv);
    t.finish().await;
}
db_test!(the_data_report_downloads_for_permitted_staff_and_is_logged);
