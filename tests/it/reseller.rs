//! Reseller on SQLite and PostgreSQL: a reseller's end customers in pages with their products;
//! removing the link changes the end customer's master data (in its Verlauf), is logged on both
//! and mailed to the end customer.
use crate::common::{self, TestDb};
use clientdesk::customers::areas::history::service::list as history;
use clientdesk::customers::areas::reseller::service::{end_customers, unlink};
use clientdesk::customers::service::{self as customers, Actor, seed::seed_customers, today};
use clientdesk::error::AppError;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn a_reseller_sees_its_end_customers_and_staff_remove_one(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 4, 41).await.unwrap();
    // Customer 1 becomes a reseller; 2 and 3 are its end customers.
    let reseller = customers::detail(&t.db, 1).await.unwrap();
    let mut form = reseller.form.clone();
    form.is_reseller = true;
    form.reseller_number = String::new();
    customers::update(&t.ctx(), Actor::Staff(1), 1, reseller.version, &form, today()).await.unwrap();
    for end in [2, 3] {
        let d = customers::detail(&t.db, end).await.unwrap();
        let mut f = d.form.clone();
        f.reseller_number = reseller.number.clone();
        f.is_reseller = false;
        customers::update(&t.ctx(), Actor::Staff(1), end, d.version, &f, today()).await.unwrap();
    }
    let page = end_customers(&t.db, 1, 1).await.unwrap();
    let mut ids: Vec<i32> = page.rows.iter().map(|c| c.id).collect();
    ids.sort();
    assert_eq!((ids, page.total), (vec![2, 3], 2), "{}", t.backend);

    let two = page.rows.iter().find(|c| c.id == 2).unwrap().clone();
    assert!(
        matches!(unlink(&t.ctx(), 1, 4, (2, two.version)).await, Err(AppError::NotFound)),
        "not its reseller"
    );
    assert!(matches!(unlink(&t.ctx(), 1, 1, (2, two.version - 1)).await, Err(AppError::Conflict { .. })));
    unlink(&t.ctx(), 1, 1, (2, two.version)).await.unwrap();
    assert_eq!(end_customers(&t.db, 1, 1).await.unwrap().rows.iter().map(|c| c.id).collect::<Vec<_>>(), [3]);
    assert_eq!(customers::detail(&t.db, 2).await.unwrap().form.reseller_number, "");
    let changes = history(&t.db, 2, "", 20).await.unwrap();
    let link = changes
        .iter()
        .find(|c| c.field == "reseller_number" && c.new_value.is_empty())
        .expect("in the Verlauf");
    assert_eq!(link.old_value, reseller.number);
    for c in [1, 2] {
        let events = clientdesk::customers::areas::log::service::for_customer(&t.db, c, 20).await.unwrap();
        assert!(events.iter().any(|e| e.kind == "reseller_unlinked"), "logged on {c}");
    }
    let mails = clientdesk::db::entities::mail_outbox::Entity::find()
        .filter(clientdesk::db::entities::mail_outbox::Column::CustomerId.eq(2))
        .filter(clientdesk::db::entities::mail_outbox::Column::Template.eq("reseller_unlinked"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    t.finish().await;
}
db_test!(a_reseller_sees_its_end_customers_and_staff_remove_one);

/// In the self-service area only a reseller's own login sees its end customers; another
/// customer is refused, whatever it sends.
async fn only_the_resellers_own_login_sees_its_end_customers_in_the_portal(t: TestDb) {
    use common::portal::{customer_with_password, login_step};
    use common::server::{call, login, start};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 42).await.unwrap();
    let reseller = customers::detail(&t.db, 1).await.unwrap();
    let mut form = reseller.form.clone();
    form.is_reseller = true;
    form.reseller_number = String::new();
    customers::update(&t.ctx(), Actor::Staff(1), 1, reseller.version, &form, today()).await.unwrap();
    let end = customers::detail(&t.db, 2).await.unwrap();
    let mut f = end.form.clone();
    f.reseller_number = reseller.number.clone();
    f.is_reseller = false;
    customers::update(&t.ctx(), Actor::Staff(1), 2, end.version, &f, today()).await.unwrap();
    let d3 = customers::detail(&t.db, 3).await.unwrap();
    let mut f3 = d3.form.clone();
    f3.is_reseller = false;
    customers::update(&t.ctx(), Actor::Staff(1), 3, d3.version, &f3, today()).await.unwrap();

    let srv = start(t.db.clone()).await;
    let staff = login(&srv).await;
    let (c, email) = customer_with_password(&staff, &srv.base, &t.db, 1).await;
    assert_eq!(login_step(&c, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let page = call(&c, &srv.base, "portal_end_customers", serde_json::json!({"page": 1})).await;
    assert_eq!(page["total"], 1, "{page} on {}", t.backend);
    assert_eq!(page["rows"][0]["number"], end.number);
    let (other, email) = customer_with_password(&staff, &srv.base, &t.db, 3).await;
    assert_eq!(login_step(&other, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let refused = call(&other, &srv.base, "portal_end_customers", serde_json::json!({"page": 1})).await;
    assert!(
        matches!(serde_json::from_value::<AppError>(refused.clone()), Ok(AppError::Forbidden)),
        "{refused}"
    );
    t.finish().await;
}
db_test!(only_the_resellers_own_login_sees_its_end_customers_in_the_portal);
