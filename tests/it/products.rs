//! Produkte on SQLite and PostgreSQL: licences get generated keys and are found by them in the
//! customer search, edits are version-checked and recorded in the Verlauf (and undone through
//! it), the list is paged, and merge and erasure treat licences as contracts.
use crate::common::{self, TestDb};
use clientdesk::catalogue::model::{ProductInput, ReleaseInput};
use clientdesk::catalogue::service as catalogue;
use clientdesk::customers::areas::erase::service::preview;
use clientdesk::customers::areas::history::service::{list as history, undo};
use clientdesk::customers::areas::products::model::{BillingCycle, LicenceInput, LicenceStatus, PAGE_SIZE};
use clientdesk::customers::areas::products::service::{list, save};
use clientdesk::customers::model::ListQuery;
use clientdesk::customers::service::{self as customers, Actor, seed::seed_customers, today};
use clientdesk::error::AppError;
use clientdesk::licensing::key;
use clientdesk::records::model::Fate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn product(t: &TestDb, slug: &str) -> i32 {
    let input = ProductInput { slug: slug.into(), name: format!("Produkt {slug}"), ..Default::default() };
    let id = catalogue::save(&t.db, &input).await.unwrap();
    let release =
        ReleaseInput { version: "2.0".into(), released_on: "2026-10-01".into(), notes: String::new() };
    catalogue::add_release(&t.db, 1, id, &release).await.unwrap();
    id
}

fn licence(product_id: i32) -> LicenceInput {
    LicenceInput {
        product_id,
        version_bought: "2.0".into(),
        current_version: "2.0".into(),
        contract_date: "2026-01-31".into(),
        status: LicenceStatus::Active,
        billing_cycle: BillingCycle::Yearly,
        update_service: true,
        ..Default::default()
    }
}

async fn numbers(t: &TestDb, q: &str) -> Vec<String> {
    let query = ListQuery { q: q.into(), ..Default::default() };
    customers::search(&t.db, &query).await.unwrap().rows.into_iter().map(|r| r.number).collect()
}

async fn licences_have_keys_conflicts_history_and_undo(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 21).await.unwrap();
    let p = product(&t, "shopx").await;
    let staff = Actor::Staff(1);
    let id = save(&t.ctx(), staff, 1, &licence(p)).await.unwrap();
    let page = list(&t.db, 1, 1).await.unwrap();
    let row = &page.rows[0];
    assert_eq!((page.total, row.input.id), (1, Some(id)));
    assert_eq!(row.product_name, "Produkt shopx");
    assert_eq!(
        key::parse(&row.key).map(|k| key::display(&k)),
        Some(row.key.clone()),
        "a valid key, shown grouped"
    );
    // One 12-month term from 31 January 2026, the product's default.
    assert_eq!(row.input.updates_until, "2027-01-31");
    assert!(!row.updates_expired);

    // An edit on a stale version is a conflict; another customer's licence is not found.
    let mut edit = row.input.clone();
    edit.current_version = "2.1".into();
    save(&t.ctx(), staff, 1, &edit).await.unwrap();
    assert!(matches!(save(&t.ctx(), staff, 1, &edit).await, Err(AppError::Conflict { current_version: 2 })));
    assert!(matches!(save(&t.ctx(), staff, 2, &edit).await, Err(AppError::NotFound)), "{}", t.backend);
    let other = LicenceInput { version: 2, product_id: product(&t, "mailguard").await, ..edit.clone() };
    match save(&t.ctx(), staff, 1, &other).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "products.product_fixed"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let locked = LicenceInput { version: 2, status: LicenceStatus::Locked, ..edit.clone() };
    match save(&t.ctx(), staff, 1, &locked).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "products.lock_reason_required"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // The Verlauf names the licence; undo puts the old version back and is refused twice.
    let changes = history(&t.db, 1, "", 50).await.unwrap();
    let version = changes
        .iter()
        .find(|c| c.entity == "licence" && c.field == "current_version" && c.old_value == "2.0")
        .unwrap();
    assert_eq!(version.new_value, "2.1");
    assert!(version.subject.as_deref().unwrap().starts_with("Produkt shopx "), "{:?}", version.subject);
    assert_eq!(version.actor_name, "Anna Albers");
    undo(&t.ctx(), 1, 1, version.id, today(), "").await.unwrap();
    assert_eq!(list(&t.db, 1, 1).await.unwrap().rows[0].input.current_version, "2.0");
    match undo(&t.ctx(), 1, 1, version.id, today(), "").await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "history.changed_since"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // An update service whose last day has passed shows as expired.
    let mut old = licence(p);
    old.updates_until = "2025-12-31".into();
    save(&t.ctx(), staff, 2, &old).await.unwrap();
    assert!(list(&t.db, 2, 1).await.unwrap().rows[0].updates_expired);

    // A product switched off is no longer offered for new licences.
    let mut off =
        catalogue::list(&t.db).await.unwrap().into_iter().find(|r| r.input.slug == "shopx").unwrap().input;
    off.active = false;
    catalogue::save(&t.db, &off).await.unwrap();
    match save(&t.ctx(), staff, 1, &licence(p)).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "products.product_unknown"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(catalogue::choices(&t.db).await.unwrap().iter().all(|c| c.id != p));
    t.finish().await;
}
db_test!(licences_have_keys_conflicts_history_and_undo);

async fn the_search_finds_a_customer_by_licence_key(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 30, 22).await.unwrap();
    let p = product(&t, "shopx").await;
    save(&t.ctx(), Actor::Staff(1), 7, &licence(p)).await.unwrap();
    let shown = list(&t.db, 7, 1).await.unwrap().rows[0].key.clone();
    let number = customers::detail(&t.db, 7).await.unwrap().number;
    let bare = shown.replace('-', "");
    for q in [shown.clone(), bare.clone(), shown.to_lowercase(), format!(" {} ", shown.replace('-', " "))] {
        assert_eq!(numbers(&t, &q).await, vec![number.clone()], "{q} on {}", t.backend);
    }
    // One symbol off: the check symbol refuses it, so it is searched as text and finds no one.
    let first = bare.chars().next().unwrap();
    let typo = format!("{}{}", if first == '7' { '8' } else { '7' }, &bare[1..]);
    assert!(numbers(&t, &typo).await.is_empty());
    t.finish().await;
}
db_test!(the_search_finds_a_customer_by_licence_key);

async fn a_big_customers_licences_come_in_pages(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 23).await.unwrap();
    let p = product(&t, "shopx").await;
    let n = PAGE_SIZE as usize * 2 + 7;
    for _ in 0..n {
        save(&t.ctx(), Actor::Staff(1), 1, &licence(p)).await.unwrap();
    }
    let first = list(&t.db, 1, 1).await.unwrap();
    assert_eq!((first.total, first.pages, first.rows.len()), (n as u64, 3, PAGE_SIZE as usize));
    let last = list(&t.db, 1, 3).await.unwrap();
    assert_eq!(last.rows.len(), 7);
    assert!(first.rows[0].input.id > last.rows[6].input.id, "newest first");
    assert_eq!(list(&t.db, 1, 99).await.unwrap().page, 3, "beyond the end: the last page");
    t.finish().await;
}
db_test!(a_big_customers_licences_come_in_pages);

async fn erasure_keeps_contracts_and_drops_what_never_started(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 24).await.unwrap();
    let p = product(&t, "shopx").await;
    let cancelled =
        LicenceInput { status: LicenceStatus::Cancelled, cancelled_on: "2026-06-30".into(), ..licence(p) };
    save(&t.ctx(), Actor::Staff(1), 1, &cancelled).await.unwrap();
    let draft = LicenceInput { status: LicenceStatus::InProgress, ..licence(p) };
    save(&t.ctx(), Actor::Staff(1), 1, &draft).await.unwrap();
    let items = preview(&t.db, 1).await.unwrap().items;
    let fates: Vec<&Fate> = items.iter().filter(|i| i.table == "licences").map(|i| &i.fate).collect();
    assert!(
        fates.contains(&&Fate::Blocked { class: "business_letters".into(), until: "2032-12-31".into() }),
        "a contract ended in 2026 is kept to the end of 2032: {fates:?}"
    );
    assert!(fates.contains(&&Fate::Deleted), "{fates:?}");
    t.finish().await;
}
db_test!(erasure_keeps_contracts_and_drops_what_never_started);

async fn a_release_goes_to_licences_whose_update_service_covers_its_date(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 5, 25).await.unwrap();
    let p = product(&t, "shopx").await;
    let with = |until: &str, updates: bool, status: LicenceStatus| LicenceInput {
        updates_until: until.into(),
        update_service: updates,
        status,
        lock_reason: "Zahlungsverzug".into(),
        ..licence(p)
    };
    let staff = Actor::Staff(1);
    // Covered to the release day itself, covered beyond it, ended the day before, without
    // service, and locked.
    save(&t.ctx(), staff, 1, &with("2026-12-01", true, LicenceStatus::Active)).await.unwrap();
    save(&t.ctx(), staff, 2, &with("2027-06-30", true, LicenceStatus::Active)).await.unwrap();
    save(&t.ctx(), staff, 3, &with("2026-11-30", true, LicenceStatus::Active)).await.unwrap();
    save(&t.ctx(), staff, 4, &with("", false, LicenceStatus::Active)).await.unwrap();
    save(&t.ctx(), staff, 5, &with("2027-06-30", true, LicenceStatus::Locked)).await.unwrap();
    let release =
        ReleaseInput { version: "2.1".into(), released_on: "2026-12-01".into(), notes: String::new() };
    let id = catalogue::add_release(&t.db, 1, p, &release).await.unwrap();
    let r = clientdesk::catalogue::recipients::recipients(&t.db, id, 1).await.unwrap();
    let mut got: Vec<i32> = r.rows.iter().map(|c| c.customer_id).collect();
    got.sort();
    assert_eq!(got, vec![1, 2], "{}", t.backend);
    assert_eq!((r.total, r.expired, r.pages), (2, 1, 1));
    assert_eq!((r.version.as_str(), r.released_on.as_str()), ("2.1", "2026-12-01"));
    assert!(key::parse(&r.rows[0].key).is_some());
    assert!(matches!(
        clientdesk::catalogue::recipients::recipients(&t.db, 999_999, 1).await,
        Err(AppError::NotFound)
    ));
    t.finish().await;
}
db_test!(a_release_goes_to_licences_whose_update_service_covers_its_date);

async fn a_transfer_waits_for_the_recipient_and_respects_the_lock(t: TestDb) {
    use clientdesk::customers::areas::products::flags::{Flag, set};
    use clientdesk::customers::areas::products::transfers::{answer, offer, offers, withdraw};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 26).await.unwrap();
    let p = product(&t, "shopx").await;
    let id = save(&t.ctx(), Actor::Staff(1), 1, &licence(p)).await.unwrap();
    let number = |c: i32| {
        let db = t.db.clone();
        async move { customers::detail(&db, c).await.unwrap() }
    };
    let (one, two) = (number(1).await, number(2).await);
    let refused = |r: Result<i32, AppError>| match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };

    // Locked: refused, with the reason.
    set(&t.ctx(), Actor::Staff(1), 1, one.version, Flag::TransfersLocked, true).await.unwrap();
    assert_eq!(refused(offer(&t.ctx(), 1, 1, (id, 1), &two.number).await), "products.transfer_locked");
    let one = number(1).await;
    set(&t.ctx(), Actor::Staff(1), 1, one.version, Flag::TransfersLocked, false).await.unwrap();
    assert_eq!(
        refused(offer(&t.ctx(), 1, 1, (id, 1), &one.number).await),
        "products.transfer_recipient_unknown"
    );

    let transfer = offer(&t.ctx(), 1, 1, (id, 1), &two.number.to_lowercase()).await.unwrap();
    assert_eq!(refused(offer(&t.ctx(), 1, 1, (id, 1), &two.number).await), "products.transfer_open");
    let outgoing = offers(&t.db, 1, false).await.unwrap();
    assert_eq!((outgoing.len(), outgoing[0].other_number.as_str()), (1, two.number.as_str()));
    assert!(key::parse(&outgoing[0].key).is_some());
    let incoming = offers(&t.db, 2, true).await.unwrap();
    assert_eq!((incoming[0].id, incoming[0].key.as_str()), (transfer, ""), "the recipient sees no key yet");
    let mails = clientdesk::db::entities::mail_outbox::Entity::find()
        .filter(clientdesk::db::entities::mail_outbox::Column::CustomerId.eq(2))
        .filter(clientdesk::db::entities::mail_outbox::Column::Template.eq("licence_transfer_offered"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1, "{}", t.backend);
    assert!(mails[0].body.contains(&one.number) && mails[0].body.contains("/portal/products"));

    // Locked after the offer: accepting is refused too. Another customer cannot answer it.
    let recipient = Actor::Customer { login_id: 1, by_staff: None };
    let one = number(1).await;
    set(&t.ctx(), Actor::Staff(1), 1, one.version, Flag::TransfersLocked, true).await.unwrap();
    match answer(&t.ctx(), recipient, 1, 2, transfer, true).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "products.transfer_locked"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let one = number(1).await;
    set(&t.ctx(), Actor::Staff(1), 1, one.version, Flag::TransfersLocked, false).await.unwrap();
    assert!(matches!(answer(&t.ctx(), recipient, 1, 3, transfer, true).await, Err(AppError::NotFound)));

    answer(&t.ctx(), recipient, 1, 2, transfer, true).await.unwrap();
    assert_eq!(list(&t.db, 1, 1).await.unwrap().total, 0);
    assert_eq!(list(&t.db, 2, 1).await.unwrap().rows[0].input.id, Some(id));
    for c in [1, 2] {
        let moved = history(&t.db, c, "", 50).await.unwrap();
        let m = moved.iter().find(|h| h.entity == "licence" && h.field == "customer").expect("both Verläufe");
        assert_eq!((m.old_value.as_str(), m.new_value.as_str()), (one.number.as_str(), two.number.as_str()));
        let events = clientdesk::customers::areas::log::service::for_customer(&t.db, c, 50).await.unwrap();
        assert!(events.iter().any(|e| e.kind == "licence_transfer_accepted"), "both Logs");
    }
    match answer(&t.ctx(), recipient, 1, 2, transfer, true).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "products.transfer_answered"),
        other => panic!("answered once only, got {other:?}"),
    }

    // Accept racing a withdrawal: exactly one of them wins.
    let second = save(&t.ctx(), Actor::Staff(1), 1, &licence(p)).await.unwrap();
    let transfer = offer(&t.ctx(), 1, 1, (second, 1), &two.number).await.unwrap();
    let (ctx_a, ctx_b) = (t.ctx(), t.ctx());
    let (accepted, withdrawn) =
        tokio::join!(answer(&ctx_a, recipient, 1, 2, transfer, true), withdraw(&ctx_b, 1, 1, transfer));
    assert!(accepted.is_ok() != withdrawn.is_ok(), "{accepted:?} {withdrawn:?} on {}", t.backend);
    let owner = if accepted.is_ok() { 2 } else { 1 };
    assert!(list(&t.db, owner, 1).await.unwrap().rows.iter().any(|r| r.input.id == Some(second)));
    t.finish().await;
}
db_test!(a_transfer_waits_for_the_recipient_and_respects_the_lock);

async fn the_update_service_switch_starts_and_ends_terms(t: TestDb) {
    use clientdesk::customers::areas::products::flags::{Flag, set};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 27).await.unwrap();
    let p = product(&t, "shopx").await;
    let lapsed = LicenceInput { updates_until: "2025-12-31".into(), ..licence(p) };
    let running = LicenceInput { updates_until: "2099-12-31".into(), ..licence(p) };
    let without = LicenceInput { update_service: false, ..licence(p) };
    for l in [&lapsed, &running, &without] {
        save(&t.ctx(), Actor::Staff(1), 1, l).await.unwrap();
    }
    let version = customers::detail(&t.db, 1).await.unwrap().version;
    set(&t.ctx(), Actor::Staff(1), 1, version, Flag::UpdateService, true).await.unwrap();
    let (y, m, d) = today();
    let in_a_year = format!("{:04}-{m:02}-{d:02}", y + 1);
    let rows = list(&t.db, 1, 1).await.unwrap().rows;
    let untils: Vec<(&str, bool)> =
        rows.iter().map(|r| (r.input.updates_until.as_str(), r.input.update_service)).collect();
    // Newest first: without → a term from today; running → unchanged; lapsed → from today.
    if (m, d) != (2, 29) {
        assert_eq!(
            untils,
            vec![(in_a_year.as_str(), true), ("2099-12-31", true), (in_a_year.as_str(), true)]
        );
    }
    let detail = customers::detail(&t.db, 1).await.unwrap();
    assert!(detail.form.update_service);
    assert!(matches!(
        set(&t.ctx(), Actor::Staff(1), 1, version, Flag::UpdateService, false).await,
        Err(AppError::Conflict { .. })
    ));
    set(&t.ctx(), Actor::Staff(1), 1, detail.version, Flag::UpdateService, false).await.unwrap();
    assert!(list(&t.db, 1, 1).await.unwrap().rows.iter().all(|r| !r.input.update_service));
    let changes = history(&t.db, 1, "", 100).await.unwrap();
    assert!(changes.iter().any(|c| c.entity == "customer" && c.field == "update_service"));
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.entity == "licence" && c.field == "update_service" && c.new_value == "false")
            .count(),
        3
    );
    t.finish().await;
}
db_test!(the_update_service_switch_starts_and_ends_terms);

/// The licence check over HTTP: signed answers the software verifies with the public key alone,
/// bindings up to the product's limit, refusals signed too, malformed requests refused before
/// any lookup, and 60 checks per address and minute.
async fn the_licence_check_answers_signed_and_binds_hosts(t: TestDb) {
    use clientdesk::customers::areas::products::verify::{Payload, Signed};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 28).await.unwrap();
    let p = product(&t, "shopx").await;
    save(&t.ctx(), Actor::Staff(1), 1, &licence(p)).await.unwrap();
    let key = list(&t.db, 1, 1).await.unwrap().rows[0].key.clone();
    let public = catalogue::list(&t.db).await.unwrap()[0].public_key.clone();
    let server = common::server::start(t.db.clone()).await;
    let http = reqwest::Client::new();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let check = |query: String| {
        let (http, base) = (http.clone(), server.base.clone());
        sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move { http.get(format!("{base}/api/licences/verify?{query}")).send().await.unwrap() }
    };
    let answer = |query: String| {
        let public = public.clone();
        async move {
            let res = check(query).await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.headers()["cache-control"], "no-store");
            let signed: Signed = res.json().await.unwrap();
            let signature = hex::decode(&signed.signature).unwrap();
            assert!(
                clientdesk::licensing::sign::verify(&public, signed.payload.as_bytes(), &signature),
                "signed"
            );
            let forged = signed.payload.replace("\"valid\":false", "\"valid\":true");
            assert!(
                !clientdesk::licensing::sign::verify(&public, forged.as_bytes(), &signature)
                    || forged == signed.payload
            );
            serde_json::from_str::<Payload>(&signed.payload).unwrap()
        }
    };

    let first = answer(format!("product=shopx&key={key}&host=Shop.Example.DE&nonce=n1")).await;
    assert!(first.valid, "{first:?} on {}", t.backend);
    assert_eq!(
        (first.reason.as_str(), first.host.as_str(), first.nonce.as_str()),
        ("ok", "shop.example.de", "n1")
    );
    assert_eq!(first.licensee, customers::detail(&t.db, 1).await.unwrap().number);
    // The same host in another spelling is the same binding; a second host is one too many.
    assert!(
        answer(format!("product=shopx&key={}&host=shop.example.de:8443", key.to_lowercase())).await.valid
    );
    let other = answer(format!("product=shopx&key={key}&host=other.example.de")).await;
    assert_eq!((other.valid, other.reason.as_str()), (false, "bound_elsewhere"));
    let bound = clientdesk::customers::areas::products::service::bindings(&t.db, 1, 1).await.unwrap();
    assert_eq!(bound.iter().map(|b| b.host.as_str()).collect::<Vec<_>>(), ["shop.example.de"]);
    assert_eq!(bound[0].ip, "127.0.0.1");
    let events = clientdesk::customers::areas::log::service::for_customer(&t.db, 1, 20).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "licence_bound").count(), 1);

    // Reset by staff: the other host binds now.
    clientdesk::customers::areas::products::service::reset_bindings(&t.ctx(), Actor::Staff(1), 1, 1)
        .await
        .unwrap();
    assert!(answer(format!("product=shopx&key={key}&host=other.example.de")).await.valid);

    // Locked, or a well-formed key nobody has: signed refusals.
    let mut locked = list(&t.db, 1, 1).await.unwrap().rows[0].input.clone();
    locked.status = LicenceStatus::Locked;
    locked.lock_reason = "Zahlungsverzug".into();
    save(&t.ctx(), Actor::Staff(1), 1, &locked).await.unwrap();
    assert_eq!(answer(format!("product=shopx&key={key}&host=other.example.de")).await.reason, "locked");
    let nobody = key::display(&key::generate());
    let unknown = answer(format!("product=shopx&key={nobody}&host=other.example.de")).await;
    assert_eq!((unknown.valid, unknown.reason.as_str(), unknown.licensee.as_str()), (false, "unknown", ""));

    // A typo in the key, a bad host: refused before any lookup. An unknown product: 404.
    let bare = key.replace('-', "");
    let typo = format!("{}{}", if bare.starts_with('7') { '8' } else { '7' }, &bare[1..]);
    assert_eq!(check(format!("product=shopx&key={typo}&host=a.de")).await.status(), 400);
    assert_eq!(check(format!("product=shopx&key={key}&host=a%20b")).await.status(), 400);
    assert_eq!(check(format!("product=nix&key={key}&host=a.de")).await.status(), 404);

    // 60 checks per address and minute: the 61st of this minute is refused.
    let refused = loop {
        let res = check(format!("product=nix&key={key}&host=a.de")).await;
        if res.status() == 429 {
            break res;
        }
        assert!(sent.load(std::sync::atomic::Ordering::SeqCst) <= 60, "no refusal within 60 checks");
    };
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 61);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    t.finish().await;
}
db_test!(the_licence_check_answers_signed_and_binds_hosts);

/// An offer left unanswered for 14 days ends in the daily job; it can no longer be accepted and
/// the licence can be offered anew.
async fn the_daily_job_ends_offers_left_unanswered(t: TestDb) {
    use clientdesk::customers::areas::erase::retention::run_daily;
    use clientdesk::customers::areas::products::transfers::{answer, offer, offers};
    use sea_orm::ConnectionTrait;
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 29).await.unwrap();
    let p = product(&t, "shopx").await;
    let id = save(&t.ctx(), Actor::Staff(1), 1, &licence(p)).await.unwrap();
    let two = customers::detail(&t.db, 2).await.unwrap().number;
    let transfer = offer(&t.ctx(), 1, 1, (id, 1), &two).await.unwrap();
    let past = chrono::Utc::now() - chrono::Duration::days(15);
    let sql = "UPDATE licence_transfers SET offered_at = $1, expires_at = $2 WHERE id = $3";
    let values = vec![past.into(), (past + chrono::Duration::days(14)).into(), transfer.into()];
    t.db.execute_raw(clientdesk::db::stmt(&t.db, sql, values)).await.unwrap();
    assert!(offers(&t.db, 2, true).await.unwrap().is_empty(), "an expired offer is not shown");
    run_daily(&t.db, chrono::Utc::now().date_naive()).await.unwrap();
    let status =
        t.db.query_one_raw(clientdesk::db::stmt(
            &t.db,
            "SELECT status FROM licence_transfers WHERE id = $1",
            vec![transfer.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "status")
        .unwrap();
    assert_eq!(status, "expired", "{}", t.backend);
    let recipient = Actor::Customer { login_id: 1, by_staff: None };
    match answer(&t.ctx(), recipient, 1, 2, transfer, true).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "products.transfer_expired"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(offer(&t.ctx(), 1, 1, (id, 1), &two).await.is_ok(), "offered anew");
    t.finish().await;
}
db_test!(the_daily_job_ends_offers_left_unanswered);
