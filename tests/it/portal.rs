//! The self-service area over real HTTP on SQLite and PostgreSQL: staff send a reset link, the
//! customer sets a password from the mail, logs in and edits what they may of their own data;
//! links work once and expire; a customer never reaches another customer's data.
use crate::common::{self, TestDb};

use clientdesk::customers::model::CustomerProfile;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::portal::own_data::{OwnData, OwnForm};
use common::portal::{customer_with_password, login_step, post_form, send_reset};
use common::server::{self, call, client, deliver_mail, login, start};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn a_customer_sets_a_password_from_the_mail_and_edits_own_data(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 5, 3).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    let (email, token) = send_reset(&staff, &base, &t.db, 2).await;
    assert_eq!(token.len(), 64);

    let customer = client(&base);
    let page = customer.get(format!("{base}/portal/reset?token={token}")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let reset = |pw: &'static str, repeat: &'static str| {
        let (c, b, tok) = (customer.clone(), base.clone(), token.clone());
        async move {
            post_form(
                &c,
                format!("{b}/portal/auth/reset"),
                &[("token", &tok), ("password", pw), ("repeat", repeat)],
            )
            .await
        }
    };
    assert!(reset("kurz", "kurz").await.ends_with("error=validation.password_short"), "{}", t.backend);
    assert!(reset("ein-neues-passwort", "ein-anderes").await.ends_with("error=account.mismatch"));
    assert_eq!(reset("ein-neues-passwort", "ein-neues-passwort").await, "/portal/login?reset=1");
    assert!(reset("noch-ein-passwort", "noch-ein-passwort").await.ends_with("error=portal.reset_used"));

    // Staff sessions do not open the portal, nor portal sessions the staff pages.
    assert_eq!(staff.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    let to = post_form(
        &customer,
        format!("{base}/portal/auth/login"),
        &[("email", &email), ("password", "ein-neues-passwort")],
    )
    .await;
    assert_eq!(to, "/portal");
    let home = customer.get(format!("{base}/portal")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert_eq!(customer.get(format!("{base}/customers")).send().await.unwrap().status(), 303);
    let refused = call(&customer, &base, "get_customer", json!({"id": 2})).await;
    assert_eq!(serde_json::from_value::<AppError>(refused).unwrap(), AppError::Unauthenticated);
    let refused = call(&staff, &base, "portal_profile", json!({})).await;
    assert_eq!(serde_json::from_value::<AppError>(refused).unwrap(), AppError::Unauthenticated);

    // Own data: exactly the self-service fields go out, nothing staff-internal.
    let raw = call(&customer, &base, "portal_profile", json!({})).await;
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&raw), ["email", "form", "number", "version"], "{}", t.backend);
    let mut own_fields: Vec<String> = OwnForm::FIELDS.iter().map(|f| f.to_string()).collect();
    own_fields.sort();
    assert_eq!(keys(&raw["form"]), own_fields);
    for internal in
        ["status", "price_level", "dunning_off", "account_locked", "is_reseller", "custom", "group_id"]
    {
        assert!(!own_fields.iter().any(|f| f == internal), "{internal} is staff-internal");
    }
    assert!(!raw.to_string().contains("pinned"), "no notes");
    let mine: OwnData = serde_json::from_value(raw).unwrap();

    // What the customer may change changes; status, e-mail and flags sent along stay.
    let before = clientdesk::customers::service::detail(&t.db, 2).await.unwrap().form;
    let mut form = serde_json::to_value(&mine.form).unwrap();
    form["city"] = json!("Kundenstadt");
    form["status"] = json!("inactive");
    form["email"] = json!("anders@x.test");
    form["dunning_off"] = json!(!before.dunning_off);
    let saved = call(&customer, &base, "portal_save", json!({"version": mine.version, "form": form})).await;
    let saved: OwnData = serde_json::from_value(saved).unwrap();
    assert_eq!(saved.form.city, "Kundenstadt");
    let after = clientdesk::customers::service::detail(&t.db, 2).await.unwrap().form;
    assert_eq!(after.city, "Kundenstadt");
    assert_eq!(
        (after.status, &after.email, after.dunning_off),
        (before.status, &before.email, before.dunning_off)
    );
    let mut bad = saved.form.clone();
    bad.postcode = "1".into();
    bad.country = "DE".into();
    let refused = call(&customer, &base, "portal_save", json!({"version": saved.version, "form": bad})).await;
    assert!(
        matches!(serde_json::from_value::<AppError>(refused), Ok(AppError::Validation(e)) if e[0].field == "postcode")
    );

    // Everything is in the Log, with who acted.
    let events = call(&staff, &base, "customer_events", json!({"id": 2})).await;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["profile_changed", "login", "password_reset", "password_reset_sent"], "{}", t.backend);
    assert_eq!(events[3]["actor_name"], "Anna Albers");
    assert_eq!(events[1]["ip"], "127.0.0.1");
    let mails = call(&staff, &base, "customer_mails", json!({"id": 2})).await;
    assert_eq!(mails[0]["status"], "sent");
    assert!(mails[0]["body"].as_str().unwrap().contains("/portal/reset?token=••••••••"));

    // Locking the account ends the portal session at once.
    t.db.execute_unprepared("UPDATE customers SET account_locked = TRUE WHERE id = 2").await.unwrap();
    assert_eq!(customer.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    let locked = call(&staff, &base, "send_password_reset", json!({"id": 2})).await;
    assert!(
        matches!(serde_json::from_value::<AppError>(locked), Ok(AppError::Validation(e)) if e[0].key == "portal.locked")
    );
    drop(srv);
    t.finish().await;
}
db_test!(a_customer_sets_a_password_from_the_mail_and_edits_own_data);

async fn links_expire_and_forgotten_passwords_reveal_nothing(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 4).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    let (email, token) = send_reset(&staff, &base, &t.db, 1).await;
    t.db.execute_unprepared("UPDATE password_resets SET expires_at = created_at").await.unwrap();
    let anon = client(&base);
    let to = post_form(
        &anon,
        format!("{base}/portal/auth/reset"),
        &[("token", &token), ("password", "ein-neues-passwort"), ("repeat", "ein-neues-passwort")],
    )
    .await;
    assert!(to.ends_with("error=portal.reset_expired"), "{to} on {}", t.backend);
    let to = post_form(
        &anon,
        format!("{base}/portal/auth/reset"),
        &[("token", "abc"), ("password", "ein-neues-passwort"), ("repeat", "ein-neues-passwort")],
    )
    .await;
    assert!(to.ends_with("error=portal.reset_invalid"));

    // "Forgot password": the same answer for unknown and known addresses; mail only for known,
    // and at most three links an hour (the staff one counted).
    assert_eq!(
        post_form(&anon, format!("{base}/portal/auth/forgot"), &[("email", "niemand@x.test")]).await,
        "/portal/login?sent=1"
    );
    assert!(deliver_mail(&t.db).await.is_empty());
    for _ in 0..3 {
        assert_eq!(
            post_form(&anon, format!("{base}/portal/auth/forgot"), &[("email", &email)]).await,
            "/portal/login?sent=1"
        );
    }
    assert_eq!(deliver_mail(&t.db).await.len(), 2, "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(links_expire_and_forgotten_passwords_reveal_nothing);

async fn a_customer_only_ever_reaches_their_own_data(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 4, 5).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    let mut sessions = Vec::new();
    for id in [1, 2] {
        let (c, email) = customer_with_password(&staff, &base, &t.db, id).await;
        assert_eq!(login_step(&c, &base, &email, "kunden-passwort-1").await, "/portal");
        sessions.push(c);
    }
    let number = |id: i32| {
        let db = t.db.clone();
        async move { clientdesk::customers::service::detail(&db, id).await.unwrap().number }
    };
    // Whatever id the request carries, the session decides.
    for (c, own) in sessions.iter().zip([1, 2]) {
        for body in [json!({}), json!({"id": 3 - own}), json!({"customer_id": 3 - own})] {
            let p: OwnData = serde_json::from_value(call(c, &base, "portal_profile", body).await).unwrap();
            assert_eq!(p.number, number(own).await, "{}", t.backend);
        }
        let me = call(c, &base, "portal_me", json!({"customer_id": 3 - own})).await;
        assert_eq!(me["number"], number(own).await.as_str());
        // Exactly what the portal shows of who is logged in: no ids of logins, customers or staff.
        let mut keys: Vec<&str> = me.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["impersonated_by", "is_contact", "is_reseller", "name", "number", "rights", "session_ends"]
        );
    }
    let other: CustomerProfile =
        serde_json::from_value(call(&staff, &base, "get_customer", json!({"id": 1})).await).unwrap();
    // Customer 2's session, sent customer 1's id and data, can only ever write customer 2.
    let try_other = call(
        &sessions[1],
        &base,
        "portal_save",
        json!({"id": 1, "version": other.detail.version, "form": other.detail.form}),
    )
    .await;
    if let Ok(p) = serde_json::from_value::<OwnData>(try_other) {
        assert_eq!(p.number, number(2).await, "{}", t.backend);
    }
    let after: CustomerProfile =
        serde_json::from_value(call(&staff, &base, "get_customer", json!({"id": 1})).await).unwrap();
    assert_eq!(after.detail.version, other.detail.version);
    drop(srv);
    t.finish().await;
}
db_test!(a_customer_only_ever_reaches_their_own_data);

async fn customers_may_add_a_second_factor_and_change_their_password(t: TestDb) {
    use clientdesk::auth::totp::code_at;
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 10).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    let (c, email) = customer_with_password(&staff, &base, &t.db, 1).await;
    assert_eq!(login_step(&c, &base, &email, "kunden-passwort-1").await, "/portal");

    // Staff acting as the customer may not touch the customer's login security.
    let to = staff
        .post(format!("{base}/portal/auth/impersonate"))
        .form(&[("customer_id", "1"), ("reason", "Hilfe beim Login")])
        .send()
        .await
        .unwrap();
    assert_eq!(to.headers()["location"], "/portal");
    let refused = call(&staff, &base, "portal_start_totp", json!({"password": "kunden-passwort-1"})).await;
    assert_eq!(serde_json::from_value::<AppError>(refused).unwrap(), AppError::Forbidden, "{}", t.backend);

    // The customer turns on two-factor login.
    let enrol = call(&c, &base, "portal_start_totp", json!({"password": "kunden-passwort-1"})).await;
    let secret = enrol["secret"].as_str().unwrap().to_string();
    let t0 = now();
    let codes: Vec<String> = serde_json::from_value(
        call(&c, &base, "portal_confirm_totp", json!({"code": code_at(&secret, t0)})).await,
    )
    .unwrap();
    assert_eq!(codes.len(), 10);

    // Password alone is not enough now; a wrong code is logged; the next code works.
    let c2 = client(&base);
    assert_eq!(login_step(&c2, &base, &email, "kunden-passwort-1").await, "/portal/login/2fa?next=%2Fportal");
    assert_eq!(c2.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    let wrong = post_form(&c2, format!("{base}/portal/auth/2fa"), &[("code", "123456")]).await;
    assert!(wrong.starts_with("/portal/login/2fa?error=1"), "{wrong}");
    let ok = post_form(&c2, format!("{base}/portal/auth/2fa"), &[("code", &code_at(&secret, t0 + 30))]).await;
    assert_eq!(ok, "/portal", "{}", t.backend);
    assert_eq!(c2.get(format!("{base}/portal")).send().await.unwrap().status(), 200);

    // A password change ends the other sessions and keeps this one.
    let changed = call(
        &c2,
        &base,
        "portal_change_password",
        json!({"current": "kunden-passwort-1", "new": "kunden-passwort-2"}),
    )
    .await;
    assert_eq!(changed, Value::Null);
    assert_eq!(c2.get(format!("{base}/portal")).send().await.unwrap().status(), 200);
    assert_eq!(c.get(format!("{base}/portal")).send().await.unwrap().status(), 303);
    let events = call(&staff, &base, "customer_events", json!({"id": 1})).await;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        &kinds[..4],
        ["password_changed", "login", "two_factor_failed", "two_factor_enabled"],
        "{}",
        t.backend
    );
    drop(srv);
    t.finish().await;
}
db_test!(customers_may_add_a_second_factor_and_change_their_password);

async fn no_copy_staff_can_read_holds_a_usable_set_password_link(t: TestDb) {
    use clientdesk::mail::REDACTED_TOKEN;
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 5, 3).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    // The recipient's copy (the .eml standing for the mailbox) has the token ...
    let (_, token) = send_reset(&staff, &base, &t.db, 2).await;
    assert_eq!(token.len(), 64);
    // ... the E-Mails area, the stored row and the data report have it redacted.
    let mails = call(&staff, &base, "customer_mails", json!({"id": 2})).await;
    let body = mails[0]["body"].as_str().unwrap();
    assert!(body.contains(&format!("/portal/reset?token={REDACTED_TOKEN}")), "{body}");
    assert!(!mails.to_string().contains(&token), "{}", t.backend);
    let row = t.db.query_one_raw(clientdesk::db::stmt(
        &t.db,
        "SELECT body, secret FROM mail_outbox ORDER BY id DESC",
        vec![],
    ));
    let row = row.await.unwrap().unwrap();
    assert!(!row.try_get::<String>("", "body").unwrap().contains(&token));
    assert_eq!(row.try_get::<Option<String>>("", "secret").unwrap(), None, "forgotten once delivered");
    let report = staff.post(format!("{base}/documents/customers/2/report.json")).send().await.unwrap();
    assert!(!report.text().await.unwrap().contains(&token), "{}", t.backend);

    // A resend sends a fresh link, which works.
    let mail_id = mails[0]["id"].as_i64().unwrap();
    let resent = call(&staff, &base, "resend_mail", json!({"id": 2, "mail": mail_id})).await;
    assert!(resent.as_i64().is_some(), "{resent}");
    let eml = common::server::deliver_mail(&t.db).await.last().unwrap().clone();
    let fresh = common::server::reset_token(&eml);
    assert_ne!(fresh, token);
    let mails = call(&staff, &base, "customer_mails", json!({"id": 2})).await;
    assert!(!mails.to_string().contains(&fresh), "{}", t.backend);
    let set = post_form(
        &client(&base),
        format!("{base}/portal/auth/reset"),
        &[("token", &fresh), ("password", "kunden-passwort-1"), ("repeat", "kunden-passwort-1")],
    )
    .await;
    assert_eq!(set, "/portal/login?reset=1", "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(no_copy_staff_can_read_holds_a_usable_set_password_link);
