//! Two-factor login over real HTTP on SQLite and PostgreSQL: enrolment after re-entering the
//! password, the second login step with TOTP and recovery codes (each once), and the
//! administrator's "require 2FA" that leaves members without it only their account page.
use crate::common::{self, TestDb};

use clientdesk::auth::two_factor::code_at;
use clientdesk::error::AppError;
use common::server::{self, EMAIL, PASSWORD, call, client, login, start};
use serde_json::{Value, json};

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

fn error(v: &Value) -> Option<AppError> {
    serde_json::from_value(v.clone()).ok()
}

async fn password_step(base: &str) -> (reqwest::Client, String) {
    let c = client(base);
    let res = c
        .post(format!("{base}/auth/login"))
        .form(&[("email", EMAIL), ("password", PASSWORD), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    (c, res.headers()["location"].to_str().unwrap().to_string())
}

async fn code_step(c: &reqwest::Client, base: &str, code: &str) -> String {
    let res = c
        .post(format!("{base}/auth/2fa"))
        .form(&[("code", code), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn enrol_then_log_in_with_a_code_or_a_recovery_code(t: TestDb) {
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let (base, c) = (srv.base.clone(), login(&srv).await);

    let wrong = call(&c, &base, "start_totp", json!({"password": "falsch"})).await;
    assert!(matches!(error(&wrong), Some(AppError::Validation(e)) if e[0].key == "account.wrong_password"));
    let enrol = call(&c, &base, "start_totp", json!({"password": PASSWORD})).await;
    let secret = enrol["secret"].as_str().unwrap().to_string();
    assert!(
        enrol["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || enrol["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let bad = call(&c, &base, "confirm_totp", json!({"code": "000000"})).await;
    assert!(
        matches!(error(&bad), Some(AppError::Validation(e)) if e[0].key == "account.wrong_code"),
        "{bad}"
    );
    let t0 = now();
    let codes: Vec<String> =
        serde_json::from_value(call(&c, &base, "confirm_totp", json!({"code": code_at(&secret, t0)})).await)
            .unwrap();
    assert_eq!(codes.len(), 10, "{}", t.backend);
    let info = call(&c, &base, "my_account", json!({})).await;
    assert_eq!(
        (info["totp_enabled"].as_bool(), info["recovery_codes_left"].as_u64()),
        (Some(true), Some(10))
    );

    // The password alone now leads to the second step, not into the app.
    let (c2, to) = password_step(&base).await;
    assert_eq!(to, "/login/2fa?next=%2Fcustomers", "{}", t.backend);
    assert_eq!(c2.get(format!("{base}/customers")).send().await.unwrap().status(), 303);
    let page = c2.get(format!("{base}/login/2fa")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Zwei-Faktor-Anmeldung"));
    assert!(code_step(&c2, &base, "123456").await.starts_with("/login/2fa?error=1"));
    // The code that confirmed enrolment was used; the next one works.
    assert!(code_step(&c2, &base, &code_at(&secret, t0)).await.starts_with("/login/2fa?error=1"));
    assert_eq!(code_step(&c2, &base, &code_at(&secret, t0 + 30)).await, "/customers");
    assert_eq!(c2.get(format!("{base}/customers")).send().await.unwrap().status(), 200);

    // A recovery code works once.
    let (c3, _) = password_step(&base).await;
    assert_eq!(code_step(&c3, &base, &codes[3]).await, "/customers");
    let (c4, _) = password_step(&base).await;
    assert!(code_step(&c4, &base, &codes[3]).await.starts_with("/login/2fa?error=1"));
    // Without the password step there is nothing to confirm.
    let c5 = client(&base);
    assert_eq!(code_step(&c5, &base, &codes[4]).await, "/login?error=expired");
    let info = call(&c3, &base, "my_account", json!({})).await;
    assert_eq!(info["recovery_codes_left"].as_u64(), Some(9));
    drop(srv);
    t.finish().await;
}
db_test!(enrol_then_log_in_with_a_code_or_a_recovery_code);

async fn required_two_factor_leaves_only_the_account_page_until_set_up(t: TestDb) {
    server::add_staff(&t.db).await;
    clientdesk::staff::service::add_staff(&t.db, "s@x.test", "Sven", "sven-passwort-1", "support")
        .await
        .unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let admin = login(&srv).await;
    let set = call(&admin, &base, "set_staff_policy", json!({"policy": {"require_2fa": true}})).await;
    assert!(matches!(error(&set), Some(AppError::Validation(e)) if e[0].key == "staff.enrol_first"));
    let enrol = call(&admin, &base, "start_totp", json!({"password": PASSWORD})).await;
    let code = code_at(enrol["secret"].as_str().unwrap(), now());
    call(&admin, &base, "confirm_totp", json!({"code": code})).await;
    let set = call(&admin, &base, "set_staff_policy", json!({"policy": {"require_2fa": true}})).await;
    assert_eq!(set, Value::Null, "{}", t.backend);

    let sven = client(&base);
    sven.post(format!("{base}/auth/login"))
        .form(&[("email", "s@x.test"), ("password", "sven-passwort-1"), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    let page = sven.get(format!("{base}/customers")).send().await.unwrap();
    assert_eq!((page.status().as_u16(), page.headers()["location"].to_str().unwrap()), (303, "/account"));
    let refused = call(&sven, &base, "search_customers", json!({"query": {}})).await;
    assert_eq!(error(&refused), Some(AppError::Forbidden));
    assert_eq!(sven.get(format!("{base}/account")).send().await.unwrap().status(), 200);
    let info = call(&sven, &base, "my_account", json!({})).await;
    assert_eq!(info["totp_required"].as_bool(), Some(true));
    let off = call(&sven, &base, "disable_totp", json!({"password": "sven-passwort-1"})).await;
    assert_eq!(error(&off), Some(AppError::Forbidden), "nothing to turn off yet");

    // Set up: the app opens.
    let enrol = call(&sven, &base, "start_totp", json!({"password": "sven-passwort-1"})).await;
    let secret = enrol["secret"].as_str().unwrap().to_string();
    call(&sven, &base, "confirm_totp", json!({"code": code_at(&secret, now())})).await;
    assert_eq!(sven.get(format!("{base}/customers")).send().await.unwrap().status(), 200);
    let off = call(&sven, &base, "disable_totp", json!({"password": "sven-passwort-1"})).await;
    assert!(matches!(error(&off), Some(AppError::Validation(e)) if e[0].key == "account.2fa_required"));

    // The administrator resets Sven's second factor after a lost phone: he is logged out.
    let rows: Value = call(&admin, &base, "list_staff", json!({})).await;
    let id = rows.as_array().unwrap().iter().find(|r| r["email"] == "s@x.test").unwrap()["id"].clone();
    assert_eq!(rows.as_array().unwrap().iter().find(|r| r["email"] == "s@x.test").unwrap()["totp"], true);
    call(&admin, &base, "reset_staff_two_factor", json!({"id": id})).await;
    assert_eq!(sven.get(format!("{base}/customers")).send().await.unwrap().status(), 303);
    drop(srv);
    t.finish().await;
}
db_test!(required_two_factor_leaves_only_the_account_page_until_set_up);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_needs_the_old_one_and_ends_other_sessions() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let here = login(&srv).await;
    let elsewhere = login(&srv).await;
    let wrong =
        call(&here, &base, "change_password", json!({"current": "falsch", "new": "ganz-neues-passwort"}))
            .await;
    assert!(matches!(error(&wrong), Some(AppError::Validation(e)) if e[0].field == "current"));
    let short = call(&here, &base, "change_password", json!({"current": PASSWORD, "new": "kurz"})).await;
    assert!(
        matches!(error(&short), Some(AppError::Validation(e)) if e[0].key == "validation.password_short")
    );
    let ok =
        call(&here, &base, "change_password", json!({"current": PASSWORD, "new": "ganz-neues-passwort"}))
            .await;
    assert_eq!(ok, Value::Null);
    assert_eq!(
        here.get(format!("{base}/customers")).send().await.unwrap().status(),
        200,
        "this session stays"
    );
    assert_eq!(elsewhere.get(format!("{base}/customers")).send().await.unwrap().status(), 303, "others end");
    drop(srv);
    t.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_login_address_needs_the_password() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    clientdesk::staff::service::add_staff(&t.db, "b@x.test", "Berta", "berta-passwort-1", "support")
        .await
        .unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let c = login(&srv).await;
    let wrong = call(&c, &base, "change_email", json!({"password": "falsch", "email": "neu@x.test"})).await;
    assert!(matches!(error(&wrong), Some(AppError::Validation(e)) if e[0].field == "password"));
    let taken = call(&c, &base, "change_email", json!({"password": PASSWORD, "email": "B@x.test"})).await;
    assert!(matches!(error(&taken), Some(AppError::Validation(e)) if e[0].key == "validation.email_taken"));
    assert_eq!(
        call(&c, &base, "change_email", json!({"password": PASSWORD, "email": "Neu@X.test"})).await,
        Value::Null
    );
    assert_eq!(call(&c, &base, "my_account", json!({})).await["email"], "neu@x.test");
    drop(srv);
    t.finish().await;
}
