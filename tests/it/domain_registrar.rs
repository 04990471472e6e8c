//! Domains through the EPP registrar module and the job worker, against the test suite's EPP
//! registry (tests/it/common/epp.rs, itself checked by pyepp), on SQLite and PostgreSQL: an order
//! is registered and comes back active with the registry's dates; a create whose answer was lost
//! is not created twice; a renewal moves the expiry once, however often it runs; a transfer with
//! a wrong auth code ends in error with the registry's words; the right one brings the domain in;
//! a deletion ends it. The job log holds codes and messages, never an auth code.
use crate::common::TestDb;
use crate::common::epp::EppServer;
use chrono::{Duration, Months, NaiveDate, Utc};
use clientdesk::catalogue::registrar_model::RegistrarInput;
use clientdesk::catalogue::tld_model::TldInput;
use clientdesk::customers::areas::domains::jobs::{Ran, run_one};
use clientdesk::customers::areas::domains::model::{DomainInput, DomainJobAction, DomainOrder, DomainStatus};
use clientdesk::customers::areas::domains::service::{add, find, list, request};
use clientdesk::customers::service::{Actor, seed::seed_customers};
use clientdesk::db::entities::domain_log;
use clientdesk::provisioning::JobStatus;
use clientdesk::provisioning::registrar::Registrars;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The test registry as a registrar over TLS (saved as the settings page saves it), and `.com`
/// sold through it.
async fn registry(t: &TestDb, server: &EppServer) {
    let input = RegistrarInput {
        name: "Test-Registry".into(),
        module: "epp".into(),
        host: "localhost".into(),
        port: i32::from(server.tls_port),
        username: "clientdesk".into(),
        secret: "s3cret-pw".into(),
        fields: vec![("ca_pem".into(), server.ca_pem.clone()), ("registrant".into(), "CD-OWNER-1".into())],
        active: true,
        ..Default::default()
    };
    let registrar_id = clientdesk::catalogue::registrars::save(&t.db, &input).await.unwrap();
    let com = TldInput {
        tld: "com".into(),
        active: true,
        terms: true,
        registrar_id: Some(registrar_id),
        ..Default::default()
    };
    clientdesk::catalogue::tlds::save(&t.db, &com).await.unwrap();
}

async fn run(t: &TestDb, at: Option<chrono::DateTime<Utc>>) -> Ran {
    run_one(&t.ctx(), &Registrars::standard(), at).await.unwrap().expect("a job is due")
}

async fn domain_of(t: &TestDb, ace: &str) -> clientdesk::customers::areas::domains::model::DomainRow {
    list(&t.db, 1, 1).await.unwrap().rows.into_iter().find(|r| r.ace == ace).expect("listed")
}

async fn the_epp_registrar_registers_renews_transfers_and_deletes(t: TestDb) {
    let server = EppServer::start().await;
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 47).await.unwrap();
    registry(&t, &server).await;
    let ctx = t.ctx();
    let staff = Actor::Staff(1);

    // Ordered: queued for the registrar at once, then registered by the worker.
    let order = |name: &str| DomainInput { name: name.into(), auto_renew: true, ..Default::default() };
    let id = add(&ctx, staff, 1, &order("Kunde-EPP.com")).await.unwrap();
    assert_eq!(domain_of(&t, "kunde-epp.com").await.status, DomainStatus::RegistrationPending);
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }), "{}", t.backend);
    let row = domain_of(&t, "kunde-epp.com").await;
    assert_eq!(row.status, DomainStatus::Active);
    let held = server.domain("kunde-epp.com").expect("at the registry");
    // A year from today as the registry counts it (its day is UTC's).
    let in_a_year = held.expiry();
    assert_eq!(in_a_year, Utc::now().date_naive().checked_add_months(Months::new(12)).unwrap());
    assert_eq!(row.registry_expires_on, in_a_year.to_string());
    assert_eq!(row.expires_on, in_a_year.to_string(), "paid until the registry's expiry");
    assert_eq!((held.owner.as_str(), held.registrant.as_str()), ("clientdesk", "CD-OWNER-1"));
    let code = clientdesk::auth::secrets::open(&find(&t.db, 1, id).await.unwrap().authcode).unwrap();
    assert_eq!(held.auth_info, code, "our sealed code is the registry's");

    // A create whose answer was lost: retried, found ours, not created twice.
    server.drop_after_next("create");
    add(&ctx, staff, 1, &order("verloren.com")).await.unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Queued, .. }), "transient");
    assert_eq!(domain_of(&t, "verloren.com").await.status, DomainStatus::RegistrationPending);
    let later = Some(Utc::now() + Duration::minutes(10));
    assert!(matches!(run(&t, later).await, Ran::Job { status: JobStatus::Done, .. }));
    assert_eq!(domain_of(&t, "verloren.com").await.status, DomainStatus::Active);
    let creates = server.commands().iter().filter(|c| c.ends_with("create")).count();
    assert_eq!(creates, 3, "two orders, one repeated; the repeat was refused as existing");

    // Renew 2 years, the answer lost once: the expiry moves by two years exactly once.
    let version = find(&t.db, 1, id).await.unwrap().version;
    server.drop_after_next("renew");
    request(&ctx, staff, 1, id, version, DomainJobAction::Renew, 2).await.unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Queued, .. }));
    assert!(matches!(run(&t, later).await, Ran::Job { status: JobStatus::Done, .. }));
    let renewed = in_a_year.checked_add_months(Months::new(24)).unwrap();
    assert_eq!(server.domain("kunde-epp.com").unwrap().expiry(), renewed, "renewed once");
    let row = domain_of(&t, "kunde-epp.com").await;
    assert_eq!(
        (row.registry_expires_on.as_str(), row.expires_on.as_str()),
        (renewed.to_string().as_str(), renewed.to_string().as_str())
    );
    // A second open job for the domain is refused; out-of-range terms too.
    let version = find(&t.db, 1, id).await.unwrap().version;
    request(&ctx, staff, 1, id, version, DomainJobAction::Sync, 1).await.unwrap();
    let refused = request(&ctx, staff, 1, id, version + 1, DomainJobAction::Renew, 1).await;
    assert!(
        matches!(refused, Err(clientdesk::error::AppError::Validation(ref e)) if e[0].key == "domain.job_open"),
        "{refused:?}"
    );
    let refused = request(&ctx, staff, 1, id, version + 1, DomainJobAction::Renew, 11).await;
    assert!(
        matches!(refused, Err(clientdesk::error::AppError::Validation(ref e)) if e[0].key == "domain.years_invalid")
    );
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }), "the sync");
    assert!(domain_of(&t, "kunde-epp.com").await.error_text.is_empty());

    // A transfer with a wrong code ends in error with the registry's words; the right one
    // brings the domain in.
    let expires = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    server.add_foreign("umzug-epp.com", "Richtig-123!", expires);
    server.add_foreign("umzug-zwei.com", "Auch-richtig-9", expires);
    let transfer = |name: &str, code: &str| DomainInput {
        name: name.into(),
        order: DomainOrder::Transfer,
        authcode: code.into(),
        auto_renew: true,
    };
    add(&ctx, staff, 1, &transfer("umzug-epp.com", "Falsch-000")).await.unwrap();
    assert_eq!(domain_of(&t, "umzug-epp.com").await.status, DomainStatus::TransferPending);
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Failed, .. }));
    let failed = domain_of(&t, "umzug-epp.com").await;
    assert_eq!(failed.status, DomainStatus::Error);
    assert!(failed.error_text.starts_with("2202 Invalid authorization information"), "{}", failed.error_text);
    assert_eq!(server.domain("umzug-epp.com").unwrap().owner, crate::common::epp::FOREIGN, "still theirs");
    add(&ctx, staff, 1, &transfer("umzug-zwei.com", "Auch-richtig-9")).await.unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }));
    let moved = domain_of(&t, "umzug-zwei.com").await;
    assert_eq!(moved.status, DomainStatus::Active);
    assert_eq!(server.domain("umzug-zwei.com").unwrap().owner, "clientdesk");
    // The code it came with no longer moves it: it carries our own now.
    let own = clientdesk::auth::secrets::open(&find_by(&t, "umzug-zwei.com").await.authcode).unwrap();
    assert_eq!(server.domain("umzug-zwei.com").unwrap().auth_info, own);
    assert_ne!(own, "Auch-richtig-9");
    assert_eq!(moved.registry_expires_on, expires.checked_add_months(Months::new(12)).unwrap().to_string());

    // Deleted at the registry: the domain has ended, its name may be ordered again.
    let version = find(&t.db, 1, id).await.unwrap().version;
    request(&ctx, staff, 1, id, version, DomainJobAction::Delete, 1).await.unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }));
    assert_eq!(domain_of(&t, "kunde-epp.com").await.status, DomainStatus::Deleted);
    assert!(server.domain("kunde-epp.com").is_none());
    assert!(run_one(&t.ctx(), &Registrars::standard(), None).await.unwrap().is_none(), "nothing left");

    // The job log names commands, codes and the registry's messages, never a code.
    let lines =
        domain_log::Entity::find().filter(domain_log::Column::CustomerId.eq(1)).all(&t.db).await.unwrap();
    assert!(
        lines.iter().any(|l| l.message.starts_with("1000 ") && l.message.contains("svTRID")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.message.contains("2202")));
    for secret in [code.as_str(), "Falsch-000", "Auch-richtig-9", "s3cret-pw"] {
        assert!(lines.iter().all(|l| !l.message.contains(secret)), "{secret} in the log");
    }
    let kinds: Vec<String> = clientdesk::customers::areas::log::service::for_customer(&t.db, 1, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    for kind in
        ["domain_registered", "domain_renewed", "domain_failed", "domain_transferred", "domain_deleted"]
    {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in the Log");
    }
    t.finish().await;
}
db_test!(the_epp_registrar_registers_renews_transfers_and_deletes);

/// The customer changes a registered domain's nameservers and, with contact management on, its
/// Tech-C in the self-service area: in the Verlauf as the customer's change, and a job brings the
/// registry to it; wrong input changes nothing.
async fn the_customer_changes_nameservers_and_the_registry_follows(t: TestDb) {
    use clientdesk::customers::areas::domains::model::{DomainFlag, PortalDomainInput};
    use clientdesk::customers::areas::domains::service::{portal_change, set_flag};
    let server = EppServer::start().await;
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 53).await.unwrap();
    registry(&t, &server).await;
    let ctx = t.ctx();
    let order = DomainInput { name: "selbst.com".into(), ..Default::default() };
    let id = add(&ctx, Actor::Staff(1), 1, &order).await.unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }));
    let customer = Actor::Customer { login_id: 1, by_staff: None };
    let version = find(&t.db, 1, id).await.unwrap().version;
    let change = |ns: &str, tech: &str, version: i64| PortalDomainInput {
        nameservers: ns.into(),
        tech_handle: tech.into(),
        zone_handle: String::new(),
        version,
    };
    for (wrong, key) in [
        ("ns1.example.net", "domain.nameserver_count"),
        ("ns1.example.net\nkein name", "domain.nameserver_invalid"),
    ] {
        match portal_change(&ctx, customer, 1, id, &change(wrong, "", version)).await {
            Err(clientdesk::error::AppError::Validation(e)) => assert_eq!(e[0].key, key, "{wrong}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    // Without contact management the handle is not taken.
    portal_change(&ctx, customer, 1, id, &change("NS1.example.net\nns2.example.net", "CD-TECH-9", version))
        .await
        .unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }), "{}", t.backend);
    let held = server.domain("selbst.com").unwrap();
    assert_eq!(held.ns, ["ns1.example.net", "ns2.example.net"]);
    assert!(held.contacts.iter().all(|(_, c)| c != "CD-TECH-9"));
    assert_eq!(find(&t.db, 1, id).await.unwrap().tech_handle, "");

    let customer_version = clientdesk::customers::service::detail(&t.db, 1).await.unwrap().version;
    set_flag(&ctx, Actor::Staff(1), 1, customer_version, DomainFlag::Contacts, true).await.unwrap();
    let version = find(&t.db, 1, id).await.unwrap().version;
    portal_change(&ctx, customer, 1, id, &change("ns1.example.net\nns3.example.org", "CD-TECH-9", version))
        .await
        .unwrap();
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }));
    let held = server.domain("selbst.com").unwrap();
    assert_eq!(held.ns, ["ns1.example.net", "ns3.example.org"]);
    assert!(held.contacts.iter().any(|(kind, c)| kind == "tech" && c == "CD-TECH-9"), "{:?}", held.contacts);
    let changes = clientdesk::customers::areas::history::service::list(&t.db, 1, "", 50).await.unwrap();
    let ns =
        changes.iter().find(|c| c.entity == "domain" && c.field == "nameservers").expect("in the Verlauf");
    assert_eq!(ns.new_value, "ns1.example.net ns3.example.org");
    assert!(ns.actor_kind == "customer", "{}", ns.actor_kind);
    t.finish().await;
}
db_test!(the_customer_changes_nameservers_and_the_registry_follows);

/// The daily lifecycle: an auto-renewing domain's renewal is queued 14 days before the registry's
/// expiry (day 14 in, day 15 not yet; once, however often the day runs) and renewed by the
/// worker; one without auto-renew expires the day after it is paid until, and goes into
/// redemption after the ending's 30 grace days (day 30 still expired, day 31 redemption).
async fn the_daily_lifecycle_renews_expires_and_redeems(t: TestDb) {
    use clientdesk::customers::areas::domains::lifecycle::run as lifecycle;
    let server = EppServer::start().await;
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 61).await.unwrap();
    registry(&t, &server).await;
    let sql = "UPDATE tlds SET grace_days = 30";
    t.db.execute_raw(clientdesk::db::stmt(&t.db, sql, vec![])).await.unwrap();
    let ctx = t.ctx();
    for name in ["bald.com", "spaeter.com", "ohne.com"] {
        let order = DomainInput { name: name.into(), auto_renew: name != "ohne.com", ..Default::default() };
        add(&ctx, Actor::Staff(1), 1, &order).await.unwrap();
        assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }));
    }
    let today = clientdesk::customers::service::business_day();
    let expiry = server.domain("bald.com").unwrap().expiry();
    // As if a year had passed: today is 14 days before bald.com's expiry, 15 before spaeter.com's.
    let day = expiry - chrono::Days::new(14);
    let later = expiry.checked_add_days(chrono::Days::new(1)).unwrap();
    // Bound from Rust: SQLite compares the stored text, so it must be written as the app writes it.
    let at = |d: NaiveDate| d.and_hms_opt(12, 0, 0).unwrap().and_utc();
    for (name, registry) in [("bald.com", at(expiry)), ("spaeter.com", at(later))] {
        let sql = "UPDATE domains SET registry_expires_at = $1 WHERE ace_name = $2";
        t.db.execute_raw(clientdesk::db::stmt(&t.db, sql, vec![registry.into(), name.into()])).await.unwrap();
    }
    let run_day = |d: NaiveDate| {
        let db = t.db.clone();
        async move {
            let txn = sea_orm::TransactionTrait::begin(&db).await.unwrap();
            let done = lifecycle(&txn, d).await.unwrap();
            txn.commit().await.unwrap();
            done
        }
    };
    assert_eq!(run_day(day).await.renewals_queued, 1, "{}", t.backend);
    assert_eq!(run_day(day).await.renewals_queued, 0, "once");
    assert!(matches!(run(&t, None).await, Ran::Job { status: JobStatus::Done, .. }));
    assert_eq!(
        server.domain("bald.com").unwrap().expiry(),
        expiry.checked_add_months(Months::new(12)).unwrap()
    );
    assert!(server.domain("spaeter.com").unwrap().expiry() == expiry, "not yet");

    // ohne.com is paid until a year from its registration.
    let paid = find_by(&t, "ohne.com").await.expires_on.unwrap();
    assert!(paid > today);
    assert_eq!(run_day(paid).await.expired, 0, "paid until that day");
    assert_eq!(run_day(paid + chrono::Days::new(1)).await.expired, 1);
    assert_eq!(domain_of(&t, "ohne.com").await.status, DomainStatus::Expired);
    assert_eq!(run_day(paid + chrono::Days::new(30)).await.redemption, 0, "day 30 of grace");
    assert_eq!(run_day(paid + chrono::Days::new(31)).await.redemption, 1);
    assert_eq!(domain_of(&t, "ohne.com").await.status, DomainStatus::Redemption);
    t.finish().await;
}
db_test!(the_daily_lifecycle_renews_expires_and_redeems);

async fn find_by(t: &TestDb, ace: &str) -> clientdesk::db::entities::domain::Model {
    let id = domain_of(t, ace).await.id;
    find(&t.db, 1, id).await.unwrap()
}
