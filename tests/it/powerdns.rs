//! The PowerDNS module against a real PowerDNS (Debian's pdns-server with its SQLite backend,
//! started per test): a DNS product creates the customer's zone with the package's records and
//! it answers over DNS; suspended it answers nothing; unsuspended it answers again; terminated
//! it is gone. A zone made by an earlier attempt is taken as ours; someone else's is never
//! touched. The test checks each state with its own API calls and DNS queries.
use crate::common::pdns::Pdns;
use crate::common::{self, TestDb};
use clientdesk::customers::areas::products::hosting::{add, find, list, request};
use clientdesk::customers::areas::products::hosting_model::*;
use clientdesk::customers::areas::products::hosting_run::{Ran, RunOpts, run_one};
use clientdesk::customers::service::{Actor, seed::seed_customers};
use clientdesk::error::AppError;
use clientdesk::provisioning::Modules;
use reqwest::Method;
use serde_json::json;

async fn setup(t: &TestDb, pdns: &Pdns) -> i32 {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 3).await.unwrap();
    let records = r#"{"records":[{"name":"@","type":"A","content":"192.0.2.10"},{"name":"www","type":"A","content":"192.0.2.10"}]}"#;
    common::hosting::package_with(
        &t.db,
        "powerdns",
        ("127.0.0.1", i32::from(pdns.api_port), &pdns.key),
        r#"{"nameservers":["ns1.example.net","ns2.example.net"]}"#,
        records,
        true,
    )
    .await
}

fn dns(package: i32, domain: &str) -> HostingInput {
    HostingInput {
        package_id: package,
        domain: domain.into(),
        contract_date: "2026-12-01".into(),
        ..Default::default()
    }
}

async fn run(t: &TestDb) -> Option<Ran> {
    run_one(&t.ctx(), &Modules::standard(), &RunOpts::default()).await.unwrap()
}

async fn next(t: &TestDb, id: i32, r: HostingRequest) {
    let version = find(&t.db, 1, id).await.unwrap().version;
    request(&t.ctx(), Actor::Staff(1), 1, (id, version), r, "Missbrauch").await.unwrap();
    assert!(matches!(run(t).await, Some(Ran::Job { status: JobStatus::Done, .. })), "{r:?}");
}

async fn a_zone_is_created_suspended_unsuspended_and_removed(t: TestDb) {
    let pdns = Pdns::start().await;
    let package = setup(&t, &pdns).await;
    let staff = Actor::Staff(1);
    let refused = add(&t.ctx(), staff, 1, &dns(package, "")).await;
    assert!(
        matches!(&refused, Err(AppError::Validation(e)) if e[0].field == "domain"),
        "a DNS package needs a domain"
    );

    let id = add(&t.ctx(), staff, 1, &dns(package, "Kunde-Eins.DE")).await.unwrap();
    assert!(matches!(run(&t).await, Some(Ran::Job { status: JobStatus::Done, .. })), "{}", t.backend);
    let row = &list(&t.db, 1, 1).await.unwrap().rows[0];
    assert_eq!(
        (row.status, row.domain.as_str(), row.external_ref.as_str()),
        (HostingStatus::Active, "kunde-eins.de", "kunde-eins.de.")
    );
    let (status, body) = pdns.api(Method::GET, "/zones/kunde-eins.de.", None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("ns2.example.net.") && body.contains("\"account\": \"clientdesk:"), "{body}");
    assert_eq!(pdns.query("kunde-eins.de", 1).await, (0, 1), "the apex answers");
    assert_eq!(pdns.query("www.kunde-eins.de", 1).await, (0, 1));
    // The same domain a second time on the server: refused.
    let twice = add(&t.ctx(), staff, 1, &dns(package, "kunde-eins.de")).await;
    assert!(matches!(&twice, Err(AppError::Validation(e)) if e[0].key == "hosting.domain_taken"));

    next(&t, id, HostingRequest::Suspend).await;
    let (rcode, answers) = pdns.query("kunde-eins.de", 1).await;
    assert_eq!((rcode == 0, answers), (false, 0), "a suspended zone answers nothing (rcode {rcode})");
    assert_eq!(pdns.query("kunde-eins.de", 6).await.1, 0);

    next(&t, id, HostingRequest::Unsuspend).await;
    assert_eq!(pdns.query("kunde-eins.de", 1).await, (0, 1));

    next(&t, id, HostingRequest::Terminate).await;
    assert_eq!(pdns.api(Method::GET, "/zones/kunde-eins.de.", None).await.0, 404);
    assert_eq!(pdns.query("kunde-eins.de", 1).await.1, 0);
    t.finish().await;
}
db_test!(a_zone_is_created_suspended_unsuspended_and_removed);

async fn an_own_zone_is_taken_and_a_foreign_one_left_alone(t: TestDb) {
    let pdns = Pdns::start().await;
    let package = setup(&t, &pdns).await;
    let staff = Actor::Staff(1);
    // A zone an earlier attempt made (it names our hosting) counts as created.
    let id = add(&t.ctx(), staff, 1, &dns(package, "schon-da.de")).await.unwrap();
    let ours = json!({"name": "schon-da.de.", "kind": "Native", "nameservers": [], "account": format!("clientdesk:{id}")});
    assert_eq!(pdns.api(Method::POST, "/zones", Some(ours)).await.0, 201);
    assert!(matches!(run(&t).await, Some(Ran::Job { status: JobStatus::Done, .. })), "{}", t.backend);
    assert_eq!(pdns.query("schon-da.de", 1).await, (0, 1), "and got the package's records");

    // Someone else's zone of the same name: the job fails for good, the zone stays as it was.
    let foreign = json!({"name": "fremd.de.", "kind": "Native", "nameservers": ["ns.anderer.de."], "account": "someone"});
    assert_eq!(pdns.api(Method::POST, "/zones", Some(foreign)).await.0, 201);
    let other = add(&t.ctx(), staff, 1, &dns(package, "fremd.de")).await.unwrap();
    assert!(matches!(run(&t).await, Some(Ran::Job { status: JobStatus::Failed, .. })));
    let row = list(&t.db, 1, 1).await.unwrap().rows.into_iter().find(|r| r.id == other).unwrap();
    assert_eq!(row.status, HostingStatus::Failed);
    assert!(row.last_job.unwrap().last_error.contains("not ours"));
    let (_, body) = pdns.api(Method::GET, "/zones/fremd.de.", None).await;
    assert!(body.contains("\"account\": \"someone\"") && body.contains("ns.anderer.de."), "{body}");
    // Removing our failed hosting ends it and leaves the foreign zone as it was.
    let version = find(&t.db, 1, other).await.unwrap().version;
    request(&t.ctx(), staff, 1, (other, version), HostingRequest::Terminate, "").await.unwrap();
    assert!(matches!(run(&t).await, Some(Ran::Job { status: JobStatus::Done, .. })));
    assert_eq!(find(&t.db, 1, other).await.unwrap().status, "terminated");
    assert_eq!(pdns.api(Method::GET, "/zones/fremd.de.", None).await.0, 200);
    t.finish().await;
}
db_test!(an_own_zone_is_taken_and_a_foreign_one_left_alone);

/// Eigene Nameserver: a customer's DNS zone is served under the customer's own nameservers (the
/// NS records say so over DNS), with glue for the one inside the zone; a domain ordered for the
/// customer carries them to the registrar.
async fn own_nameservers_serve_the_customers_zones(t: TestDb) {
    use clientdesk::customers::service::{detail, today, update};
    let pdns = Pdns::start().await;
    let package = setup(&t, &pdns).await;
    let staff = Actor::Staff(1);
    let current = detail(&t.db, 1).await.unwrap();
    let mut form = current.form.clone();
    form.own_nameservers = "NS1.kunde-ns.de, ns2.extern-dns.net".into();
    form.own_nameserver_glue = "ns1.kunde-ns.de 192.0.2.53 2001:db8::53".into();
    update(&t.ctx(), staff, 1, current.version, &form, today()).await.unwrap();

    add(&t.ctx(), staff, 1, &dns(package, "kunde-ns.de")).await.unwrap();
    assert!(matches!(run(&t).await, Some(Ran::Job { status: JobStatus::Done, .. })), "{}", t.backend);
    assert_eq!(
        pdns.records("kunde-ns.de", 2).await,
        ["ns1.kunde-ns.de", "ns2.extern-dns.net"],
        "NS over DNS"
    );
    assert_eq!(pdns.records("ns1.kunde-ns.de", 1).await, ["192.0.2.53"], "glue A");
    assert_eq!(pdns.records("ns1.kunde-ns.de", 28).await, ["2001:db8::53"], "glue AAAA");
    assert_eq!(pdns.records("www.kunde-ns.de", 1).await, ["192.0.2.10"], "the package's records too");

    // Another customer without own nameservers keeps the server's.
    clientdesk::customers::service::seed::seed_customers(&t.db, 1, 5).await.unwrap();
    add(&t.ctx(), staff, 2, &dns(package, "anderer.de")).await.unwrap();
    assert!(matches!(run(&t).await, Some(Ran::Job { status: JobStatus::Done, .. })));
    assert_eq!(pdns.records("anderer.de", 2).await, ["ns1.example.net", "ns2.example.net"]);

    // A domain ordered for the customer carries the own nameservers with their glue.
    let com =
        clientdesk::catalogue::tld_model::TldInput { tld: "de".into(), active: true, ..Default::default() };
    clientdesk::catalogue::tlds::save(&t.db, &com).await.unwrap();
    let order = clientdesk::customers::areas::domains::model::DomainInput {
        name: "kunde-ns.de".into(),
        ..Default::default()
    };
    let id = clientdesk::customers::areas::domains::service::add(&t.ctx(), staff, 1, &order).await.unwrap();
    let stored = clientdesk::customers::areas::domains::service::find(&t.db, 1, id).await.unwrap();
    let ns: serde_json::Value = serde_json::from_str(&stored.nameservers).unwrap();
    assert_eq!(
        ns,
        json!([{"host": "ns1.kunde-ns.de", "ips": ["192.0.2.53", "2001:db8::53"]}, {"host": "ns2.extern-dns.net", "ips": []}])
    );
    t.finish().await;
}
db_test!(own_nameservers_serve_the_customers_zones);
