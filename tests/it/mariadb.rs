//! The MariaDB module against the real MariaDB at 127.0.0.1:3306 (`.ci/ensure-mariadb`; another
//! with `CLIENTDESK_TEST_MARIADB=host:port`): a created account logs in and works in its
//! database; suspended, its login is refused and its open session ends; unsuspended it works
//! again; terminated, user and database are gone. A create killed after its user step and run
//! again leaves one user. Each test names its accounts `t<pid><n>x…` and removes them.
use crate::common::{self, TestDb};
use chrono::{Duration, Utc};
use clientdesk::customers::areas::products::hosting::{add, find, log, request};
use clientdesk::customers::areas::products::hosting_model::*;
use clientdesk::customers::areas::products::hosting_run::{Ran, RunOpts, run_one};
use clientdesk::customers::service::{Actor, seed::seed_customers};
use clientdesk::provisioning::Modules;
use clientdesk::provisioning::mariadb::native_hash;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlSslMode};
use sqlx::{ConnectOptions, Connection, Row};
use std::sync::atomic::{AtomicU32, Ordering};

static N: AtomicU32 = AtomicU32::new(0);

fn server() -> (String, u16) {
    let spec = std::env::var("CLIENTDESK_TEST_MARIADB").unwrap_or_else(|_| "127.0.0.1:3306".into());
    let (host, port) = spec.rsplit_once(':').expect("host:port");
    (host.into(), port.parse().expect("port"))
}

async fn login(user: &str, password: &str, database: &str) -> Result<MySqlConnection, sqlx::Error> {
    let (host, port) = server();
    let mut options = MySqlConnectOptions::new().host(&host).port(port).username(user);
    if !password.is_empty() {
        options = options.password(password);
    }
    options.database(database).ssl_mode(MySqlSslMode::Preferred).disable_statement_logging().connect().await
}

async fn root() -> MySqlConnection {
    login("root", "", "mysql").await.expect("root at the test MariaDB")
}

fn number(e: sqlx::Error) -> u16 {
    match e {
        sqlx::Error::Database(d) => {
            d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>().map(|m| m.number()).unwrap_or(0)
        }
        other => panic!("expected a refusal by the server, got {other}"),
    }
}

async fn count(sql: &'static str, bind: &str) -> i64 {
    sqlx::query(sql).bind(bind).fetch_one(&mut root().await).await.unwrap().get(0)
}

/// Removes what a test made on the shared server, also when it fails.
struct Cleanup(String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let prefix = self.0.clone();
        // Never panics: a failed cleanup must not abort a test that is already failing.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Runtime::new() else { return };
            runtime.block_on(async move {
                let Ok(mut c) = login("root", "", "mysql").await else { return };
                let like = "SELECT User, Host FROM mysql.user WHERE User LIKE CONCAT(?, '%')";
                let users = sqlx::query(like).bind(&prefix).fetch_all(&mut c).await.unwrap_or_default();
                for r in users {
                    let (u, h): (String, String) = (r.get(0), r.get(1));
                    let drop = format!("DROP USER IF EXISTS '{u}'@'{h}'");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop)).execute(&mut c).await;
                }
                let like = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE CONCAT(?, '%')";
                let dbs = sqlx::query(like).bind(&prefix).fetch_all(&mut c).await.unwrap_or_default();
                for r in dbs {
                    let d: String = r.get(0);
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{d}`"))).execute(&mut c).await;
                }
            })
        })
        .join();
    }
}

async fn setup(t: &TestDb) -> (i32, Cleanup, String) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 5).await.unwrap();
    let prefix = format!("t{}{}x", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let (host, port) = server();
    // The test server speaks no TLS; production servers get TLS by default.
    let settings = format!(r#"{{"prefix":"{prefix}","user_host":"%","tls":"disabled"}}"#);
    let package = common::hosting::package(&t.db, "mariadb", &host, i32::from(port), &settings, true).await;
    (package, Cleanup(prefix.clone()), prefix)
}

fn input(package: i32) -> HostingInput {
    HostingInput { package_id: package, contract_date: "2026-12-01".into(), ..Default::default() }
}

async fn run(t: &TestDb, opts: &RunOpts) -> Option<Ran> {
    run_one(&t.ctx(), &Modules::standard(), opts).await.unwrap()
}

async fn next(t: &TestDb, id: i32, r: HostingRequest, reason: &str) {
    let version = find(&t.db, 1, id).await.unwrap().version;
    request(&t.ctx(), Actor::Staff(1), 1, (id, version), r, reason).await.unwrap();
    let ran = run(t, &RunOpts::default()).await;
    assert!(matches!(ran, Some(Ran::Job { status: JobStatus::Done, .. })), "{r:?}: {ran:?}");
}

async fn a_database_account_lives_through_create_suspend_unsuspend_terminate(t: TestDb) {
    let (package, _cleanup, prefix) = setup(&t).await;
    let id = add(&t.ctx(), Actor::Staff(1), 1, &input(package)).await.unwrap();
    let ran = run(&t, &RunOpts::default()).await;
    assert!(
        matches!(ran, Some(Ran::Job { status: JobStatus::Done, .. })),
        "{ran:?} {:?}",
        log(&t.db, 1, id, 1).await
    );
    let h = find(&t.db, 1, id).await.unwrap();
    let name = format!("{prefix}{id}");
    assert_eq!(
        (h.status.as_str(), h.username.as_str(), h.external_ref.as_str()),
        ("active", name.as_str(), format!("{name}@%").as_str())
    );
    let password = clientdesk::auth::secrets::open(&h.secret).unwrap();

    // The new user logs in and works in its own database, and only there.
    let mut own = login(&name, &password, &name).await.expect("the new account logs in");
    sqlx::raw_sql(
        "CREATE TABLE notes (id INT PRIMARY KEY, text VARCHAR(20)); INSERT INTO notes VALUES (1, 'hallo')",
    )
    .execute(&mut own)
    .await
    .unwrap();
    assert_eq!(
        number(login(&name, &password, "mysql").await.unwrap_err()),
        1044,
        "no access to other databases"
    );
    assert_eq!(number(login(&name, "wrong", &name).await.unwrap_err()), 1045);

    // Suspended: a new login is refused as locked, the open session is ended.
    next(&t, id, HostingRequest::Suspend, "Zahlungsverzug").await;
    assert_eq!(number(login(&name, &password, &name).await.unwrap_err()), 4151, "{}", t.backend);
    assert!(
        sqlx::query("SELECT COUNT(*) FROM notes").fetch_one(&mut own).await.is_err(),
        "the old session was ended"
    );
    assert_eq!(find(&t.db, 1, id).await.unwrap().suspend_reason, "Zahlungsverzug");

    next(&t, id, HostingRequest::Unsuspend, "").await;
    let mut again = login(&name, &password, &name).await.expect("unlocked");
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM notes").fetch_one(&mut again).await.unwrap().get(0);
    assert_eq!(n, 1, "the data survived the suspension");
    again.close().await.ok();

    next(&t, id, HostingRequest::Terminate, "").await;
    // Access denied: 1045, or 1698 where the server finds no account to check the password of.
    let refused = number(login(&name, &password, &name).await.unwrap_err());
    assert!([1045, 1698].contains(&refused), "{refused}");
    assert_eq!(
        count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", &name).await,
        0
    );
    assert_eq!(count("SELECT COUNT(*) FROM mysql.user WHERE User = ?", &name).await, 0);
    assert_eq!(find(&t.db, 1, id).await.unwrap().status, "terminated");

    // Nothing secret in the log: neither the password nor its hash.
    let hash = native_hash(&password);
    let lines = log(&t.db, 1, id, 1).await.unwrap().rows;
    assert!(lines.len() >= 8, "{lines:?}");
    assert!(lines.iter().all(|l| !l.message.contains(&password) && !l.message.contains(&hash[1..])));
    t.finish().await;
}
db_test!(a_database_account_lives_through_create_suspend_unsuspend_terminate);

async fn a_create_killed_after_its_user_and_run_again_leaves_one_user(t: TestDb) {
    let (package, _cleanup, prefix) = setup(&t).await;
    let id = add(&t.ctx(), Actor::Staff(1), 1, &input(package)).await.unwrap();
    let name = format!("{prefix}{id}");
    let killed = RunOpts { stop_after_step: Some("user".into()), ..Default::default() };
    assert!(matches!(run(&t, &killed).await, Some(Ran::Stopped { .. })));
    assert_eq!(count("SELECT COUNT(*) FROM mysql.user WHERE User = ?", &name).await, 1);
    assert_eq!(find(&t.db, 1, id).await.unwrap().status, "provisioning");

    // The lease runs out; the next worker skips database and user and grants.
    let later = RunOpts { now: Some(Utc::now() + Duration::minutes(6)), ..Default::default() };
    assert!(matches!(run(&t, &later).await, Some(Ran::Job { status: JobStatus::Done, .. })));
    assert_eq!(count("SELECT COUNT(*) FROM mysql.user WHERE User = ?", &name).await, 1, "{}", t.backend);
    let lines = log(&t.db, 1, id, 1).await.unwrap().rows;
    assert_eq!(lines.iter().filter(|l| l.message.starts_with("skipped")).count(), 2, "{lines:?}");
    let password = clientdesk::auth::secrets::open(&find(&t.db, 1, id).await.unwrap().secret).unwrap();
    login(&name, &password, &name).await.expect("the account works after the retry");

    // Killed again between the user and the grant on another run: the retry sets the same
    // password on the existing user (ALTER, not a second CREATE).
    let second = add(&t.ctx(), Actor::Staff(1), 1, &input(package)).await.unwrap();
    let other = format!("{prefix}{second}");
    let killed = RunOpts { stop_after_step: Some("database".into()), ..Default::default() };
    assert!(matches!(run(&t, &killed).await, Some(Ran::Stopped { .. })));
    let mut c = root().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE USER '{other}'@'%' IDENTIFIED BY 'stale'")))
        .execute(&mut c)
        .await
        .unwrap();
    assert!(matches!(run(&t, &later).await, Some(Ran::Job { status: JobStatus::Done, .. })));
    assert_eq!(count("SELECT COUNT(*) FROM mysql.user WHERE User = ?", &other).await, 1);
    let password = clientdesk::auth::secrets::open(&find(&t.db, 1, second).await.unwrap().secret).unwrap();
    login(&other, &password, &other).await.expect("the stored password holds");
    t.finish().await;
}
db_test!(a_create_killed_after_its_user_and_run_again_leaves_one_user);
