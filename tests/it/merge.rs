//! Merging customers on SQLite and PostgreSQL: the preview, the merge itself (every area's rows
//! move, chosen fields win, the old number stays as an alias), and a failure injected after
//! each area, which must leave both customers exactly as they were.
use crate::common::{self, TestDb};
use clientdesk::mail::model::MailKind;

use common::server::call;

use clientdesk::customers::areas::contacts::{model::ContactInput, service as contacts};
use clientdesk::customers::areas::merge::service::{merge, merge_with_fault, preview};
use clientdesk::customers::areas::notes::{
    model::{NoteInput, Priority, Visibility},
    service as notes,
};
use clientdesk::customers::areas::registry::all_records as all;
use clientdesk::customers::report::report;
use clientdesk::customers::service::{Actor, detail, seed::seed_customers, today, update};
use clientdesk::db::stmt;
use clientdesk::error::AppError;
use clientdesk::records::model::{MergeChoice, ReportSection};
use clientdesk::records::progress::Progress;
use sea_orm::ConnectionTrait;

/// Customer 2 gets a bit of everything; customer 3 names 2 as its reseller.
async fn fill(db: &clientdesk::db::Db) {
    common::server::add_staff(db).await;
    seed_customers(db, 3, 41).await.unwrap();
    let note = NoteInput {
        title: "Dublette".into(),
        priority: Priority::Low,
        visibility: Visibility::Hidden,
        ..Default::default()
    };
    notes::save(&crate::common::ctx(db), 1, 2, &note).await.unwrap();
    let contact = ContactInput {
        last_name: "Kontakt".into(),
        email: "kontakt@dublette.test".into(),
        language: "de".into(),
        ..Default::default()
    };
    contacts::save(&crate::common::ctx(db), Actor::Staff(1), 2, &contact, "http://x").await.unwrap();
    clientdesk::customers::areas::emails::compose::send(
        &crate::common::ctx(db),
        1,
        2,
        MailKind::General,
        "Hallo",
        "Text",
    )
    .await
    .unwrap();
    let d = detail(db, 2).await.unwrap();
    let mut form = d.form.clone();
    form.city = "Dublettenhausen".into();
    update(&crate::common::ctx(db), Actor::Staff(1), 2, d.version, &form, today()).await.unwrap();
    for id in [1, 2] {
        clientdesk::events::service::seen_ip(db, id, "192.0.2.7", "login").await.unwrap();
        let email = detail(db, id).await.unwrap().form.email;
        clientdesk::portal::service::create_own_login(db, id, &email).await.unwrap();
    }
    db.execute_raw(stmt(db, "UPDATE customers SET reseller_id = 2 WHERE id = 3", vec![])).await.unwrap();
}

/// Everything stored about customers 1, 2 and 3 (without the report's time).
async fn snapshot(db: &clientdesk::db::Db) -> Vec<Vec<ReportSection>> {
    let mut out = Vec::new();
    for id in [1, 2, 3] {
        out.push(report(db, id).await.unwrap().sections);
    }
    out
}

async fn choice(db: &clientdesk::db::Db) -> MergeChoice {
    MergeChoice {
        keep_id: 1,
        keep_version: detail(db, 1).await.unwrap().version,
        duplicate_id: 2,
        duplicate_version: detail(db, 2).await.unwrap().version,
        take_from_duplicate: vec!["city".into()],
    }
}

async fn a_failure_at_any_point_leaves_both_customers_as_they_were(t: TestDb) {
    fill(&t.db).await;
    let before = snapshot(&t.db).await;
    let c = choice(&t.db).await;
    for n in 0..all().len() {
        match merge_with_fault(&t.ctx(), 1, &c, today(), n).await {
            Err(AppError::Internal) => {}
            other => {
                panic!("{}: expected the injected failure after {n} areas, got {other:?}", t.backend)
            }
        }
        assert_eq!(snapshot(&t.db).await, before, "{}: after a failure after {n} areas", t.backend);
    }
    t.finish().await;
}
db_test!(a_failure_at_any_point_leaves_both_customers_as_they_were);

async fn a_merge_moves_everything_and_keeps_the_old_number_as_an_alias(t: TestDb) {
    fill(&t.db).await;
    let old_number = detail(&t.db, 2).await.unwrap().number;
    let p = preview(&t.db, 1, 2).await.unwrap();
    let moves: Vec<(&str, u64)> = p.moves.iter().map(|(_, table, n)| (table.as_str(), *n)).collect();
    for expected in
        [("notes", 1), ("contacts", 1), ("mail_outbox", 1), ("portal_logins", 1), ("customer_ips", 1)]
    {
        assert!(moves.contains(&expected), "{}: {expected:?} in {moves:?}", t.backend);
    }
    assert!(moves.iter().any(|(table, n)| *table == "changes" && *n >= 1));
    assert!(p.differing.iter().any(|d| d.field == "city" && d.duplicate == "Dublettenhausen"));
    assert!(matches!(preview(&t.db, 1, 1).await, Err(AppError::Validation(_))), "not with itself");

    let mut stale = choice(&t.db).await;
    stale.duplicate_version -= 1;
    assert!(matches!(
        merge(&t.ctx(), 1, &stale, today(), &Progress::none()).await,
        Err(AppError::Conflict { .. })
    ));

    let saved = merge(&t.ctx(), 1, &choice(&t.db).await, today(), &Progress::none()).await.unwrap();
    assert_eq!(saved.detail.form.city, "Dublettenhausen", "the chosen value wins");
    assert!(matches!(detail(&t.db, 2).await, Err(AppError::NotFound)), "the duplicate is gone");
    let r = report(&t.db, 1).await.unwrap();
    let rows = |table: &str| r.sections.iter().find(|s| s.table == table).unwrap().rows.clone();
    assert_eq!(rows("notes")[0]["title"], "Dublette", "{}", t.backend);
    assert_eq!(rows("contacts").len(), 1);
    assert_eq!(rows("customer_aliases")[0]["number"], old_number.as_str());
    let ips = rows("customer_ips");
    assert_eq!((ips.len(), ips[0]["count"].as_i64()), (1, Some(2)), "one address, both counts");
    let logins = rows("portal_logins");
    assert_eq!(logins.len(), 2);
    let active: Vec<bool> = logins.iter().map(|l| l["active"] == true || l["active"] == 1).collect();
    assert_eq!(active.iter().filter(|a| **a).count(), 1, "one own login stays active: {logins:?}");
    let history = clientdesk::customers::areas::history::service::list(&t.db, 1, "", 50).await.unwrap();
    assert!(history.iter().any(|c| c.field == "merged" && c.old_value == old_number));
    assert!(
        history.iter().any(|c| c.new_value == "Dublettenhausen" && c.id < history[0].id),
        "moved history"
    );
    let events = clientdesk::customers::areas::log::service::for_customer(&t.db, 1, 5).await.unwrap();
    assert_eq!(
        (events[0].kind.as_str(), events[0].payload.as_str()),
        ("customers_merged", old_number.as_str())
    );
    let reseller =
        t.db.query_one_raw(stmt(&t.db, "SELECT reseller_id FROM customers WHERE id = 3", vec![]))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(reseller.try_get::<Option<i32>>("", "reseller_id").unwrap(), Some(1));
    t.finish().await;
}
db_test!(a_merge_moves_everything_and_keeps_the_old_number_as_an_alias);

/// Merging into the higher id takes the lower id's lock first, as a billing batch does: while
/// another transaction holds the duplicate (id 1), the merge waits without holding the kept
/// customer (id 2), so a batch holding 1 and waiting for 2 cannot deadlock with it.
async fn a_merge_locks_both_customers_lowest_id_first(t: TestDb) {
    use sea_orm::TransactionTrait;
    fill(&t.db).await;
    let mut c = choice(&t.db).await;
    (c.keep_id, c.keep_version, c.duplicate_id, c.duplicate_version) =
        (c.duplicate_id, c.duplicate_version, c.keep_id, c.keep_version);
    let lock =
        |id: i32, nowait: &str| format!("SELECT id FROM customers WHERE id = {id} FOR NO KEY UPDATE{nowait}");
    let holder = t.db.begin().await.unwrap();
    if t.backend == "postgres" {
        holder.execute_unprepared(&lock(1, "")).await.unwrap();
    }
    let ctx = t.ctx();
    let merging = tokio::spawn(async move { merge(&ctx, 1, &c, today(), &Progress::none()).await });
    if t.backend == "postgres" {
        // Until the merge is seen waiting for a row lock (customer 1's).
        let waiting = "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                       AND wait_event_type = 'Lock'";
        let started = std::time::Instant::now();
        loop {
            let row = t.db.query_one_raw(stmt(&t.db, waiting, vec![])).await.unwrap().unwrap();
            if row.try_get::<i64>("", "n").unwrap() > 0 {
                break;
            }
            assert!(started.elapsed().as_secs() < 20, "the merge never waited for customer 1");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(!merging.is_finished(), "the merge waits for customer 1");
        let other = t.db.begin().await.unwrap();
        other.execute_unprepared(&lock(2, " NOWAIT")).await.expect("customer 2 is not locked yet");
        other.rollback().await.unwrap();
    }
    holder.rollback().await.unwrap();
    let saved = merging.await.unwrap().unwrap();
    assert_eq!(saved.detail.id, 2, "{}", t.backend);
    assert!(matches!(detail(&t.db, 1).await, Err(AppError::NotFound)), "the duplicate is gone");
    t.finish().await;
}
db_test!(a_merge_locks_both_customers_lowest_id_first);

async fn staff_merge_a_suggested_duplicate_and_the_old_number_and_url_still_lead_there(t: TestDb) {
    fill(&t.db).await;
    let old_number = detail(&t.db, 2).await.unwrap().number;
    // Customer 2 shares an IP address with 1; make it share the e-mail address too.
    let d = detail(&t.db, 2).await.unwrap();
    let mut form = d.form.clone();
    form.email = detail(&t.db, 1).await.unwrap().form.email.to_uppercase();
    update(&t.ctx(), Actor::Staff(1), 2, d.version, &form, today()).await.unwrap();

    let srv = common::server::start(t.db.clone()).await;
    let c = common::server::login(&srv).await;
    let found = call(&c, &srv.base, "merge_candidates", serde_json::json!({"id": 1})).await;
    assert_eq!(found[0]["number"], old_number.as_str(), "{}: {found}", t.backend);
    assert_eq!(found[0]["reasons"], serde_json::json!(["email", "ip"]));
    let unknown =
        call(&c, &srv.base, "preview_merge", serde_json::json!({"id": 1, "duplicate": "K-0"})).await;
    assert!(unknown.to_string().contains("merge.unknown"), "{unknown}");
    let p = call(
        &c,
        &srv.base,
        "preview_merge",
        serde_json::json!({"id": 1, "duplicate": old_number.to_lowercase()}),
    )
    .await;
    let choice = serde_json::json!({"choice": {
        "keep_id": 1, "keep_version": p["keep_version"], "duplicate_id": p["duplicate_id"],
        "duplicate_version": p["duplicate_version"], "take_from_duplicate": ["city"]}});
    let saved = call(&c, &srv.base, "merge_customers", choice).await;
    assert_eq!(saved["detail"]["form"]["city"], "Dublettenhausen", "{saved}");

    let res = c.get(format!("{}/customers/2/notes", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/customers/1/notes");
    let hits = call(&c, &srv.base, "search_customers", serde_json::json!({"query": {"q": old_number}})).await;
    assert_eq!(hits["rows"][0]["id"], 1, "{}: the old number finds the kept customer: {hits}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(staff_merge_a_suggested_duplicate_and_the_old_number_and_url_still_lead_there);
