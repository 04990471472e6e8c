//! Domains on SQLite and PostgreSQL: the TLD price list (endings kept as A-labels, only public
//! suffixes, prices read to the cent, a wrong cell named and nothing saved, old versions refused).
use crate::common::{TestDb, fields_of};
use clientdesk::catalogue::tld_model::{PriceCell, TldInput};
use clientdesk::catalogue::tlds::{active_tlds, page, save};
use clientdesk::error::AppError;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn price(action: &str, years: i32, amount: &str) -> PriceCell {
    PriceCell { action: action.into(), years, amount: amount.into() }
}

async fn the_tld_list_keeps_endings_and_prices(t: TestDb) {
    let de = TldInput {
        tld: " .DE ".into(),
        grace_days: 0,
        redemption_days: 30,
        terms: false,
        active: true,
        prices: vec![
            price("register", 1, "0,99"),
            price("renew", 1, "9,99"),
            price("restore", 1, "1.250,00"),
        ],
        ..Default::default()
    };
    let id = save(&t.db, &de).await.unwrap();
    let rf = TldInput { tld: "рф".into(), active: true, ..Default::default() };
    save(&t.db, &rf).await.unwrap();

    let listed = page(&t.db, 1).await.unwrap();
    assert_eq!(listed.total, 2, "{}", t.backend);
    let first = &listed.rows[0];
    assert_eq!((first.input.tld.as_str(), first.input.id), ("de", Some(id)));
    assert_eq!(first.input.amount("register", 1), "0,99");
    assert_eq!(first.input.amount("renew", 1), "9,99");
    assert_eq!(first.input.amount("restore", 1), "1250,00");
    assert_eq!((listed.rows[1].input.tld.as_str(), listed.rows[1].unicode.as_str()), ("xn--p1ai", "рф"));
    assert_eq!(active_tlds(&t.db).await.unwrap().len(), 2);

    // Refused, and nothing changed: a private suffix, a second `de`, a wrong amount, a term of
    // 11 years, days out of range.
    assert_eq!(
        fields_of(save(&t.db, &TldInput { tld: "blogspot.com".into(), ..Default::default() }).await),
        [("tld".into(), "tld.not_public".into())]
    );
    assert_eq!(
        fields_of(save(&t.db, &TldInput { tld: "de".into(), ..Default::default() }).await),
        [("tld".into(), "tld.taken".into())]
    );
    let wrong = TldInput {
        id: Some(id),
        version: 1,
        tld: "de".into(),
        grace_days: 400,
        prices: vec![price("register", 1, "1,99"), price("transfer", 2, "zwölf"), price("renew", 11, "5")],
        ..Default::default()
    };
    assert_eq!(
        fields_of(save(&t.db, &wrong).await),
        [
            ("grace_days".to_string(), "tld.days_invalid".to_string()),
            ("price.transfer.2".into(), "tld.price_invalid".into()),
            ("prices".into(), "tld.price_unknown".into()),
        ]
    );
    assert_eq!(page(&t.db, 1).await.unwrap().rows[0].input.amount("register", 1), "0,99", "nothing saved");

    // A change replaces the prices; the version it was read at must still be current.
    let changed =
        TldInput { id: Some(id), version: 1, prices: vec![price("register", 2, "1,98")], ..de.clone() };
    save(&t.db, &changed).await.unwrap();
    let row = page(&t.db, 1).await.unwrap().rows.remove(0);
    assert_eq!(
        (row.input.amount("register", 1), row.input.amount("register", 2)),
        (String::new(), "1,98".into())
    );
    assert!(matches!(save(&t.db, &changed).await, Err(AppError::Conflict { current_version: 2 })));
    t.finish().await;
}
db_test!(the_tld_list_keeps_endings_and_prices);

fn key_of(r: Result<i32, AppError>) -> String {
    match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A domain is ordered in one spelling: `MÜLLER.de` is kept as `xn--mller-kva.de` and shown as
/// `müller.de`; the same name in any spelling is refused for every other customer; a name must
/// be one label under an ending we sell; another customer's domain is not found.
async fn a_domain_is_ordered_once_whatever_its_spelling(t: TestDb) {
    use clientdesk::customers::areas::domains::model::{DomainInput, DomainOrder, DomainStatus};
    use clientdesk::customers::areas::domains::service::{add, find, list};
    use clientdesk::customers::service::{Actor, seed::seed_customers};
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 13).await.unwrap();
    for tld in ["de", "co.uk"] {
        save(&t.db, &TldInput { tld: tld.into(), active: true, ..Default::default() }).await.unwrap();
    }
    let ctx = t.ctx();
    let order = |name: &str| DomainInput { name: name.into(), auto_renew: true, ..Default::default() };
    let id = add(&ctx, Actor::Staff(1), 1, &order("MÜLLER.de")).await.unwrap();
    add(&ctx, Actor::Staff(1), 1, &order("example.CO.uk.")).await.unwrap();
    for (customer, name) in [(2, "xn--mller-kva.de"), (1, "müller.de"), (2, "Müller.DE")] {
        assert_eq!(
            key_of(add(&ctx, Actor::Staff(1), customer, &order(name)).await),
            "domain.taken",
            "{name}"
        );
    }
    assert_eq!(key_of(add(&ctx, Actor::Staff(1), 1, &order("www.kunde.de")).await), "domain.not_registrable");
    assert_eq!(key_of(add(&ctx, Actor::Staff(1), 1, &order("kunde.at")).await), "domain.tld_unknown");
    assert_eq!(key_of(add(&ctx, Actor::Staff(1), 1, &order("kunde")).await), "domain.name_no_tld");
    assert_eq!(key_of(add(&ctx, Actor::Staff(1), 1, &order("ku nde.de")).await), "domain.name_invalid");

    // A transfer where the ending asks for the auth code needs one; it is kept sealed.
    let mut transfer = DomainInput { order: DomainOrder::Transfer, ..order("umzug.de") };
    save(&t.db, &TldInput { tld: "at".into(), active: true, authcode_required: true, ..Default::default() })
        .await
        .unwrap();
    transfer.name = "umzug.at".into();
    assert_eq!(key_of(add(&ctx, Actor::Staff(1), 2, &transfer).await), "domain.authcode_required");
    transfer.authcode = "Xy7-geheim!".into();
    let moved = add(&ctx, Actor::Staff(1), 2, &transfer).await.unwrap();
    let stored = find(&t.db, 2, moved).await.unwrap();
    assert_eq!(stored.order_kind, "transfer");
    assert!(stored.transfer_authcode != "Xy7-geheim!" && !stored.transfer_authcode.is_empty());
    assert_eq!(clientdesk::auth::secrets::open(&stored.transfer_authcode).unwrap(), "Xy7-geheim!");

    let page = list(&t.db, 1, 1).await.unwrap();
    assert_eq!(page.total, 2, "{}", t.backend);
    let names: Vec<(&str, &str)> = page.rows.iter().map(|r| (r.name.as_str(), r.ace.as_str())).collect();
    assert_eq!(names, [("example.co.uk", "example.co.uk"), ("müller.de", "xn--mller-kva.de")]);
    assert_eq!(page.rows[1].status, DomainStatus::Ordered);
    assert_eq!(page.rows[1].order, DomainOrder::Register);
    assert!(page.rows[1].auto_renew && page.rows[1].expires_on.is_empty());
    assert_eq!(list(&t.db, 2, 1).await.unwrap().total, 1, "the transfer");
    assert!(matches!(find(&t.db, 2, id).await, Err(AppError::NotFound)));
    let ordered = clientdesk::db::entities::event::Entity::find()
        .filter(clientdesk::db::entities::event::Column::Kind.eq("domain_ordered"))
        .count(&t.db)
        .await
        .unwrap();
    assert_eq!(ordered, 3);

    // Under a race the index refuses what the check did not see: a second live row of a name
    // cannot be written, while an ended one and a live one of a name live side by side.
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let first = find(&t.db, 1, id).await.unwrap();
    let mut twin = first.clone().into_active_model();
    twin.id = sea_orm::ActiveValue::NotSet;
    twin.customer_id = sea_orm::ActiveValue::Set(2);
    let err = twin.clone().insert(&t.db).await.unwrap_err();
    assert!(clientdesk::db::is_unique_violation(&err), "{err:?} on {}", t.backend);
    let mut ended = first.into_active_model();
    ended.status = sea_orm::ActiveValue::Set("deleted".into());
    ended.update(&t.db).await.unwrap();
    twin.insert(&t.db).await.unwrap();
    t.finish().await;
}
db_test!(a_domain_is_ordered_once_whatever_its_spelling);

/// A domain's own terms: auto-renew and paid-until change at the version shown, go into the
/// Verlauf under the domain's name, and are undone from there; a wrong date changes nothing.
async fn a_domains_terms_change_in_the_verlauf_and_undo(t: TestDb) {
    use clientdesk::customers::areas::domains::model::{DomainInput, DomainTerms};
    use clientdesk::customers::areas::domains::service::{add, list, set_terms};
    use clientdesk::customers::areas::history::service::{list as history, undo};
    use clientdesk::customers::service::{Actor, seed::seed_customers, today as ymd};
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 17).await.unwrap();
    save(&t.db, &TldInput { tld: "de".into(), active: true, ..Default::default() }).await.unwrap();
    let ctx = t.ctx();
    let staff = Actor::Staff(1);
    let id =
        add(&ctx, staff, 1, &DomainInput { name: "Bäcker.de".into(), ..Default::default() }).await.unwrap();
    let wrong = DomainTerms { auto_renew: true, expires_on: "31.12.2027".into(), version: 1 };
    assert_eq!(key_of(set_terms(&ctx, staff, 1, id, &wrong).await.map(|()| 0)), "validation.date");
    let terms = DomainTerms { auto_renew: true, expires_on: "2027-12-31".into(), version: 1 };
    set_terms(&ctx, staff, 1, id, &terms).await.unwrap();
    assert!(matches!(
        set_terms(&ctx, staff, 1, id, &terms).await,
        Err(AppError::Conflict { current_version: 2 })
    ));
    let row = list(&t.db, 1, 1).await.unwrap().rows.remove(0);
    assert_eq!(
        (row.auto_renew, row.expires_on.as_str(), row.version),
        (true, "2027-12-31", 2),
        "{}",
        t.backend
    );

    let changes = history(&t.db, 1, "", 50).await.unwrap();
    let renew = changes.iter().find(|c| c.entity == "domain" && c.field == "auto_renew").unwrap();
    assert_eq!(renew.subject.as_deref(), Some("bäcker.de"));
    undo(&t.ctx(), 1, 1, renew.id, ymd(), "").await.unwrap();
    let row = list(&t.db, 1, 1).await.unwrap().rows.remove(0);
    assert_eq!((row.auto_renew, row.expires_on.as_str()), (false, "2027-12-31"), "only that field goes back");
    t.finish().await;
}
db_test!(a_domains_terms_change_in_the_verlauf_and_undo);
