//! The customer services against real databases: SQLite and PostgreSQL, each test on both.
use crate::common::{self, TestDb};

use clientdesk::customers::model::{CustomerForm, CustomerKind, CustomerStatus, ListQuery};
use clientdesk::customers::service::{self, Actor, seed::seed_customers};
use clientdesk::error::AppError;
use sea_orm::{EntityTrait, PaginatorTrait};

const TODAY: (i32, u32, u32) = (2026, 11, 27);

fn form(first: &str, last: &str, city: &str, postcode: &str) -> CustomerForm {
    CustomerForm {
        first_name: first.into(),
        last_name: last.into(),
        email: format!("{}@example.de", first.to_lowercase()),
        street: "Hauptstraße".into(),
        house_number: "1".into(),
        postcode: postcode.into(),
        city: city.into(),
        ..CustomerForm::new_default()
    }
}

fn query(q: &str) -> ListQuery {
    ListQuery { q: q.into(), ..Default::default() }
}

async fn numbers(db: &clientdesk::db::Db, q: ListQuery) -> Vec<String> {
    service::search(db, &q).await.unwrap().rows.into_iter().map(|r| r.number).collect()
}

async fn search_matches_every_searchable_field_and_umlaut_spellings(t: TestDb) {
    let db = &t.db;
    let a = service::create(db, Actor::System, &form("Jürgen", "Müller", "München", "80331"), "test", TODAY)
        .await
        .unwrap();
    let mut b_form = form("Greta", "Zuckermann", "Berlin", "10117");
    b_form.company = "Zuckermann IT GmbH".into();
    b_form.kind = CustomerKind::Company;
    let b = service::create(db, Actor::System, &b_form, "test", TODAY).await.unwrap();
    let a_no = service::detail(db, a).await.unwrap().number;
    let b_no = service::detail(db, b).await.unwrap().number;
    assert_eq!(a_no, "K-10001", "{}", t.backend);
    assert_eq!(b_no, "K-10002", "{}", t.backend);

    for q in ["müller", "MÜLLER", "mueller", "muller", "jürg", "münch", "muench", "80331"] {
        assert_eq!(numbers(db, query(q)).await, vec![a_no.clone()], "{q} on {}", t.backend);
    }
    for q in ["zuckermann it", "greta@example", "K-10002", "10002", "berlin", "BERL", "101"] {
        assert_eq!(numbers(db, query(q)).await, vec![b_no.clone()], "{q} on {}", t.backend);
    }
    assert_eq!(numbers(db, query("example.de")).await.len(), 2, "{}", t.backend);
    assert!(numbers(db, query("nobody-here")).await.is_empty(), "{}", t.backend);
    // Typed wildcards are not wildcards.
    assert!(numbers(db, query("%")).await.len() == 2, "{}", t.backend);
    t.finish().await;
}
db_test!(search_matches_every_searchable_field_and_umlaut_spellings);

async fn filters_sorting_and_pages(t: TestDb) {
    let db = &t.db;
    seed_customers(db, 120, 7).await.unwrap();
    let all = service::search(db, &ListQuery::default()).await.unwrap();
    assert_eq!(all.total, 120, "{}", t.backend);
    assert_eq!(all.rows.len(), 25);
    assert_eq!(all.pages, 5);
    let last = service::search(db, &ListQuery { page: 5, ..Default::default() }).await.unwrap();
    assert_eq!(last.rows.len(), 20);
    // Beyond the last page clamps to it.
    assert_eq!(service::search(db, &ListQuery { page: 99, ..Default::default() }).await.unwrap().page, 5);

    let active =
        service::search(db, &ListQuery { status: "active".into(), ..Default::default() }).await.unwrap();
    let inactive =
        service::search(db, &ListQuery { status: "inactive".into(), ..Default::default() }).await.unwrap();
    let prospect =
        service::search(db, &ListQuery { status: "prospect".into(), ..Default::default() }).await.unwrap();
    assert_eq!(active.total + inactive.total + prospect.total, 120, "{}", t.backend);
    assert!(active.rows.iter().all(|r| r.status == CustomerStatus::Active));

    let resellers =
        service::search(db, &ListQuery { reseller: "yes".into(), ..Default::default() }).await.unwrap();
    assert!(resellers.total >= 1 && resellers.rows.iter().all(|r| r.is_reseller), "{}", t.backend);

    let meta = service::form_meta(db).await.unwrap();
    let group = &meta.groups[0];
    let grouped =
        service::search(db, &ListQuery { group: group.id.to_string(), ..Default::default() }).await.unwrap();
    assert!(grouped.rows.iter().all(|r| r.group_name.as_deref() == Some(group.name.as_str())));

    let by_number_desc =
        numbers(db, ListQuery { sort: "number".into(), dir: "desc".into(), ..Default::default() }).await;
    assert_eq!(by_number_desc[0], "K-10120", "{}", t.backend);
    // Ties are broken by id in the same direction, so descending is ascending reversed.
    let asc = numbers(db, ListQuery { q: "a".into(), sort: "city".into(), ..Default::default() }).await;
    let mut desc = numbers(
        db,
        ListQuery { q: "a".into(), sort: "city".into(), dir: "desc".into(), ..Default::default() },
    )
    .await;
    let total = service::search(db, &ListQuery { q: "a".into(), ..Default::default() }).await.unwrap().total;
    if total <= 25 {
        desc.reverse();
        assert_eq!(asc, desc, "{}", t.backend);
    } else {
        assert_ne!(asc, desc, "{}", t.backend);
    }
    t.finish().await;
}
db_test!(filters_sorting_and_pages);

#[tokio::test]
async fn seeding_is_deterministic() {
    let a = common::sqlite().await;
    let b = common::postgres().await;
    seed_customers(&a.db, 50, 99).await.unwrap();
    seed_customers(&b.db, 50, 99).await.unwrap();
    let qa = numbers(&a.db, ListQuery { sort: "number".into(), ..Default::default() }).await;
    let qb = numbers(&b.db, ListQuery { sort: "number".into(), ..Default::default() }).await;
    assert_eq!(qa, qb);
    let da = service::detail(&a.db, 1).await.unwrap();
    let db_ = service::detail(&b.db, 1).await.unwrap();
    assert_eq!(da.form, db_.form);
    a.finish().await;
    b.finish().await;
}

async fn an_invalid_save_changes_nothing_and_names_the_fields(t: TestDb) {
    let db = &t.db;
    let id =
        service::create(db, Actor::System, &form("Anna", "Schmidt", "Wien", "1010"), "test", TODAY).await;
    // Vienna with a German country code: "1010" is no German postcode.
    let err = id.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].field == "postcode"), "{err:?}");
    assert_eq!(clientdesk::db::entities::customer::Entity::find().count(db).await.unwrap(), 0);

    let mut good = form("Anna", "Schmidt", "Wien", "1010");
    good.country = "AT".into();
    let id = service::create(db, Actor::System, &good, "test", TODAY).await.unwrap();
    let before = service::detail(db, id).await.unwrap();
    let mut bad = before.form.clone();
    bad.first_name = "Annabell".into();
    bad.email = "not-an-email".into();
    bad.vat_id = "DE123".into();
    let err = service::update(&crate::common::ctx(db), Actor::System, id, before.version, &bad, TODAY)
        .await
        .unwrap_err();
    let fields: Vec<String> = err.field_errors().iter().map(|e| e.field.clone()).collect();
    assert_eq!(fields, vec!["email", "vat_id"], "{}", t.backend);
    let after = service::detail(db, id).await.unwrap();
    assert_eq!(after, before, "{}", t.backend);
    t.finish().await;
}
db_test!(an_invalid_save_changes_nothing_and_names_the_fields);

async fn a_stale_version_is_a_conflict_and_keeps_the_first_save(t: TestDb) {
    let db = &t.db;
    let id = service::create(db, Actor::System, &form("Lena", "Koch", "Köln", "50667"), "test", TODAY)
        .await
        .unwrap();
    let start = service::detail(db, id).await.unwrap();
    let mut first = start.form.clone();
    first.phone = "+49 221 123456".into();
    let saved = service::update(&crate::common::ctx(db), Actor::Staff(1), id, start.version, &first, TODAY)
        .await
        .unwrap();
    assert_eq!(saved.detail.version, start.version + 1);

    let mut second = start.form.clone();
    second.city = "Bonn".into();
    second.postcode = "53111".into();
    let err = service::update(&crate::common::ctx(db), Actor::Staff(2), id, start.version, &second, TODAY)
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Conflict { current_version: start.version + 1 }, "{}", t.backend);
    let now = service::detail(db, id).await.unwrap();
    assert_eq!(now.form.phone, "+49 221 123456");
    assert_eq!(now.form.city, "Köln");

    // Saving again on top of the current version works, and search follows the change.
    service::update(&crate::common::ctx(db), Actor::Staff(2), id, now.version, &second, TODAY).await.unwrap();
    assert_eq!(numbers(db, query("bonn")).await, vec![now.number.clone()], "{}", t.backend);
    assert!(numbers(db, query("köln")).await.is_empty(), "{}", t.backend);
    assert_eq!(
        service::update(&crate::common::ctx(db), Actor::System, 999_999, 1, &second, TODAY)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    t.finish().await;
}
db_test!(a_stale_version_is_a_conflict_and_keeps_the_first_save);

async fn custom_fields_invoice_address_group_and_reseller_round_trip(t: TestDb) {
    let db = &t.db;
    seed_customers(db, 150, 3).await.unwrap();
    let meta = service::form_meta(db).await.unwrap();
    let reseller =
        service::search(db, &ListQuery { reseller: "yes".into(), ..Default::default() }).await.unwrap().rows
            [0]
        .clone();
    let mut f = form("Björn", "Weiß", "Zürich", "8001");
    f.country = "CH".into();
    f.currency = "CHF".into();
    f.vat_id = "CHE-123.456.789 MWST".into();
    f.group_id = meta.groups[1].id.to_string();
    f.reseller_number = reseller.number.clone();
    f.invoice_address_enabled = true;
    f.invoice_company = "Weiß Holding AG".into();
    f.invoice_street = "Bahnhofstrasse".into();
    f.invoice_postcode = "8001".into();
    f.invoice_city = "Zürich".into();
    f.invoice_country = "CH".into();
    f.custom.insert("legacy_id".into(), "ALT-4711".into());
    f.custom.insert("industry".into(), "Hosting".into());
    f.birth_date = "1981-04-12".into();
    f.dunning_off = true;
    f.own_nameservers = "NS1.Weiss-Holding.ch\nns2.weiss-holding.ch,".into();
    let id = service::create(db, Actor::System, &f, "test", TODAY).await.unwrap();
    let d = service::detail(db, id).await.unwrap();
    assert_eq!(d.form.own_nameservers, "ns1.weiss-holding.ch, ns2.weiss-holding.ch", "{}", t.backend);
    assert_eq!(d.form.custom.get("legacy_id").map(String::as_str), Some("ALT-4711"), "{}", t.backend);
    assert_eq!(d.form.reseller_number, reseller.number);
    assert_eq!(d.form.vat_id, "CHE-123.456.789 MWST");
    assert_eq!(d.form.birth_date, "1981-04-12");
    assert_eq!(d.group_name.as_deref(), Some(meta.groups[1].name.as_str()));
    assert_eq!(
        service::warnings(&d).iter().map(|w| w.key.as_str()).collect::<Vec<_>>(),
        vec!["warning.dunning_off"]
    );
    let ends = service::search(db, &ListQuery { reseller: reseller.number.clone(), ..Default::default() })
        .await
        .unwrap();
    assert!(ends.rows.iter().any(|r| r.id == id), "{}", t.backend);
    assert_eq!(numbers(db, query("weiss holding")).await, vec![d.number.clone()]);

    let mut bad = d.form.clone();
    bad.custom.insert("industry".into(), "Bergbau".into());
    bad.reseller_number = d.number.clone();
    let err = service::update(&crate::common::ctx(db), Actor::System, id, d.version, &bad, TODAY)
        .await
        .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "custom.industry", "{}", t.backend);
    t.finish().await;
}
db_test!(custom_fields_invoice_address_group_and_reseller_round_trip);

async fn api_keys_are_shown_once_stored_hashed_and_need_api_access(t: TestDb) {
    let db = &t.db;
    let id = service::create(db, Actor::System, &form("Kai", "Vogt", "Kiel", "24103"), "test", TODAY)
        .await
        .unwrap();
    let err = service::regenerate_api_key(&crate::common::ctx(db), Actor::Staff(1), id).await.unwrap_err();
    assert_eq!(err.field_errors()[0].key, "validation.api_access_off", "{}", t.backend);
    assert!(!service::detail(db, id).await.unwrap().api_key_set);

    let d = service::detail(db, id).await.unwrap();
    let mut on = d.form.clone();
    on.api_access = true;
    service::update(&crate::common::ctx(db), Actor::Staff(1), id, d.version, &on, TODAY).await.unwrap();
    let first = service::regenerate_api_key(&crate::common::ctx(db), Actor::Staff(1), id).await.unwrap();
    let second = service::regenerate_api_key(&crate::common::ctx(db), Actor::Staff(1), id).await.unwrap();
    assert!(first.starts_with("cdk_") && first.len() == 52 && first != second);
    let stored = clientdesk::db::entities::customer::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
    assert_eq!(stored.api_key_hash.as_deref(), Some(clientdesk::auth::service::token_hash(&second).as_str()));
    let after = service::detail(db, id).await.unwrap();
    assert!(after.api_key_set);
    assert_eq!(after.version, d.version + 1, "the key is not part of the form: no version bump");
    assert_eq!(
        service::regenerate_api_key(&crate::common::ctx(db), Actor::System, 424242).await.unwrap_err(),
        AppError::NotFound
    );
    t.finish().await;
}
db_test!(api_keys_are_shown_once_stored_hashed_and_need_api_access);

async fn large_result_sets_are_capped_and_walked_in_sort_order(t: TestDb) {
    use clientdesk::db::entities::customer;
    let db = &t.db;
    seed_customers(db, 1_100, 21).await.unwrap();
    for (q, sort) in [("", "name"), (".de", "name"), (".de", "city"), ("mü", "name"), ("e", "created")] {
        let page = service::search(db, &ListQuery { q: q.into(), sort: sort.into(), ..Default::default() })
            .await
            .unwrap();
        let all = customer::Entity::find().all(db).await.unwrap();
        let folded = clientdesk::customers::search_text::query_terms(q);
        let matching: Vec<&customer::Model> =
            all.iter().filter(|c| folded.iter().all(|t| c.search_text.contains(t.as_str()))).collect();
        let mut expected: Vec<&customer::Model> = matching.clone();
        match sort {
            "city" => {
                expected.sort_by(|a, b| (&a.city, &a.sort_name, a.id).cmp(&(&b.city, &b.sort_name, b.id)))
            }
            "created" => expected.sort_by_key(|c| (c.created_at, c.id)),
            _ => expected.sort_by(|a, b| (&a.sort_name, a.id).cmp(&(&b.sort_name, b.id))),
        }
        assert_eq!(page.total_capped, matching.len() > 1000, "{q} on {}", t.backend);
        assert_eq!(page.total, matching.len().min(1000) as u64, "{q} on {}", t.backend);
        let got: Vec<i32> = page.rows.iter().map(|r| r.id).collect();
        let want: Vec<i32> = expected.iter().take(25).map(|c| c.id).collect();
        if sort == "city" && t.backend == "postgres" {
            // PostgreSQL sorts city names by its collation; check membership and count only.
            assert_eq!(got.len(), want.len());
        } else {
            assert_eq!(got, want, "{q} sorted by {sort} on {}", t.backend);
        }
    }
    t.finish().await;
}
db_test!(large_result_sets_are_capped_and_walked_in_sort_order);
