//! What the Domains area holds per customer, on SQLite and PostgreSQL: own prices over the list
//! (resolution, Verlauf, undo, conflicts, merge), the domain switches, auth codes (sealed, shown
//! to the customer unless locked, to staff always, every time in the Log) and the warnings row.
use crate::common::TestDb;
use clientdesk::catalogue::tld_model::{PriceCell, TldInput};
use clientdesk::customers::areas::domains::model::{CustomerPriceInput, DomainFlag, DomainInput};
use clientdesk::customers::areas::domains::{authcode, prices, service};
use clientdesk::customers::service::{Actor, seed::seed_customers};
use clientdesk::error::AppError;
use sea_orm::ConnectionTrait;

async fn ending(t: &TestDb, tld: &str, register: &str, renew3: &str) -> i32 {
    let cell = |action: &str, years: i32, amount: &str| PriceCell {
        action: action.into(),
        years,
        amount: amount.into(),
    };
    let input = TldInput {
        tld: tld.into(),
        active: true,
        prices: vec![
            cell("register", 1, register),
            cell("renew", 1, register),
            cell("renew", 3, renew3),
            cell("transfer", 1, register),
        ],
        ..Default::default()
    };
    clientdesk::catalogue::tlds::save(&t.db, &input).await.unwrap()
}

fn own(tld_id: i32, register: &str, transfer: &str, renew: &str, version: i64) -> CustomerPriceInput {
    CustomerPriceInput { tld_id, own: [register.into(), transfer.into(), renew.into()], version }
}

async fn sql(t: &TestDb, statement: &str) {
    t.db.execute_raw(clientdesk::db::stmt(&t.db, statement, vec![])).await.unwrap();
}

/// A customer price per year replaces the list price for that customer only (times the years of
/// the term), shows beside the list price, goes into the Verlauf, is undone from there, refuses
/// a stale version and a wrong amount (changing nothing), and survives a merge where the kept
/// customer's own price wins.
async fn customer_prices_override_the_list(t: TestDb) {
    use clientdesk::customers::areas::history::service::{list as history, undo};
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 29).await.unwrap();
    let de = ending(&t, "de", "0,99", "2,50").await;
    let com = ending(&t, "com", "12,90", "36,00").await;
    let ctx = t.ctx();
    let staff = Actor::Staff(1);

    prices::save(&ctx, staff, 1, &own(de, "", "", "0,79", 0)).await.unwrap();
    assert_eq!(prices::price_for(&t.db, 1, de, "renew", 1).await.unwrap(), Some(79), "own over list");
    assert_eq!(prices::price_for(&t.db, 1, de, "renew", 3).await.unwrap(), Some(237), "per year × 3");
    assert_eq!(prices::price_for(&t.db, 1, de, "register", 1).await.unwrap(), Some(99), "no own: the list");
    assert_eq!(
        prices::price_for(&t.db, 2, de, "renew", 1).await.unwrap(),
        Some(99),
        "another customer: the list"
    );
    assert_eq!(prices::price_for(&t.db, 1, de, "renew", 2).await.unwrap(), Some(158));
    assert_eq!(prices::price_for(&t.db, 2, de, "renew", 2).await.unwrap(), None, "not on the list");

    // The page puts endings with an own price first and shows both prices.
    let page = prices::page(&t.db, 1, 1).await.unwrap();
    assert_eq!(page.total, 2);
    let first = &page.rows[0];
    assert_eq!(
        (first.tld.as_str(), first.list[2], first.own[2], first.version),
        ("de", Some(99), Some(79), 1)
    );
    assert_eq!((page.rows[1].tld.as_str(), page.rows[1].own), ("com", [None, None, None]));

    // Stale versions and wrong amounts change nothing.
    assert!(matches!(
        prices::save(&ctx, staff, 1, &own(de, "", "", "0,69", 0)).await,
        Err(AppError::Conflict { current_version: 1 })
    ));
    match prices::save(&ctx, staff, 1, &own(de, "zwei", "", "0,69", 1)).await {
        Err(AppError::Validation(e)) => {
            assert_eq!((e[0].field.as_str(), e[0].key.as_str()), ("own.register", "tld.price_invalid"))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    match prices::save(&ctx, staff, 1, &own(de, "", "", "100.000,01", 1)).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].field, "own.renew", "over 100,000.00"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(prices::price_for(&t.db, 1, de, "renew", 1).await.unwrap(), Some(79), "nothing changed");

    // Verlauf under the ending, with an undo back to the list price.
    prices::save(&ctx, staff, 1, &own(de, "0,49", "", "0,69", 1)).await.unwrap();
    let changes = history(&t.db, 1, "", 50).await.unwrap();
    let renew: Vec<_> = changes.iter().filter(|c| c.entity == "domain_price" && c.field == "renew").collect();
    assert_eq!(renew.len(), 2, "{}", t.backend);
    assert_eq!((renew[0].old_value.as_str(), renew[0].new_value.as_str()), ("79", "69"));
    assert_eq!(renew[0].subject.as_deref(), Some("de"));
    let register = changes.iter().find(|c| c.entity == "domain_price" && c.field == "register").unwrap();
    undo(&t.ctx(), 1, 1, register.id, clientdesk::customers::service::today(), "").await.unwrap();
    assert_eq!(prices::price_for(&t.db, 1, de, "register", 1).await.unwrap(), Some(99), "back to the list");
    assert_eq!(prices::price_for(&t.db, 1, de, "renew", 1).await.unwrap(), Some(69), "only that field");

    // Merge: customer 2's own price for .de gives way to customer 1's; its .com one moves.
    prices::save(&ctx, staff, 2, &own(de, "", "", "0,10", 0)).await.unwrap();
    prices::save(&ctx, staff, 2, &own(com, "9,90", "", "", 0)).await.unwrap();
    let records = clientdesk::customers::areas::registry::all_records();
    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    for r in records.iter().filter(|r| r.area() == "domains") {
        r.merge(&txn, 2, 1).await.unwrap();
    }
    txn.commit().await.unwrap();
    assert_eq!(prices::price_for(&t.db, 1, de, "renew", 1).await.unwrap(), Some(69), "the kept customer's");
    assert_eq!(prices::price_for(&t.db, 1, com, "register", 1).await.unwrap(), Some(990), "moved over");
    assert_eq!(prices::page(&t.db, 2, 1).await.unwrap().rows.iter().filter(|r| r.version > 0).count(), 0);
    t.finish().await;
}
db_test!(customer_prices_override_the_list);

/// The switches are customer fields at the version shown; the auth code is generated and sealed
/// at the order, shown to the customer unless locked (and not before the domain is with us),
/// to staff always, and each showing is in the Log with who asked and from where.
async fn auth_codes_are_sealed_locked_and_logged(t: TestDb) {
    use clientdesk::customers::areas::log::service::for_customer;
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 31).await.unwrap();
    ending(&t, "de", "0,99", "2,50").await;
    let ctx = t.ctx();
    let staff = Actor::Staff(1);
    let id = service::add(&ctx, staff, 1, &DomainInput { name: "kunde.de".into(), ..Default::default() })
        .await
        .unwrap();
    let stored = service::find(&t.db, 1, id).await.unwrap();
    let code = clientdesk::auth::secrets::open(&stored.authcode).unwrap();
    assert_eq!(code.len(), clientdesk::domains::authcode::LENGTH);
    assert!(!stored.authcode.contains(&code), "kept sealed");

    let customer = Actor::Customer { login_id: 1, by_staff: None };
    let as_customer = || authcode::Asker::Customer { actor: customer, ip: "198.51.100.7" };
    let refused = |r: Result<(String, String), AppError>| match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refused(authcode::reveal(&ctx, 1, id, as_customer()).await),
        "domain.authcode_not_held",
        "only ordered"
    );
    sql(&t, "UPDATE domains SET status = 'active'").await;
    assert_eq!(
        authcode::reveal(&ctx, 1, id, as_customer()).await.unwrap(),
        ("kunde.de".into(), code.clone())
    );

    let version = clientdesk::customers::service::detail(&t.db, 1).await.unwrap().version;
    assert!(matches!(
        service::set_flag(&ctx, staff, 1, version - 1, DomainFlag::AuthcodeLocked, true).await,
        Err(AppError::Conflict { .. })
    ));
    service::set_flag(&ctx, staff, 1, version, DomainFlag::AuthcodeLocked, true).await.unwrap();
    let detail = clientdesk::customers::service::detail(&t.db, 1).await.unwrap();
    assert!(detail.form.authcode_locked && !detail.form.domain_api_enabled);
    let portal = authcode::for_portal(&t.db, 1, 1).await.unwrap();
    assert!(portal.authcode_locked && portal.rows[0].has_authcode);
    assert_eq!(refused(authcode::reveal(&ctx, 1, id, as_customer()).await), "domain.authcode_locked");
    let by_staff = authcode::reveal(&ctx, 1, id, authcode::Asker::Staff { id: 1, ip: "203.0.113.5" }).await;
    assert_eq!(by_staff.unwrap().1, code, "staff may, logged");
    service::set_flag(&ctx, staff, 1, version + 1, DomainFlag::Api, true).await.unwrap();
    assert!(clientdesk::customers::service::detail(&t.db, 1).await.unwrap().form.domain_api_enabled);

    let shown: Vec<_> = for_customer(&t.db, 1, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "domain_authcode_shown")
        .collect();
    assert_eq!(shown.len(), 2, "{}", t.backend);
    assert!(shown.iter().any(|e| e.payload.contains("198.51.100.7") && e.payload.contains("customer")));
    assert!(shown.iter().any(|e| e.payload.contains("203.0.113.5") && e.payload.contains("staff")));
    assert!(shown.iter().all(|e| !e.payload.contains(&code)), "the code is never in the Log");
    let flags = clientdesk::customers::areas::history::service::list(&t.db, 1, "", 50).await.unwrap();
    assert!(flags.iter().any(|c| c.field == "authcode_locked" && c.new_value == "true"), "in the Verlauf");
    t.finish().await;
}
db_test!(auth_codes_are_sealed_locked_and_logged);

/// The warnings row: a renewal due within 30 days (day 30 in, day 31 out), and domains in error
/// with the registry's text; many become one line with a count.
async fn renewals_and_errors_show_in_the_warnings_row(t: TestDb) {
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 37).await.unwrap();
    ending(&t, "de", "0,99", "2,50").await;
    let ctx = t.ctx();
    for name in ["bald.de", "spaeter.de", "kaputt.de", "auch-kaputt.de"] {
        service::add(&ctx, Actor::Staff(1), 1, &DomainInput { name: name.into(), ..Default::default() })
            .await
            .unwrap();
    }
    let day =
        |n: i64| (clientdesk::customers::service::business_day() + chrono::Duration::days(n)).to_string();
    let warnings = || async { clientdesk::customers::service::profile(&t.db, 1).await.unwrap().warnings };
    assert!(
        warnings().await.iter().all(|w| !w.key.starts_with("warning.domain")),
        "ordered ones warn of nothing"
    );
    sql(
        &t,
        &format!(
            "UPDATE domains SET status = 'active', expires_on = '{}' WHERE ace_name = 'bald.de'",
            day(30)
        ),
    )
    .await;
    sql(
        &t,
        &format!(
            "UPDATE domains SET status = 'active', expires_on = '{}' WHERE ace_name = 'spaeter.de'",
            day(31)
        ),
    )
    .await;
    let w = warnings().await;
    let renewal = w.iter().find(|w| w.key == "warning.domain_renewal").expect("day 30 is within");
    assert!(
        renewal.args.contains(&("name".into(), "bald.de".into()))
            && renewal.args.contains(&("date".into(), day(30)))
    );
    sql(&t, "UPDATE domains SET status = 'error', error_text = '2306 Parameter value policy error' WHERE ace_name LIKE '%kaputt.de'")
        .await;
    let w = warnings().await;
    let failed = w.iter().find(|w| w.key == "warning.domain_errors").expect("two in error: one line");
    assert_eq!(failed.tone, "danger");
    assert!(failed.args.contains(&("more".into(), "1".into())), "{:?}", failed.args);
    assert!(failed.args.contains(&("text".into(), "2306 Parameter value policy error".into())));
    t.finish().await;
}
db_test!(renewals_and_errors_show_in_the_warnings_row);

/// The manual registrar: staff confirm a domain registered by hand with the registry's dates;
/// it becomes active, paid until the registry's expiry (or a year on where the registry keeps no
/// term); dates in the wrong order, in the future or a second confirmation are refused.
async fn staff_confirm_a_registration_by_hand(t: TestDb) {
    use clientdesk::customers::areas::domains::model::{DomainConfirm, DomainStatus};
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 43).await.unwrap();
    ending(&t, "de", "0,99", "2,50").await;
    let ctx = t.ctx();
    let staff = Actor::Staff(1);
    let order = |name: &str| DomainInput { name: name.into(), ..Default::default() };
    let de = service::add(&ctx, staff, 1, &order("hand.de")).await.unwrap();
    let com_tld = ending(&t, "com", "12,90", "36,00").await;
    assert!(com_tld > 0);
    let com = service::add(&ctx, staff, 1, &order("hand.com")).await.unwrap();
    let key = |r: Result<(), AppError>| match r {
        Err(AppError::Validation(e)) => (e[0].field.clone(), e[0].key.clone()),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let confirm = |registered: &str, expires: &str, version: i64| DomainConfirm {
        registered_on: registered.into(),
        registry_expires_on: expires.into(),
        version,
    };
    assert_eq!(key(service::confirm(&ctx, staff, 1, de, &confirm("", "", 1)).await).1, "validation.required");
    assert_eq!(
        key(service::confirm(&ctx, staff, 1, com, &confirm("2026-03-01", "2026-03-01", 1)).await),
        ("registry_expires_on".into(), "domain.expiry_before_registration".into())
    );
    assert_eq!(
        key(service::confirm(&ctx, staff, 1, de, &confirm("2999-01-01", "", 1)).await).1,
        "domain.registered_in_future"
    );
    assert!(matches!(
        service::confirm(&ctx, staff, 1, de, &confirm("2026-02-28", "", 7)).await,
        Err(AppError::Conflict { .. })
    ));

    service::confirm(&ctx, staff, 1, de, &confirm("2026-02-28", "", 1)).await.unwrap();
    service::confirm(&ctx, staff, 1, com, &confirm("2026-03-01", "2028-03-01", 1)).await.unwrap();
    let rows = service::list(&t.db, 1, 1).await.unwrap().rows;
    let got: Vec<(&str, DomainStatus, &str, &str)> = rows
        .iter()
        .map(|r| (r.name.as_str(), r.status, r.expires_on.as_str(), r.registry_expires_on.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("hand.com", DomainStatus::Active, "2028-03-01", "2028-03-01"),
            ("hand.de", DomainStatus::Active, "2027-02-28", ""),
        ],
        "{}",
        t.backend
    );
    assert_eq!(
        key(service::confirm(&ctx, staff, 1, de, &confirm("2026-02-28", "", 2)).await).1,
        "domain.not_waiting"
    );
    t.finish().await;
}
db_test!(staff_confirm_a_registration_by_hand);

/// The top search finds a customer by a domain, in Unicode or as its A-label, whole or in part,
/// umlauts spelled out or not; together with the customers found by their own data.
async fn the_search_finds_a_customer_by_a_domain(t: TestDb) {
    use clientdesk::customers::model::ListQuery;
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 59).await.unwrap();
    ending(&t, "de", "0,99", "2,50").await;
    let ctx = t.ctx();
    for (customer, name) in [(2, "Bäckerei-Müller.de"), (3, "zweitfirma-xyz.de")] {
        let order = DomainInput { name: name.into(), ..Default::default() };
        service::add(&ctx, Actor::Staff(1), customer, &order).await.unwrap();
    }
    let numbers = |q: &str| {
        let q = q.to_string();
        let db = t.db.clone();
        async move {
            let page = clientdesk::customers::service::search(&db, &ListQuery { q, ..Default::default() })
                .await
                .unwrap();
            page.rows.into_iter().map(|r| r.id).collect::<Vec<i32>>()
        }
    };
    for q in ["bäckerei-müller.de", "Müller.DE", "mueller", "backerei", "xn--bckerei-mller", "BÄCKEREI"] {
        assert_eq!(numbers(q).await, [2], "{q} on {}", t.backend);
    }
    assert_eq!(numbers("zweitfirma").await, [3]);
    assert!(numbers("keine-solche-domain").await.is_empty());
    // A customer's own data still finds it, next to the domain's owner.
    let own = clientdesk::customers::service::detail(&t.db, 1).await.unwrap().form.last_name.to_lowercase();
    assert!(numbers(&own).await.contains(&1), "{own}");
    t.finish().await;
}
db_test!(the_search_finds_a_customer_by_a_domain);
