//! The real app on a random port, with a logged-in HTTP client.
#![allow(dead_code)]

use clientdesk::db::Db;
use clientdesk::web::config::Config;
use clientdesk::web::state::AppState;
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
    start_with(db, false).await
}

/// `secure`: as behind HTTPS (Secure, `__Host-` cookies).
pub async fn start_with(db: Db, secure: bool) -> TestServer {
    start_configured(db, |config| config.secure_cookies = secure).await
}

/// The app with its test configuration changed by `configure`.
pub async fn start_configured(db: Db, configure: impl FnOnce(&mut Config)) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config::for_tests(addr, std::env::temp_dir());
    configure(&mut config);
    let state = AppState::new(db, config).expect("leptos configuration");
    let handle = clientdesk::server::spawn_on(listener, state);
    TestServer { base: format!("http://{addr}"), handle }
}

/// The app with its files in `store` (an S3 server) and its configuration changed by `configure`.
pub async fn start_with_store(
    db: Db,
    store: clientdesk::storage::Store,
    configure: impl FnOnce(&mut Config),
) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config::for_tests(addr, std::env::temp_dir());
    configure(&mut config);
    let state = AppState::new(db, config).expect("leptos configuration").with_store(store);
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
    clientdesk::staff::service::add_staff(db, EMAIL, "Anna Albers", PASSWORD, "administrator")
        .await
        .expect("add staff");
}

/// `login`, with a client that opens a connection for every request.
pub async fn login_unpooled(server: &TestServer) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(&server.base).unwrap());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let form = [("email", EMAIL), ("password", PASSWORD), ("next", "/customers")];
    let res = client.post(format!("{}/auth/login", server.base)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    client
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

/// Deliver every queued mail into a fresh folder; returns the .eml texts in outbox order.
pub async fn deliver_mail(db: &Db) -> Vec<String> {
    deliver_mail_from(db, None).await
}

/// `deliver_mail`, with the attachments read from `store`.
pub async fn deliver_mail_from(db: &Db, store: Option<clientdesk::storage::Store>) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("clientdesk-mail-{}", rand_suffix()));
    let mut mailer = clientdesk::mail::sender::Mailer::new(
        clientdesk::mail::sender::Transport::Files(dir.clone()),
        "clientdesk <no-reply@clientdesk.invalid>",
    )
    .unwrap();
    if let Some(store) = store {
        mailer = mailer.with_store(store);
    }
    mailer.drain(db).await.unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort_by_key(|p| p.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse::<i64>().ok()));
    let texts = files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let _ = std::fs::remove_dir_all(&dir);
    texts
}

pub fn rand_suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}-{nanos}", std::process::id())
}

/// The reset link's token in a password mail.
pub fn reset_token(eml: &str) -> String {
    let start = eml.find("/portal/reset?token=").expect("a reset link") + "/portal/reset?token=".len();
    eml[start..].chars().take_while(|c| c.is_ascii_hexdigit()).collect()
}

/// Another staff member's logged-in client.
pub async fn login_as(base: &str, email: &str, password: &str) -> reqwest::Client {
    let c = client(base);
    let res = c
        .post(format!("{base}/auth/login"))
        .form(&[("email", email), ("password", password), ("next", "/customers")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/customers", "{email} logs in");
    c
}

/// Call a server function with a JSON body; returns the JSON answer (a value or an AppError).
pub async fn call(c: &reqwest::Client, base: &str, name: &str, body: serde_json::Value) -> serde_json::Value {
    c.post(format!("{base}/api/{name}")).json(&body).send().await.unwrap().json().await.unwrap()
}
