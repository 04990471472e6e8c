//! The real server over HTTP with real sessions: the login gate, server functions, the
//! Origin check, 404s and pages rendered without JavaScript. SQLite and PostgreSQL.
use crate::common::{self, TestDb};

use clientdesk::customers::model::{CustomerProfile, ListPage};
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use common::server::{self, login, start};
use serde_json::json;

async fn nothing_answers_without_a_session(t: TestDb) {
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let anon = server::client(&srv.base);
    for page in ["/customers", "/customers/1/data", "/customers/new", "/settings/custom-fields", "/nowhere"] {
        let res = anon.get(format!("{}{page}", srv.base)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{page} on {}", t.backend);
        assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    }
    // Every registered server function, so a new one cannot slip through unchecked.
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    assert!(paths.contains(&"/api/save_customer") && paths.len() >= 8, "{paths:?}");
    for path in paths {
        let res = anon.post(format!("{}{path}", srv.base)).json(&json!({})).send().await.unwrap();
        assert_eq!(res.status(), 401, "{path}");
        assert_eq!(res.json::<AppError>().await.unwrap(), AppError::Unauthenticated);
    }
    assert_eq!(anon.get(format!("{}/login", srv.base)).send().await.unwrap().status(), 200);
    assert_eq!(anon.get(format!("{}/healthz", srv.base)).send().await.unwrap().status(), 200);
    drop(srv);
    t.finish().await;
}
db_test!(nothing_answers_without_a_session);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_logout_and_wrong_passwords() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let c = server::client(&srv.base);
    let res = c
        .post(format!("{}/auth/login", srv.base))
        .form(&[("email", server::EMAIL), ("password", "falsch"), ("next", "//evil.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?error=1"));
    assert_eq!(c.get(format!("{}/customers", srv.base)).send().await.unwrap().status(), 303);

    let c = login(&srv).await;
    let page = c.get(format!("{}/customers", srv.base)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Anna Albers"));

    let res = c.post(format!("{}/auth/logout", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(c.get(format!("{}/customers", srv.base)).send().await.unwrap().status(), 303);
    drop(srv);
    t.finish().await;
}

async fn server_functions_search_read_and_save_with_a_session(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 40, 5).await.unwrap();
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let api = |name: &str| format!("{}/api/{name}", srv.base);

    let page: ListPage = c
        .post(api("search_customers"))
        .json(&json!({"query": {"q": "K-10007"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.total, 1, "{}", t.backend);
    let id = page.rows[0].id;

    let profile: CustomerProfile =
        c.post(api("get_customer")).json(&json!({"id": id})).send().await.unwrap().json().await.unwrap();
    let mut form = profile.detail.form.clone();
    form.city = "Neustadt".into();
    let saved = c
        .post(api("save_customer"))
        .json(&json!({"id": id, "version": profile.detail.version, "form": form}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", t.backend);
    let saved: CustomerProfile = saved.json().await.unwrap();
    assert_eq!(saved.detail.form.city, "Neustadt");

    // The same stale version again: a conflict, shown as such.
    let res = c
        .post(api("save_customer"))
        .json(&json!({"id": id, "version": profile.detail.version, "form": form}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_server_error() || res.status().is_client_error());
    assert_eq!(
        res.json::<AppError>().await.unwrap(),
        AppError::Conflict { current_version: saved.detail.version }
    );

    // Invalid input: field errors, nothing saved.
    let mut bad = saved.detail.form.clone();
    bad.email = "kaputt".into();
    let res = c
        .post(api("save_customer"))
        .json(&json!({"id": id, "version": saved.detail.version, "form": bad}))
        .send()
        .await
        .unwrap();
    match res.json::<AppError>().await.unwrap() {
        AppError::Validation(errors) => assert_eq!(errors[0].field, "email"),
        other => panic!("expected validation, got {other:?}"),
    }
    let again: CustomerProfile =
        c.post(api("get_customer")).json(&json!({"id": id})).send().await.unwrap().json().await.unwrap();
    assert_eq!(again.detail.version, saved.detail.version);
    drop(srv);
    t.finish().await;
}
db_test!(server_functions_search_read_and_save_with_a_session);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_posts_are_refused() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let res = c
        .post(format!("{}/api/search_customers", srv.base))
        .header("Origin", "https://evil.example")
        .json(&json!({"query": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let plain = reqwest::Client::new();
    let res = plain
        .post(format!("{}/auth/login", srv.base))
        .form(&[("email", server::EMAIL), ("password", server::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "a POST without Origin or Referer is refused");
    drop(srv);
    t.finish().await;
}

async fn pages_render_on_the_server_and_unknown_things_are_404(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 30, 11).await.unwrap();
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let get = |path: &str| c.get(format!("{}{path}", srv.base)).send();

    let list = get("/customers?q=K-10003").await.unwrap();
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains("K-10003"), "the list is in the server-rendered HTML ({})", t.backend);
    assert!(html.contains("1 Kunden"));

    let profile = get("/customers/3/data").await.unwrap();
    assert_eq!(profile.status(), 200);
    let html = profile.text().await.unwrap();
    assert!(html.contains("K-10003") && html.contains("Stammdaten"), "{}", t.backend);

    assert_eq!(get("/customers/999999/data").await.unwrap().status(), 404);
    assert_eq!(get("/customers/3/no-such-area").await.unwrap().status(), 404);
    assert_eq!(get("/no/such/page").await.unwrap().status(), 404);

    let switched = c
        .post(format!("{}/lang", srv.base))
        .form(&[("lang", "en"), ("back", "/customers?q=K-10003")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.headers()["location"], "/customers?q=K-10003");
    let english = get("/customers?q=K-10003").await.unwrap().text().await.unwrap();
    assert!(english.contains("1 customers") && english.contains("lang=\"en\""), "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(pages_render_on_the_server_and_unknown_things_are_404);
