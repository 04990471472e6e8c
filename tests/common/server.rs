//! The real app on a random port, with a logged-in HTTP client.
#![allow(dead_code)]

use clientdesk::db::Db;
use clientdesk::server::config::Config;
use clientdesk::server::state::AppState;
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};

pub const EMAIL: &str = "anna@clientdesk.test";
pub const PASSWORD: &str = "richtig-geheim";

pub struct TestServer {
    pub base: String,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

pub async fn start(db: Db) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = Config {
        database_url: String::new(),
        data_dir: std::env::temp_dir(),
        listen: addr,
        secure_cookies: false,
    };
    let state = AppState::new(db, config).expect("leptos configuration");
    let handle = clientdesk::server::spawn_on(listener, state);
    TestServer { base: format!("http://{addr}"), handle }
}

/// A client that keeps cookies, does not follow redirects, and sends our Origin on every request.
pub fn client(base: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(base).unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

pub async fn add_staff(db: &Db) {
    clientdesk::auth::service::add_staff(db, EMAIL, "Anna Albers", PASSWORD).await.expect("add staff");
}

/// Log in through the real form endpoint; returns the client holding the session cookie.
pub async fn login(server: &TestServer) -> reqwest::Client {
    let client = client(&server.base);
    let res = client
        .post(format!("{}/auth/login", server.base))
        .form(&[("email", EMAIL), ("password", PASSWORD), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/customers");
    client
}
