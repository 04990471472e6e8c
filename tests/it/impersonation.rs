//! "Als Kunde einloggen" over real HTTP on SQLite and PostgreSQL: a reason, a banner naming the
//! staff member, everything logged with them, no customer IP recorded, a way back, refusals,
//! and an immediate end when the staff member loses the permission or is deactivated. Also the
//! customer's sessions as staff see and end them.
use crate::common::{self, TestDb};

use clientdesk::customers::service::seed::seed_customers;
use clientdesk::staff::model::StaffChange;
use common::server::{self, call, login, start};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn impersonate(staff: &reqwest::Client, base: &str, id: i32, reason: &str) -> String {
    let res = staff
        .post(format!("{base}/portal/auth/impersonate"))
        .form(&[("customer_id", id.to_string().as_str()), ("reason", reason)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn staff_act_as_a_customer_with_a_reason_a_banner_and_a_way_back(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 4, 6).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;

    assert_eq!(
        impersonate(&staff, &base, 2, " ").await,
        "/customers/2/data?notice=impersonate.reason_required"
    );
    assert_eq!(
        impersonate(&staff, &base, 2, "Kunde sieht seine Rechnung nicht").await,
        "/portal",
        "{}",
        t.backend
    );
    // The same browser now holds both sessions: staff pages and the portal as the customer.
    let portal = staff.get(format!("{base}/portal")).send().await.unwrap().text().await.unwrap();
    assert!(portal.contains("durch Anna Albers") && portal.contains("Zurück zu clientdesk"), "{}", t.backend);
    assert_eq!(staff.get(format!("{base}/customers")).send().await.unwrap().status(), 200);
    assert_eq!(
        impersonate(&staff, &base, 3, "noch einer").await,
        "/customers/3/data?notice=impersonate.already"
    );

    // What is done in the portal is logged with the staff member; no customer IP is kept.
    let mine = call(&staff, &base, "portal_profile", json!({})).await;
    let mut form = mine["form"].clone();
    form["city"] = json!("Vertretungsstadt");
    call(&staff, &base, "portal_save", json!({"version": mine["version"], "form": form})).await;
    let sessions = call(&staff, &base, "customer_sessions", json!({"id": 2})).await;
    assert_eq!(sessions[0]["impersonated_by"], "Anna Albers");
    assert_eq!(sessions[0]["ip"], Value::Null);
    assert_eq!(call(&staff, &base, "customer_ips", json!({"id": 2})).await, json!([]));

    // The way back ends the session and lands on the customer's profile.
    let res = staff.post(format!("{base}/portal/auth/stop-impersonation")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/customers/2/data");
    assert_eq!(staff.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    let events = call(&staff, &base, "customer_events", json!({"id": 2})).await;
    let rows: Vec<(String, String, Value)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().into(),
                e["actor_kind"].as_str().unwrap().into(),
                e["impersonator_name"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            // Starting and ending are the staff member's own acts; in between they act as the customer.
            ("impersonation_ended".into(), "staff".into(), Value::Null),
            ("profile_changed".into(), "customer".into(), json!("Anna Albers")),
            ("impersonation_started".into(), "staff".into(), Value::Null),
        ],
        "{}",
        t.backend
    );

    // Locked customers, and customers with 2FA for a role that may not bypass it: refused.
    t.db.execute_unprepared("UPDATE customers SET account_locked = TRUE WHERE id = 3").await.unwrap();
    assert_eq!(impersonate(&staff, &base, 3, "Prüfung").await, "/customers/3/data?notice=impersonate.locked");
    drop(srv);
    t.finish().await;
}
db_test!(staff_act_as_a_customer_with_a_reason_a_banner_and_a_way_back);

async fn acting_as_a_customer_ends_when_the_staff_member_may_no_longer(t: TestDb) {
    server::add_staff(&t.db).await;
    let support = clientdesk::staff::service::add_staff(
        &t.db,
        "s@x.test",
        "Sina Support",
        "sina-passwort-1",
        "support",
    )
    .await
    .unwrap();
    seed_customers(&t.db, 3, 7).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let sina = server::login_as(&base, "s@x.test", "sina-passwort-1").await;

    let admin = login(&srv).await;
    let roles = clientdesk::staff::service::list_roles(&t.db).await.unwrap();
    let role = |key: &str| roles.iter().find(|r| r.key == key).unwrap().id;
    let set_role =
        |key: &str, active: bool| json!({"change": StaffChange { id: support, role_id: role(key), active }});
    let stop = |c: &reqwest::Client| {
        let (c, base) = (c.clone(), base.clone());
        async move { c.post(format!("{base}/portal/auth/stop-impersonation")).send().await.unwrap() }
    };

    // A customer with two-factor login: support may not bypass it, an administrator may.
    assert_eq!(impersonate(&sina, &base, 1, "Hilfe").await, "/portal");
    stop(&sina).await;
    t.db.execute_unprepared(
        "UPDATE portal_logins SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE customer_id = 1",
    )
    .await
    .unwrap();
    assert_eq!(
        impersonate(&sina, &base, 1, "Hilfe").await,
        "/customers/1/data?notice=impersonate.second_factor"
    );
    assert_eq!(impersonate(&admin, &base, 1, "Hilfe").await, "/portal", "{}", t.backend);

    // Sina becomes read-only while acting as customer 2: that ends with her next request.
    assert_eq!(impersonate(&sina, &base, 2, "Hilfe").await, "/portal");
    assert_eq!(sina.get(format!("{base}/portal")).send().await.unwrap().status(), 200);
    assert_eq!(call(&admin, &base, "change_staff", set_role("readonly", true)).await, Value::Null);
    assert_eq!(sina.get(format!("{base}/portal")).send().await.unwrap().status(), 303, "{}", t.backend);

    // Support again, acting again; then deactivated: it ends too.
    call(&admin, &base, "change_staff", set_role("support", true)).await;
    let sina = server::login_as(&base, "s@x.test", "sina-passwort-1").await;
    assert_eq!(impersonate(&sina, &base, 2, "Hilfe").await, "/portal");
    assert_eq!(sina.get(format!("{base}/portal")).send().await.unwrap().status(), 200);
    call(&admin, &base, "change_staff", set_role("support", false)).await;
    assert_eq!(sina.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    assert_eq!(admin.get(format!("{base}/portal")).send().await.unwrap().status(), 200, "others go on");

    // Staff end the customer's sessions: one at a time or all; a new login is needed.
    let sessions = call(&admin, &base, "customer_sessions", json!({"id": 1})).await;
    let id = sessions[0]["id"].clone();
    assert_eq!(call(&admin, &base, "end_customer_sessions", json!({"id": 1, "session": id})).await, json!(1));
    assert_eq!(admin.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    let gone = call(&admin, &base, "end_customer_sessions", json!({"id": 1, "session": id})).await;
    assert_eq!(gone, json!("NotFound"));
    drop(srv);
    t.finish().await;
}
db_test!(acting_as_a_customer_ends_when_the_staff_member_may_no_longer);
