//! A server on a free port and a staff client logged in to it, for the parts that measure
//! pages and uploads over HTTP.
use clientdesk::db::Db;
use clientdesk::web::config::Config;
use clientdesk::web::state::AppState;

/// Serve `db` with the test configuration; returns the server and its base URL.
pub async fn serve(db: Db) -> (tokio::task::JoinHandle<()>, String) {
    serve_with(|addr| AppState::new(db, Config::for_tests(addr, std::env::temp_dir())).unwrap()).await
}

/// Serve the state `make` builds for the server's address.
pub async fn serve_with(
    make: impl FnOnce(std::net::SocketAddr) -> AppState,
) -> (tokio::task::JoinHandle<()>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (clientdesk::server::spawn_on(listener, make(addr)), format!("http://{addr}"))
}

/// A client with a session of the staff member `email` (who must exist).
pub async fn logged_in(base: &str, email: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers([(reqwest::header::ORIGIN, base.parse().unwrap())].into_iter().collect())
        .no_proxy()
        .build()
        .unwrap();
    let res = client
        .post(format!("{base}/auth/login"))
        .form(&[("email", email), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "login of {email}");
    client
}
