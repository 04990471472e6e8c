//! Hostile input to every server function: wrong types, numbers out of range, NUL and bidi
//! characters, strings too long for any field, other customers' ids from the self-service area.
//! Each answers 4xx with a message (never a server fault) and changes nothing.
use crate::authorization::{Need, matrix};
use crate::common::{self, TestDb};

use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::{Db, stmt};
use common::server::{call, client, deliver_mail, login, reset_token, start};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Every table's row count and the customers' versions: what any write would change.
async fn fingerprint(db: &Db) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in [
        "customers",
        "changes",
        "events",
        "notes",
        "note_versions",
        "contacts",
        "portal_logins",
        "password_resets",
        "mail_outbox",
        "customer_ips",
        "staff",
        "roles",
        "role_permissions",
        "custom_field_defs",
        "custom_field_values",
        "settings",
        "audit_log",
        "customer_aliases",
        "erasures",
    ] {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let n =
            db.query_one_raw(stmt(db, &sql, vec![])).await.unwrap().unwrap().try_get::<i64>("", "n").unwrap();
        out.push((table.to_string(), n));
    }
    let sql = "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM customers";
    let v = db.query_one_raw(stmt(db, sql, vec![])).await.unwrap().unwrap().try_get::<i64>("", "n").unwrap();
    out.push(("versions".into(), v));
    out
}

/// The body with every number (`number`) or every string (`string`) replaced.
fn mutate(body: &Value, number: Option<&Value>, string: Option<&Value>) -> Value {
    match (body, number, string) {
        (Value::Number(_), Some(n), _) => n.clone(),
        (Value::String(_), _, Some(s)) => s.clone(),
        (Value::Array(items), ..) => Value::Array(items.iter().map(|v| mutate(v, number, string)).collect()),
        (Value::Object(map), ..) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), mutate(v, number, string))).collect())
        }
        (other, ..) => other.clone(),
    }
}

fn hostile(body: &Value) -> Vec<(&'static str, Value)> {
    let numbers = |n: Value| mutate(body, Some(&n), None);
    let strings = |s: Value| mutate(body, None, Some(&s));
    vec![
        ("a string instead of the arguments", json!("Unsinn")),
        ("an array instead of the arguments", json!([1, 2, 3])),
        ("numbers as text", numbers(json!("eins"))),
        ("texts as objects", strings(json!({"x": 1}))),
        ("negative ids", numbers(json!(-1))),
        ("ids beyond 32 bits", numbers(json!(4_294_967_296i64))),
        ("NUL in every text", strings(json!("a\u{0}b"))),
        ("a bidi override in every text", strings(json!("rechnung\u{202E}fdp.exe"))),
        ("100,000 characters in every text", strings(json!("x".repeat(100_000)))),
    ]
    .into_iter()
    .filter(|(_, bad)| bad != body)
    .collect()
}

async fn every_server_function_refuses_hostile_input_and_changes_nothing(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 77).await.unwrap();
    let srv = start(t.db.clone()).await;
    let base = srv.base.clone();
    let staff = login(&srv).await;
    // Customer 2 in the self-service area, to try customer 1's and 3's ids.
    call(&staff, &base, "send_password_reset", json!({"id": 2})).await;
    let token = reset_token(deliver_mail(&t.db).await.last().unwrap());
    clientdesk::portal::service::reset_password(&t.db, &token, "kunden-passwort-1", None).await.unwrap();
    let customer = client(&base);
    let email = clientdesk::customers::service::detail(&t.db, 2).await.unwrap().form.email;
    let res = customer
        .post(format!("{base}/portal/auth/login"))
        .form(&[("email", email.as_str()), ("password", "kunden-passwort-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/portal");

    let before = fingerprint(&t.db).await;
    for (name, need, body) in matrix() {
        let c = if matches!(need, Need::Customer) { &customer } else { &staff };
        let mut cases = hostile(&body);
        if matches!(need, Need::Customer) {
            cases.push((
                "another customer's id",
                json!({"id": 1, "customer_id": 3, "version": 1, "form": {}}),
            ));
        }
        for (what, bad) in cases {
            match c.post(format!("{base}/api/{name}")).json(&bad).send().await {
                Ok(res) => {
                    let status = res.status().as_u16();
                    let text = res.text().await.unwrap();
                    assert!(status < 500, "{name} with {what} on {}: {status} {text}", t.backend);
                    if status >= 400 && status != 413 {
                        let error: Result<clientdesk::error::AppError, _> = serde_json::from_str(&text);
                        assert!(error.is_ok(), "{name} with {what}: a message, not {text}");
                    }
                }
                // A body over the limit is answered 413 from its length and the connection
                // closed unread: a client still writing it may see the pipe break instead.
                Err(e)
                    if e.is_request() && bad.to_string().len() > clientdesk::server::router::BODY_LIMIT => {}
                Err(e) => panic!("{name} with {what} on {}: {e}", t.backend),
            }
            // A read may answer an empty result for an id that does not exist; a write may not
            // have succeeded.
            assert_eq!(
                fingerprint(&t.db).await,
                before,
                "{name} with {what} changed something on {}",
                t.backend
            );
        }
    }
    drop(srv);
    t.finish().await;
}
db_test!(every_server_function_refuses_hostile_input_and_changes_nothing);
