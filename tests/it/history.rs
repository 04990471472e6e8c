//! The Verlauf on SQLite and PostgreSQL: every save records what changed, field by field and by
//! whom; undo appends a reversing change through the normal save and refuses when the field
//! changed again since; nothing is ever deleted.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::history::service::{list, undo};
use clientdesk::customers::model::CustomerForm;
use clientdesk::customers::service::{self, Actor};
use clientdesk::error::AppError;
use sea_orm::{EntityTrait, PaginatorTrait};

const TODAY: (i32, u32, u32) = (2026, 11, 27);

fn form() -> CustomerForm {
    CustomerForm {
        first_name: "Vera".into(),
        last_name: "Verlauf".into(),
        email: "vera@example.de".into(),
        street: "Hauptstraße".into(),
        house_number: "1".into(),
        postcode: "20095".into(),
        city: "Hamburg".into(),
        ..CustomerForm::new_default()
    }
}

async fn changes(db: &clientdesk::db::Db) -> u64 {
    clientdesk::db::entities::change::Entity::find().count(db).await.unwrap()
}

async fn saves_are_recorded_field_by_field_and_undone_by_a_new_change(t: TestDb) {
    common::server::add_staff(&t.db).await;
    let db = &t.db;
    let id = service::create(db, Actor::System, &form(), "test", TODAY).await.unwrap();
    let d = service::detail(db, id).await.unwrap();
    let mut f = d.form.clone();
    f.city = "Lübeck".into();
    f.postcode = "23552".into();
    f.dunning_off = true;
    let saved =
        service::update(&crate::common::ctx(db), Actor::Staff(1), id, d.version, &f, TODAY).await.unwrap();
    let rows = list(db, id, "", 50).await.unwrap();
    let mut fields: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r.field.as_str(), r.old_value.as_str(), r.new_value.as_str())).collect();
    fields.sort();
    assert_eq!(
        fields,
        [("city", "Hamburg", "Lübeck"), ("dunning_off", "false", "true"), ("postcode", "20095", "23552")],
        "{}",
        t.backend
    );
    assert!(rows.iter().all(|r| r.actor_kind == "staff" && r.actor_name == "Anna Albers"));

    // The customer (here with staff acting for them) changes the phone.
    let mut g = saved.detail.form.clone();
    g.phone = "+49 40 123456".into();
    let saved = service::update(
        &crate::common::ctx(db),
        Actor::Customer { login_id: 9, by_staff: Some(1) },
        id,
        saved.detail.version,
        &g,
        TODAY,
    )
    .await
    .unwrap();
    let by_customer = list(db, id, "customer", 50).await.unwrap();
    assert_eq!(by_customer.len(), 1);
    assert_eq!(
        (by_customer[0].field.as_str(), by_customer[0].on_behalf_of.as_deref()),
        ("phone", Some("Anna Albers"))
    );
    assert_eq!(by_customer[0].actor_name, "Vera Verlauf");

    // Undo the city: it is Hamburg again, through a new change that names the old one.
    let city = rows.iter().find(|r| r.field == "city").unwrap().id;
    let before = changes(db).await;
    let undone = undo(&crate::common::ctx(db), 1, id, city, TODAY, "").await.unwrap();
    assert_eq!(undone.detail.form.city, "Hamburg", "{}", t.backend);
    assert_eq!(undone.detail.version, saved.detail.version + 1);
    assert_eq!(changes(db).await, before + 1, "appended, nothing deleted");
    let now = list(db, id, "", 50).await.unwrap();
    assert_eq!(now[0].reverts, Some(city));
    assert_eq!(now.iter().find(|r| r.id == city).unwrap().reverted_by, Some(now[0].id));

    // Undoing it again, or undoing a change whose field changed since, is refused.
    match undo(&crate::common::ctx(db), 1, id, city, TODAY, "").await {
        Err(AppError::Validation(e)) => {
            assert_eq!((e[0].field.as_str(), e[0].key.as_str()), ("city", "history.changed_since"))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let postcode = rows.iter().find(|r| r.field == "postcode").unwrap().id;
    let mut h = undone.detail.form.clone();
    h.postcode = "23554".into();
    service::update(&crate::common::ctx(db), Actor::Staff(1), id, undone.detail.version, &h, TODAY)
        .await
        .unwrap();
    assert!(matches!(
        undo(&crate::common::ctx(db), 1, id, postcode, TODAY, "").await,
        Err(AppError::Validation(_))
    ));
    assert!(
        matches!(undo(&crate::common::ctx(db), 1, id + 1, city, TODAY, "").await, Err(AppError::NotFound)),
        "another customer's change"
    );
    t.finish().await;
}
db_test!(saves_are_recorded_field_by_field_and_undone_by_a_new_change);

/// A change of an entity no area claims (as a future `product.status` would be before its
/// area lands) is not undone as a customer field: "not found", and nothing changes.
async fn an_undo_of_an_entity_no_area_claims_is_refused(t: TestDb) {
    use clientdesk::db::entities::change;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    common::server::add_staff(&t.db).await;
    let db = &t.db;
    let id = service::create(db, Actor::System, &form(), "test", TODAY).await.unwrap();
    let stray = change::ActiveModel {
        customer_id: Set(id),
        entity: Set("product".into()),
        entity_id: Set(7),
        field: Set("status".into()),
        old_value: Set("active".into()),
        new_value: Set("locked".into()),
        actor_kind: Set("staff".into()),
        actor_id: Set(Some(1)),
        at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let before = (service::detail(db, id).await.unwrap(), changes(db).await);
    assert!(
        matches!(undo(&crate::common::ctx(db), 1, id, stray.id, TODAY, "").await, Err(AppError::NotFound)),
        "{}",
        t.backend
    );
    assert_eq!((service::detail(db, id).await.unwrap(), changes(db).await), before, "nothing changed");
    t.finish().await;
}
db_test!(an_undo_of_an_entity_no_area_claims_is_refused);
