//! Login hardening over real HTTP: throttling per account and per IP, a new session id at every
//! login, `__Host-` cookies over HTTPS, and the Content Security Policy with its script nonce.
use crate::common::{self, TestDb};

use clientdesk::auth::throttle::{ACCOUNT_FREE, FIRST_WAIT, IP_FREE};
use common::server::{self, EMAIL, PASSWORD, client, login, start, start_with};

async fn try_login(c: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = c
        .post(format!("{base}/auth/login"))
        .form(&[("email", email), ("password", password), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn failed_logins_are_throttled_per_account_and_per_ip(t: TestDb) {
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let c = client(&srv.base);
    for _ in 0..ACCOUNT_FREE {
        assert!(try_login(&c, &srv.base, EMAIL, "falsch").await.starts_with("/login?error=1"));
    }
    // Now even the right password has to wait: 2 seconds after the last failure (rounded up
    // from what is left of them).
    let refused = try_login(&c, &srv.base, EMAIL, PASSWORD).await;
    assert!(refused.starts_with("/login?error=throttled&wait="), "{refused} on {}", t.backend);
    let wait: i64 = refused.split("wait=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    assert!((1..=FIRST_WAIT).contains(&wait), "{refused}");
    let page = c.get(format!("{}{refused}", srv.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!(
        "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in {wait} Sekunden erneut."
    )));
    assert_eq!(c.get(format!("{}/customers", srv.base)).send().await.unwrap().status(), 303);
    // Once the wait is over, the right password works.
    tokio::time::sleep(std::time::Duration::from_secs(wait as u64)).await;
    assert_eq!(try_login(&c, &srv.base, EMAIL, PASSWORD).await, "/customers", "{}", t.backend);

    // Other accounts from the same address go on until the address's own limit.
    let mut throttled_at = None;
    for i in 0..IP_FREE {
        let to = try_login(&c, &srv.base, &format!("niemand{i}@x.test"), "falsch").await;
        if to.contains("throttled") {
            throttled_at = Some(i);
            break;
        }
    }
    assert_eq!(throttled_at, Some(IP_FREE - ACCOUNT_FREE), "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(failed_logins_are_throttled_per_account_and_per_ip);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_login_gets_a_new_session_and_ends_the_old_one() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let first = login(&srv).await;
    let cookie = |res: &reqwest::Response| res.headers()["set-cookie"].to_str().unwrap().to_string();
    // The same browser logs in again: its old session id stops working.
    let res = first
        .post(format!("{}/auth/login", srv.base))
        .form(&[("email", EMAIL), ("password", PASSWORD), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    let new_cookie = cookie(&res);
    assert!(new_cookie.starts_with("cd_session=") && new_cookie.contains("HttpOnly; SameSite=Lax"));
    let token = new_cookie.trim_start_matches("cd_session=").split(';').next().unwrap().to_string();
    let sessions = clientdesk::staff::service::list_staff(&t.db).await.unwrap()[0].sessions;
    assert_eq!(sessions, 1, "the first session ended");
    assert_eq!(token.len(), 64, "256 bits, hex");
    drop(srv);
    t.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_over_https_are_host_prefixed_and_pages_carry_a_nonce_policy() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    let srv = start_with(t.db.clone(), true).await;
    let c = client(&srv.base);
    let res = c
        .post(format!("{}/auth/login", srv.base))
        .form(&[("email", EMAIL), ("password", PASSWORD), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-cd_session=")
            && cookie.contains("; Path=/")
            && cookie.contains("; Secure")
    );

    let page = c.get(format!("{}/login", srv.base)).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    // Over HTTPS, browsers are told to stay on it.
    assert_eq!(page.headers()["strict-transport-security"], "max-age=31536000");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a script nonce");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'") && nonce.len() >= 16
    );
    let html = page.text().await.unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts > 0 && html.matches(&format!("nonce=\"{nonce}\"")).count() == scripts, "{html}");
    // Each response has its own nonce.
    let again = c.get(format!("{}/login", srv.base)).send().await.unwrap();
    assert_ne!(again.headers()["content-security-policy"].to_str().unwrap(), csp);
    drop(srv);
    t.finish().await;
}

async fn a_body_over_the_limit_is_refused_before_it_is_read(t: TestDb) {
    use clientdesk::server::router::BODY_LIMIT;
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let huge = "x".repeat(BODY_LIMIT);
    // The server answers without reading the body and closes that connection: a client of its
    // own, so the logged-in client's pooled connection stays usable.
    let refused = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    for path in ["/api/save_note", "/auth/login"] {
        let res = refused
            .post(format!("{}{path}", srv.base))
            .header("content-type", "application/json")
            .body(format!("{{\"id\":1,\"note\":{{\"title\":\"{huge}\"}}}}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413, "{path} on {}", t.backend);
    }
    // A body within the limit still reaches its handler.
    let mine = common::server::call(&c, &srv.base, "my_account", serde_json::json!({})).await;
    assert_eq!(mine["email"], EMAIL, "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(a_body_over_the_limit_is_refused_before_it_is_read);

async fn only_our_own_site_may_change_anything(t: TestDb) {
    use reqwest::header::{HOST, LOCATION, ORIGIN};
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let port = base.rsplit(':').next().unwrap().to_string();
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = |origin: Option<String>, host: Option<String>| {
        let mut req = raw.post(format!("{base}/auth/login")).form(&[
            ("email", EMAIL),
            ("password", PASSWORD),
            ("next", "/customers"),
        ]);
        if let Some(origin) = origin {
            req = req.header(ORIGIN, origin);
        }
        if let Some(host) = host {
            req = req.header(HOST, host);
        }
        req.send()
    };
    assert_eq!(login(Some(base.clone()), None).await.unwrap().status(), 303, "{}", t.backend);
    // Another site, another scheme or port, an opaque origin, none at all: refused.
    for origin in [
        Some("http://evil.example".to_string()),
        Some(base.replace("http://", "https://")),
        Some(format!("http://127.0.0.1:{}", port.parse::<u16>().unwrap() + 1)),
        Some("null".to_string()),
        None,
    ] {
        assert_eq!(login(origin.clone(), None).await.unwrap().status(), 403, "{origin:?} on {}", t.backend);
    }
    // DNS rebinding: the attacker's name in Host and Origin alike is still not our site.
    let rebound = login(Some(format!("http://evil.example:{port}")), Some(format!("evil.example:{port}")));
    assert_eq!(rebound.await.unwrap().status(), 421, "{}", t.backend);
    // A page asked for under another name is sent to the real address.
    let other = raw.get(format!("{base}/login?next=%2Fcustomers")).header(HOST, format!("localhost:{port}"));
    let other = other.send().await.unwrap();
    assert_eq!(other.status(), 308);
    assert_eq!(other.headers()[LOCATION], format!("{base}/login?next=%2Fcustomers").as_str());
    // Health checks come from load balancers under any name.
    let health = raw.get(format!("{base}/healthz")).header(HOST, "10.0.0.7").send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    drop(srv);
    t.finish().await;
}
db_test!(only_our_own_site_may_change_anything);

async fn server_function_errors_answer_with_the_status_that_says_what_happened(t: TestDb) {
    use clientdesk::error::AppError;
    use serde_json::json;
    server::add_staff(&t.db).await;
    clientdesk::customers::service::seed::seed_customers(&t.db, 3, 1).await.unwrap();
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let post =
        |name: &str, body: serde_json::Value| c.post(format!("{}/api/{name}", srv.base)).json(&body).send();
    let answer = |res: reqwest::Response| async move {
        let status = res.status().as_u16();
        (status, res.json::<AppError>().await.unwrap())
    };
    // Arguments that cannot be read: a clear message, not the decoder's text.
    let (status, error) = answer(post("save_note", json!({"id": "eins", "note": 7})).await.unwrap()).await;
    assert_eq!((status, &error), (422, &AppError::malformed_request()), "{}", t.backend);
    let raw = c.post(format!("{}/api/save_note", srv.base)).body("{not json").send().await.unwrap();
    assert_eq!(raw.status(), 422);
    assert!(!raw.text().await.unwrap().contains("expected"), "no decoder text");
    // Invalid input, a customer that does not exist, a stale version.
    let (status, error) = answer(
        post("send_mail", json!({"id": 1, "kind": "general", "subject": "", "body": ""})).await.unwrap(),
    )
    .await;
    assert!(matches!(error, AppError::Validation(_)) && status == 422, "{status} {error:?}");
    let (status, error) = answer(post("customer_notes", json!({"id": 999_999})).await.unwrap()).await;
    assert_eq!((status, error), (404, AppError::NotFound), "{}", t.backend);
    let profile = common::server::call(&c, &srv.base, "get_customer", json!({"id": 1})).await;
    let (form, version) = (profile["detail"]["form"].clone(), profile["detail"]["version"].as_i64().unwrap());
    let stale = json!({"id": 1, "version": version + 7, "form": form});
    let (status, error) = answer(post("save_customer", stale).await.unwrap()).await;
    assert_eq!((status, error), (409, AppError::Conflict { current_version: version }), "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(server_function_errors_answer_with_the_status_that_says_what_happened);
