//! Hardening over SQLite and PostgreSQL: a progressive login delay instead of a lock, the
//! client's address behind a trusted proxy, one-time secrets that work once under concurrency,
//! impersonation that ends with its staff session, portal logins that follow an address change,
//! and an outbox that loses no mail.
use crate::common::{self, TestDb};

use chrono::{Duration, Utc};
use clientdesk::auth::throttle::{ACCOUNT_FREE, ACCOUNT_MAX_WAIT, Claim, IP_FREE, claim, record};
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::stmt;
use common::portal::{customer_with_password, login_step, post_form};
use common::server::{self, EMAIL, PASSWORD, call, client, deliver_mail, login, reset_token, start};
use sea_orm::ConnectionTrait;
use serde_json::json;

fn waits(c: Claim) -> Option<i64> {
    match c {
        Claim::Go(_) => None,
        Claim::Wait(s) => Some(s),
    }
}

async fn failures_slow_logins_down_progressively_but_never_lock_for_long(t: TestDb) {
    let db = &t.db;
    let (who, ip) = ("opfer@x.test", "192.0.2.1");
    let t0 = Utc::now();
    for i in 0..ACCOUNT_FREE as i64 {
        record(db, "staff", who, ip, false, t0 + Duration::seconds(i)).await.unwrap();
    }
    let last = t0 + Duration::seconds(ACCOUNT_FREE as i64 - 1);
    let at = |s: i64| last + Duration::seconds(s);
    // Past the free failures, 2 seconds after the last one, from any address, however written.
    assert_eq!(waits(claim(db, "staff", " Opfer@X.test", "198.51.100.2", at(0)).await.unwrap()), Some(2));
    // A refused attempt is not counted: the wait runs out.
    assert_eq!(
        waits(claim(db, "staff", who, "198.51.100.2", at(1)).await.unwrap()),
        Some(1),
        "{}",
        t.backend
    );
    let Claim::Go(attempt) = claim(db, "staff", who, "198.51.100.2", at(2)).await.unwrap() else {
        panic!("{}: the wait is over", t.backend)
    };
    attempt.failed();
    // Each further failure doubles the wait…
    assert_eq!(waits(claim(db, "staff", who, ip, at(2)).await.unwrap()), Some(4));
    for _ in 0..30 {
        record(db, "staff", who, ip, false, at(2)).await.unwrap();
    }
    // …up to a minute: all an attacker can cost the account's owner at a time.
    assert_eq!(waits(claim(db, "staff", who, ip, at(2)).await.unwrap()), Some(ACCOUNT_MAX_WAIT));
    let Claim::Go(attempt) = claim(db, "staff", who, ip, at(2 + ACCOUNT_MAX_WAIT)).await.unwrap() else {
        panic!("{}: a minute later the owner may try", t.backend)
    };
    // A success starts the account's count anew.
    attempt.succeeded(db).await.unwrap();
    assert_eq!(waits(claim(db, "staff", who, "203.0.113.5", at(2 + ACCOUNT_MAX_WAIT)).await.unwrap()), None);

    // Attempts at the same moment see each other: of 16 at once, exactly the free ten go.
    let now = Utc::now();
    let tries = (0..16).map(|i| {
        let db = db.clone();
        tokio::spawn(async move {
            match claim(&db, "customer", "parallel@x.test", &format!("198.51.100.{i}"), now).await.unwrap() {
                Claim::Go(a) => {
                    a.failed();
                    1
                }
                Claim::Wait(_) => 0,
            }
        })
    });
    let went: u64 = futures::future::join_all(tries).await.into_iter().map(|r| r.unwrap()).sum();
    assert_eq!(went, ACCOUNT_FREE, "{}", t.backend);
    let counted = db
        .query_one_raw(stmt(
            db,
            "SELECT COUNT(*) AS n FROM login_attempts WHERE email = 'parallel@x.test'",
            vec![],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(counted as u64, went, "refused attempts are withdrawn");
    t.finish().await;
}
db_test!(failures_slow_logins_down_progressively_but_never_lock_for_long);

async fn post_login(c: &reqwest::Client, base: &str, email: &str, password: &str, from: &str) -> String {
    let res = c
        .post(format!("{base}/portal/auth/login"))
        .header("x-forwarded-for", from)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn ips(db: &clientdesk::db::Db, customer: i32) -> Vec<String> {
    let sql = "SELECT ip FROM customer_ips WHERE customer_id = $1 ORDER BY ip";
    let rows = db.query_all_raw(stmt(db, sql, vec![customer.into()])).await.unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "ip").unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_forwarded_client_is_recorded_and_throttled() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 8).await.unwrap();
    let proxies = clientdesk::web::config::parse_proxies("127.0.0.1, ::1").unwrap();
    let srv = server::start_configured(t.db.clone(), |c| c.trusted_proxies = proxies).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    let (c, email) = customer_with_password(&staff, &base, &t.db, 2).await;
    // The proxy appended the real client after what the client claimed.
    let to = post_login(&c, &base, &email, "kunden-passwort-1", "1.2.3.4, 198.51.100.7").await;
    assert_eq!(to, "/portal");
    assert_eq!(ips(&t.db, 2).await, ["198.51.100.7"]);

    // One client's failures slow that client down, not everyone behind the proxy.
    for i in 0..IP_FREE {
        let to =
            post_login(&client(&base), &base, &format!("niemand{i}@x.test"), "falsch", "198.51.100.66").await;
        assert!(to.starts_with("/portal/login?error=1"), "{i}: {to}");
    }
    let to = post_login(&client(&base), &base, &email, "kunden-passwort-1", "198.51.100.66").await;
    assert!(to.starts_with("/portal/login?error=throttled&wait="), "{to}");
    assert_eq!(
        post_login(&client(&base), &base, &email, "kunden-passwort-1", "198.51.100.8").await,
        "/portal"
    );
    drop(srv);

    // Without a configured proxy the header is the client's own word and is ignored.
    let srv = start(t.db.clone()).await;
    let to = post_login(&client(&srv.base), &srv.base, &email, "kunden-passwort-1", "203.0.113.9").await;
    assert_eq!(to, "/portal");
    let seen = ips(&t.db, 2).await;
    assert!(
        seen.contains(&"127.0.0.1".to_string()) && !seen.contains(&"203.0.113.9".to_string()),
        "{seen:?}"
    );
    drop(srv);
    t.finish().await;
}

/// Staff member with two-factor login; returns a code that is valid and unused.
async fn staff_with_second_factor(db: &clientdesk::db::Db) -> String {
    use clientdesk::auth::two_factor::{code_at, confirm, start};
    let id = clientdesk::staff::service::list_staff(db).await.unwrap()[0].id;
    let enrolment = start(db, id, PASSWORD).await.unwrap();
    let now = clientdesk::auth::totp::unix_now();
    confirm(db, id, &code_at(&enrolment.secret, now)).await.unwrap();
    // The seed is stored encrypted: the database alone does not give the second factor away.
    let stored = clientdesk::staff::service::list_staff(db).await.unwrap();
    let row = db
        .query_one_raw(stmt(db, "SELECT totp_secret FROM staff WHERE id = $1", vec![stored[0].id.into()]))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "totp_secret")
        .unwrap();
    assert!(row.starts_with("v1:") && !row.contains(&enrolment.secret), "{row}");
    // The next time step's code: within the accepted skew, newer than the one just used.
    code_at(&enrolment.secret, now + 30)
}

async fn one_time_secrets_work_once_when_sent_ten_times_at_once(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 9).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    // A set-password link, ten times at once: exactly one sets the password.
    let staff = login(&srv).await;
    call(&staff, &base, "send_password_reset", json!({"id": 2})).await;
    let token = reset_token(deliver_mail(&t.db).await.last().unwrap());
    let resets = (0..10).map(|i| {
        let (base, token) = (base.clone(), token.clone());
        tokio::spawn(async move {
            let password = format!("parallel-passwort-{i}");
            post_form(
                &client(&base),
                format!("{base}/portal/auth/reset"),
                &[("token", &token), ("password", &password), ("repeat", &password)],
            )
            .await
        })
    });
    let answers: Vec<String> =
        futures::future::join_all(resets).await.into_iter().map(|r| r.unwrap()).collect();
    let done = answers.iter().filter(|a| *a == "/portal/login?reset=1").count();
    assert_eq!(done, 1, "{}: {answers:?}", t.backend);
    assert!(answers.iter().all(|a| a == "/portal/login?reset=1" || a.ends_with("error=portal.reset_used")));

    // A TOTP code, ten times at once from ten browsers past the password step: one session.
    let code = staff_with_second_factor(&t.db).await;
    let mut browsers = Vec::new();
    for _ in 0..10 {
        let c = client(&base);
        let to = post_form(
            &c,
            format!("{base}/auth/login"),
            &[("email", EMAIL), ("password", PASSWORD), ("next", "/customers")],
        )
        .await;
        assert!(to.starts_with("/login/2fa"), "{to}");
        browsers.push(c);
    }
    let steps = browsers.into_iter().map(|c| {
        let (base, code) = (base.clone(), code.clone());
        tokio::spawn(async move {
            post_form(&c, format!("{base}/auth/2fa"), &[("code", &code), ("next", "/customers")]).await
        })
    });
    let answers: Vec<String> =
        futures::future::join_all(steps).await.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(answers.iter().filter(|a| *a == "/customers").count(), 1, "{}: {answers:?}", t.backend);

    // A recovery code likewise.
    let id = clientdesk::staff::service::list_staff(&t.db).await.unwrap()[0].id;
    clientdesk::auth::two_factor::reset(&t.db, id).await.unwrap();
    let enrolment = clientdesk::auth::two_factor::start(&t.db, id, PASSWORD).await.unwrap();
    let now = clientdesk::auth::totp::unix_now();
    let codes = clientdesk::auth::two_factor::confirm(
        &t.db,
        id,
        &clientdesk::auth::two_factor::code_at(&enrolment.secret, now),
    )
    .await
    .unwrap();
    let checks = (0..10).map(|_| {
        let (db, code) = (t.db.clone(), codes[3].clone());
        tokio::spawn(async move { clientdesk::auth::two_factor::check(&db, id, &code).await.unwrap() })
    });
    let ok = futures::future::join_all(checks).await.into_iter().filter(|r| *r.as_ref().unwrap()).count();
    assert_eq!(ok, 1, "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(one_time_secrets_work_once_when_sent_ten_times_at_once);

async fn impersonation(staff: &reqwest::Client, base: &str, id: i32) -> String {
    post_form(
        staff,
        format!("{base}/portal/auth/impersonate"),
        &[("customer_id", id.to_string().as_str()), ("reason", "Rückfrage zur Rechnung")],
    )
    .await
}

async fn open_impersonations(db: &clientdesk::db::Db) -> i64 {
    db.query_one_raw(stmt(
        db,
        "SELECT COUNT(*) AS n FROM sessions WHERE impersonator_staff_id IS NOT NULL",
        vec![],
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

async fn acting_as_a_customer_ends_with_the_staff_session(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 10).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    // Logout.
    let staff = login(&srv).await;
    assert_eq!(impersonation(&staff, &base, 2).await, "/portal");
    assert_eq!(staff.get(format!("{base}/portal")).send().await.unwrap().status(), 200);
    assert_eq!(staff.post(format!("{base}/auth/logout")).send().await.unwrap().status(), 303);
    assert_eq!(staff.get(format!("{base}/portal")).send().await.unwrap().status(), 303, "{}", t.backend);
    assert_eq!(open_impersonations(&t.db).await, 0, "{}: the session row went with it", t.backend);

    // A password change (the asking staff session stays).
    let staff = login(&srv).await;
    assert_eq!(impersonation(&staff, &base, 2).await, "/portal");
    let changed =
        call(&staff, &base, "change_password", json!({"current": PASSWORD, "new": "ein-neues-passwort"}))
            .await;
    assert_eq!(changed, json!(null), "{changed}");
    assert_eq!(staff.get(format!("{base}/customers")).send().await.unwrap().status(), 200);
    assert_eq!(staff.get(format!("{base}/portal")).send().await.unwrap().status(), 303, "{}", t.backend);

    // "End sessions" of the member by an administrator, and deactivation, end the staff
    // sessions and so the impersonation (ON DELETE CASCADE).
    let staff = server::login_as(&base, EMAIL, "ein-neues-passwort").await;
    assert_eq!(impersonation(&staff, &base, 3).await, "/portal");
    let id = clientdesk::staff::service::list_staff(&t.db).await.unwrap()[0].id;
    clientdesk::auth::service::end_sessions_of(&t.db, "staff", id).await.unwrap();
    assert_eq!(staff.get(format!("{base}/portal")).send().await.unwrap().status(), 303, "{}", t.backend);
    assert_eq!(open_impersonations(&t.db).await, 0);
    drop(srv);
    t.finish().await;
}
db_test!(acting_as_a_customer_ends_with_the_staff_session);

async fn a_changed_address_takes_the_portal_login_along_with_a_fresh_link(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 11).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    let (customer, old_email) = customer_with_password(&staff, &base, &t.db, 2).await;
    assert_eq!(login_step(&customer, &base, &old_email, "kunden-passwort-1").await, "/portal");
    // A link issued before the change, not yet used.
    call(&staff, &base, "send_password_reset", json!({"id": 2})).await;
    let old_link = reset_token(deliver_mail(&t.db).await.last().unwrap());

    let profile = call(&staff, &base, "get_customer", json!({"id": 2})).await;
    let mut form = profile["detail"]["form"].clone();
    form["email"] = json!("neu.adresse@example.org");
    let saved = call(
        &staff,
        &base,
        "save_customer",
        json!({"id": 2, "version": profile["detail"]["version"], "form": form}),
    )
    .await;
    assert_eq!(saved["detail"]["form"]["email"], "neu.adresse@example.org", "{saved}");

    // The session ended, the password no longer works, neither old address nor new.
    assert_eq!(customer.get(format!("{base}/portal")).send().await.unwrap().status(), 303, "{}", t.backend);
    let c = client(&base);
    assert!(
        login_step(&c, &base, &old_email, "kunden-passwort-1").await.starts_with("/portal/login?error=1")
    );
    assert!(
        login_step(&c, &base, "neu.adresse@example.org", "kunden-passwort-1")
            .await
            .starts_with("/portal/login?error=1")
    );
    // The earlier link is revoked; the fresh one went to the new address.
    let to = post_form(
        &c,
        format!("{base}/portal/auth/reset"),
        &[("token", &old_link), ("password", "alter-link-passwort"), ("repeat", "alter-link-passwort")],
    )
    .await;
    assert!(to.ends_with("error=portal.reset_used"), "{to}");
    let mail = deliver_mail(&t.db).await.pop().expect("a mail to the new address");
    assert!(mail.contains("To: neu.adresse@example.org"), "{mail}");
    assert!(
        mail.contains("bisheriges Passwort gilt deshalb nicht mehr")
            || mail.contains("your previous password no longer works"),
        "{mail}"
    );
    let to = post_form(
        &c,
        format!("{base}/portal/auth/reset"),
        &[("token", &reset_token(&mail)), ("password", "neues-passwort-1"), ("repeat", "neues-passwort-1")],
    )
    .await;
    assert_eq!(to, "/portal/login?reset=1");
    assert_eq!(login_step(&c, &base, "neu.adresse@example.org", "neues-passwort-1").await, "/portal");

    // A deactivated login gets no link, nor does a locked customer.
    t.db.execute_raw(stmt(
        &t.db,
        "UPDATE portal_logins SET active = $1 WHERE customer_id = 2",
        vec![false.into()],
    ))
    .await
    .unwrap();
    let refused = call(&staff, &base, "send_password_reset", json!({"id": 2})).await;
    assert_eq!(refused["Validation"][0]["key"], "portal.login_inactive", "{refused}");
    t.db.execute_raw(stmt(&t.db, "UPDATE customers SET account_locked = $1 WHERE id = 3", vec![true.into()]))
        .await
        .unwrap();
    let refused = call(&staff, &base, "send_password_reset", json!({"id": 3})).await;
    assert_eq!(refused["Validation"][0]["key"], "portal.locked", "{refused}");
    drop(srv);
    t.finish().await;
}
db_test!(a_changed_address_takes_the_portal_login_along_with_a_fresh_link);

async fn a_mail_left_sending_by_a_dead_sender_is_delivered_later(t: TestDb) {
    use clientdesk::mail::outbox::{LEASE, claim_next_at};
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 12).await.unwrap();
    let ctx = common::ctx(&t.db);
    clientdesk::customers::areas::emails::compose::send(
        &ctx,
        1,
        2,
        clientdesk::mail::model::MailKind::General,
        "Hallo",
        "Text",
    )
    .await
    .unwrap();
    let now = Utc::now();
    let taken = claim_next_at(&t.db, now).await.unwrap().expect("queued");
    // The sender dies here. While its lease runs, nobody else sends the mail twice…
    assert!(claim_next_at(&t.db, now + Duration::seconds(10)).await.unwrap().is_none(), "{}", t.backend);
    // …afterwards another sender takes it and delivers it.
    let again = claim_next_at(&t.db, now + LEASE + Duration::seconds(1)).await.unwrap().expect("taken again");
    assert_eq!((again.id, again.attempts), (taken.id, 2));
    // The first sender, back from the dead, changes nothing: the mail is the second one's.
    clientdesk::mail::outbox::sent(&t.db, clientdesk::mail::outbox::Take::from(&taken)).await.unwrap();
    let status = t
        .db
        .query_one_raw(stmt(&t.db, "SELECT status FROM mail_outbox WHERE id = $1", vec![taken.id.into()]))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "status")
        .unwrap();
    assert_eq!(status, "sending", "{}", t.backend);
    t.finish().await;
}
db_test!(a_mail_left_sending_by_a_dead_sender_is_delivered_later);

async fn erasure_removes_the_customers_delivered_mail_files(t: TestDb) {
    use clientdesk::mail::sender::{Mailer, Transport};
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 13).await.unwrap();
    let dir = std::env::temp_dir().join(format!("clientdesk-eml-{}", std::process::id())).join(t.backend);
    let ctx = common::ctx(&t.db).with_mail_files(dir.clone());
    for customer in [2, 3] {
        clientdesk::customers::areas::emails::compose::send(
            &ctx,
            1,
            customer,
            clientdesk::mail::model::MailKind::Invoices,
            "Rechnung",
            "Text",
        )
        .await
        .unwrap();
    }
    let mailer =
        Mailer::new(Transport::Files(dir.clone()), "clientdesk <no-reply@clientdesk.invalid>").unwrap();
    assert_eq!(mailer.drain(&t.db).await.unwrap(), [2, 3]);
    let kept =
        t.db.query_one_raw(stmt(&t.db, "SELECT id FROM mail_outbox WHERE customer_id = 3", vec![]))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i32>("", "id")
            .unwrap();
    let version = clientdesk::customers::service::detail(&t.db, 2).await.unwrap().version;
    let request = clientdesk::records::model::ErasureRequest {
        customer_id: 2,
        version,
        request_ref: "Ticket 1".into(),
        hard_delete: false,
    };
    clientdesk::customers::areas::erase::service::erase(
        &ctx,
        1,
        &request,
        &clientdesk::records::progress::Progress::none(),
    )
    .await
    .unwrap();
    // The invoice mail's record is retained for its 8 years; the mailbox copy is gone.
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [format!("{kept}.eml")], "{}", t.backend);
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(erasure_removes_the_customers_delivered_mail_files);

async fn the_daily_job_removes_ended_sessions_attempts_and_links(t: TestDb) {
    use clientdesk::customers::areas::erase::retention::{JobOutcome, run_daily};
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 14).await.unwrap();
    let staff = clientdesk::staff::service::list_staff(&t.db).await.unwrap()[0].id;
    let live = clientdesk::auth::service::create_session(&t.db, staff, None, None).await.unwrap();
    let ended = clientdesk::auth::service::create_session(&t.db, staff, None, None).await.unwrap();
    let long_ago = Utc::now() - Duration::days(2);
    let sql = "UPDATE sessions SET expires_at = $1, last_seen_at = $1 WHERE id_hash = $2";
    let hash = clientdesk::auth::service::token_hash(&ended);
    t.db.execute_raw(stmt(&t.db, sql, vec![long_ago.into(), hash.into()])).await.unwrap();
    record(&t.db, "staff", EMAIL, "192.0.2.1", false, long_ago).await.unwrap();
    record(&t.db, "staff", EMAIL, "192.0.2.1", false, Utc::now()).await.unwrap();
    let login = clientdesk::portal::service::create_own_login(&t.db, 2, "alt@x.test").await.unwrap();
    let reset = "INSERT INTO password_resets (token_hash, login_id, customer_id, created_at, expires_at) \
                 VALUES ('abc', $1, 2, $2, $2)";
    t.db.execute_raw(stmt(&t.db, reset, vec![login.id.into(), long_ago.into()])).await.unwrap();

    assert!(matches!(run_daily(&t.db, Utc::now().date_naive()).await.unwrap(), JobOutcome::Ran { .. }));
    let count = |table: &'static str| {
        let db = t.db.clone();
        async move {
            db.query_one_raw(stmt(&db, &format!("SELECT COUNT(*) AS n FROM {table}"), vec![]))
                .await
                .unwrap()
                .unwrap()
                .try_get::<i64>("", "n")
                .unwrap()
        }
    };
    assert_eq!(
        (count("sessions").await, count("login_attempts").await, count("password_resets").await),
        (1, 1, 0)
    );
    assert!(
        clientdesk::auth::service::resolve_session(&t.db, &live).await.unwrap().is_some(),
        "{}",
        t.backend
    );
    t.finish().await;
}
db_test!(the_daily_job_removes_ended_sessions_attempts_and_links);

async fn the_verlauf_the_log_and_the_audit_log_refuse_to_be_rewritten(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 15).await.unwrap();
    let d = clientdesk::customers::service::detail(&t.db, 2).await.unwrap();
    let mut form = d.form.clone();
    form.city = "Anderswo".into();
    clientdesk::customers::service::update(
        &common::ctx(&t.db),
        clientdesk::customers::service::Actor::Staff(1),
        2,
        d.version,
        &form,
        clientdesk::customers::service::today(),
    )
    .await
    .unwrap();
    clientdesk::events::service::record(
        &t.db,
        clientdesk::events::service::NewEvent::new(
            2,
            "login",
            clientdesk::events::service::Actor::System,
            "",
        ),
    )
    .await
    .unwrap();
    let who = clientdesk::audit::service::Who::staff(1, "Anna Albers", Some("192.0.2.1".into()));
    clientdesk::audit::service::record(
        &t.db,
        &who,
        clientdesk::audit::service::Act::new("customer_created", "K"),
    )
    .await
    .unwrap();
    for (table, column) in [("changes", "new_value"), ("events", "payload"), ("audit_log", "target")] {
        let update = format!("UPDATE {table} SET {column} = 'gefälscht'");
        let refused = t.db.execute_raw(stmt(&t.db, &update, vec![])).await;
        assert!(refused.is_err(), "{}: {update}", t.backend);
        assert!(format!("{:?}", refused.unwrap_err()).contains("append-only"));
        let delete = format!("DELETE FROM {table}");
        assert!(t.db.execute_raw(stmt(&t.db, &delete, vec![])).await.is_err(), "{}: {delete}", t.backend);
    }
    // What the retention job and an erasure do, in a transaction holding a grant, works, and the
    // grant does not outlive it.
    use sea_orm::TransactionTrait;
    let txn = t.db.begin().await.unwrap();
    clientdesk::db::history::allow_rewrite(&txn, "test").await.unwrap();
    txn.execute_raw(stmt(&txn, "DELETE FROM events WHERE kind = 'login'", vec![])).await.unwrap();
    clientdesk::db::history::end_rewrite(&txn).await.unwrap();
    txn.commit().await.unwrap();
    assert!(t.db.execute_raw(stmt(&t.db, "DELETE FROM changes", vec![])).await.is_err());
    t.finish().await;
}
db_test!(the_verlauf_the_log_and_the_audit_log_refuse_to_be_rewritten);

async fn privileged_acts_are_audited_and_nobody_grants_more_than_they_hold(t: TestDb) {
    use clientdesk::auth::Permission::*;
    use clientdesk::staff::model::RoleInput;
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 16).await.unwrap();
    let personnel = clientdesk::staff::service::save_role(
        &t.db,
        &RoleInput { id: None, name: "Personal".into(), permissions: vec![ManageStaff, CustomersView] },
    )
    .await
    .unwrap();
    let key = clientdesk::staff::service::list_roles(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == personnel)
        .unwrap()
        .key;
    let hr = clientdesk::staff::service::add_staff(&t.db, "hr@x.test", "Hanna Hr", "hr-passwort-123", &key)
        .await
        .unwrap();
    let admin_role = clientdesk::staff::service::list_roles(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.key == "administrator")
        .unwrap()
        .id;
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let above = |v: &serde_json::Value| v["Validation"][0]["key"] == "staff.above_own_rights";

    // A failed login, then a member who manages staff but is no administrator.
    let c = client(&base);
    assert!(
        post_form(&c, format!("{base}/auth/login"), &[("email", "hr@x.test"), ("password", "falsch")])
            .await
            .contains("error=1")
    );
    let c = server::login_as(&base, "hr@x.test", "hr-passwort-123").await;
    let raise = json!({"change": {"id": hr, "role_id": admin_role, "active": true}});
    assert!(above(&call(&c, &base, "change_staff", raise).await), "{}: not their own role", t.backend);
    let new_admin = json!({"input": {"email": "neu@x.test", "name": "Neu", "password": "ein-langes-passwort", "role_id": admin_role}});
    assert!(above(&call(&c, &base, "create_staff", new_admin).await));
    let bigger = json!({"input": {"id": personnel, "name": "Personal", "permissions": ["ManageStaff", "CustomersView", "CustomersErase"]}});
    assert!(above(&call(&c, &base, "save_role", bigger).await));
    let anna = clientdesk::staff::service::list_staff(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.email == EMAIL)
        .unwrap();
    let demote = json!({"change": {"id": anna.id, "role_id": personnel, "active": false}});
    assert!(above(&call(&c, &base, "change_staff", demote).await), "nor someone who holds more");
    // …nor strip their second factor or log them out.
    assert!(above(&call(&c, &base, "reset_staff_two_factor", json!({"id": anna.id})).await));
    assert!(above(&call(&c, &base, "end_staff_sessions", json!({"id": anna.id})).await));
    let smaller = json!({"input": {"id": null, "name": "Kunden ansehen", "permissions": ["CustomersView"]}});
    let saved = call(&c, &base, "save_role", smaller).await;
    assert!(saved.is_i64(), "within their own rights it works: {saved}");
    // Only an administrator reads the audit log.
    let refused =
        call(&c, &base, "audit_log", json!({"query": clientdesk::audit::model::AuditQuery::default()})).await;
    assert_eq!(refused, json!("Forbidden"));

    // The administrator's acts: a data report, acting as a customer.
    let admin = login(&srv).await;
    assert_eq!(
        admin.post(format!("{base}/documents/customers/2/report.json")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        post_form(
            &admin,
            format!("{base}/portal/auth/impersonate"),
            &[("customer_id", "3"), ("reason", "Rückruf")]
        )
        .await,
        "/portal"
    );
    let page =
        call(&admin, &base, "audit_log", json!({"query": clientdesk::audit::model::AuditQuery::default()}))
            .await;
    let rows = page["rows"].as_array().unwrap_or_else(|| panic!("{page}"));
    let acts: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (r["action"].as_str().unwrap(), r["staff_name"].as_str().unwrap(), r["ip"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        acts,
        [
            ("impersonation_started", "Anna Albers", "127.0.0.1"),
            ("data_report", "Anna Albers", "127.0.0.1"),
            ("staff_login", "Anna Albers", "127.0.0.1"),
            ("role_saved", "Hanna Hr", "127.0.0.1"),
            ("staff_login", "Hanna Hr", "127.0.0.1"),
            ("staff_login_failed", "", "127.0.0.1"),
        ],
        "{}",
        t.backend
    );
    assert_eq!(rows[0]["after"], "Rückruf");
    assert_eq!(rows[3]["target"], "Kunden ansehen");
    // Filtered by act and by what it concerns.
    let q = |action: &str, text: &str| {
        let query = clientdesk::audit::model::AuditQuery {
            action: action.into(),
            q: text.into(),
            ..Default::default()
        };
        json!({"query": query})
    };
    let logins = call(&admin, &base, "audit_log", q("staff_login", "")).await;
    assert_eq!(logins["total"], 2);
    let number = clientdesk::customers::service::detail(&t.db, 2).await.unwrap().number;
    let about = call(&admin, &base, "audit_log", q("", &number.to_lowercase())).await;
    assert_eq!(about["total"], 1, "{about}");
    assert_eq!(about["rows"][0]["customer_id"], 2);
    drop(srv);
    t.finish().await;
}
db_test!(privileged_acts_are_audited_and_nobody_grants_more_than_they_hold);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_streams_end_with_their_session_and_nothing_personal_is_cached() {
    use clientdesk::web::state::STREAMS_PER_SESSION;
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 17).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let c = login(&srv).await;
    // Pages and server functions say no-store; the app's own files may be cached.
    let page = c.get(format!("{base}/customers/1/data")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    let api = c.post(format!("{base}/api/current_staff")).json(&json!({})).send().await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    let icon = c.get(format!("{base}/favicon.svg")).send().await.unwrap();
    assert_ne!(icon.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));

    // A few live streams per session, no more.
    let mut streams = Vec::new();
    for _ in 0..STREAMS_PER_SESSION {
        let res = c.get(format!("{base}/api/live/1")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        streams.push(res);
    }
    assert_eq!(c.get(format!("{base}/api/live/1")).send().await.unwrap().status(), 429);

    // Logging out ends the open streams within a few seconds.
    let mut stream = streams.pop().unwrap();
    let first = stream.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: ready"), "{first:?}");
    assert_eq!(c.post(format!("{base}/auth/logout")).send().await.unwrap().status(), 303);
    let wait = clientdesk::server::sse::RECHECK + std::time::Duration::from_secs(5);
    let ended =
        tokio::time::timeout(wait, async { while let Some(_chunk) = stream.chunk().await.unwrap() {} }).await;
    assert!(ended.is_ok(), "the stream ended after the logout");
    drop(streams);
    drop(srv);
    t.finish().await;
}

async fn the_daily_job_forgets_failed_logins_after_90_days_and_keeps_the_rest(t: TestDb) {
    use clientdesk::audit::service::{Act, Who, record};
    use clientdesk::customers::areas::erase::retention::run_daily;
    let who = Who { staff: None, ip: Some("192.0.2.1".into()) };
    for target in ["alt@x.test", "neu@x.test"] {
        record(&t.db, &who, Act::new("staff_login_failed", target)).await.unwrap();
    }
    record(&t.db, &Who::staff(1, "Anna", None), Act::new("customer_created", "K-1")).await.unwrap();
    // Age two rows past 91 days through a granted rewrite (as a migration of old data would).
    use sea_orm::TransactionTrait;
    let txn = t.db.begin().await.unwrap();
    clientdesk::db::history::allow_rewrite(&txn, "test").await.unwrap();
    let old = Utc::now() - Duration::days(91);
    let sql = "UPDATE audit_log SET at = $1 WHERE target IN ('alt@x.test', 'K-1')";
    txn.execute_raw(stmt(&txn, sql, vec![old.into()])).await.unwrap();
    clientdesk::db::history::end_rewrite(&txn).await.unwrap();
    txn.commit().await.unwrap();
    run_daily(&t.db, Utc::now().date_naive()).await.unwrap();
    let rows =
        t.db.query_all_raw(stmt(&t.db, "SELECT target FROM audit_log ORDER BY target", vec![]))
            .await
            .unwrap();
    let left: Vec<String> = rows.iter().map(|r| r.try_get("", "target").unwrap()).collect();
    assert_eq!(left, ["K-1", "neu@x.test"], "{}", t.backend);
    t.finish().await;
}
db_test!(the_daily_job_forgets_failed_logins_after_90_days_and_keeps_the_rest);

async fn note_and_mail_texts_have_their_limits(t: TestDb) {
    use clientdesk::customers::areas::notes::{model::NoteInput, service as notes};
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 18).await.unwrap();
    let key = |r: Result<_, clientdesk::error::AppError>| match r {
        Err(clientdesk::error::AppError::Validation(e)) => e[0].key.clone(),
        other => format!("{:?}", other.map(|_| ())),
    };
    let note = |body: String| NoteInput { title: "Limit".into(), body, ..Default::default() };
    // 20,000 characters fit in a note, 20,001 do not.
    assert!(notes::save(&common::ctx(&t.db), 1, 2, &note("ä".repeat(20_000))).await.is_ok(), "{}", t.backend);
    assert_eq!(
        key(notes::save(&common::ctx(&t.db), 1, 2, &note("ä".repeat(20_001))).await),
        "validation.too_long"
    );
    // 100,000 in a mail, 100,001 not.
    let send = |body: String| {
        let db = t.db.clone();
        async move {
            clientdesk::customers::areas::emails::compose::send(
                &common::ctx(&db),
                1,
                2,
                clientdesk::mail::model::MailKind::General,
                "Betreff",
                &body,
            )
            .await
        }
    };
    assert!(send("x".repeat(100_000)).await.is_ok());
    assert_eq!(key(send("x".repeat(100_001)).await), "validation.too_long");
    assert_eq!(key(send("Zeile\u{0}".into()).await), "validation.control_chars");
    t.finish().await;
}
db_test!(note_and_mail_texts_have_their_limits);
