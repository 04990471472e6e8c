//! Live updates over real HTTP: an open profile's SSE stream receives a change right after it
//! committed, on one instance (SQLite and PostgreSQL) and across two app instances sharing one
//! PostgreSQL database (LISTEN/NOTIFY); the stream needs a staff session.
use crate::common::{self, TestDb};

use clientdesk::customers::model::CustomerProfile;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::live::LiveEvent;
use common::server::{self, client, login, start};
use serde_json::json;
use std::time::Duration;

/// An open SSE stream: yields the (event, data) pairs as they arrive.
struct Stream {
    res: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(c: &reqwest::Client, base: &str, customer: i32) -> Stream {
        let res = c.get(format!("{base}/api/live/{customer}")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let mut s = Stream { res, buffer: String::new() };
        assert_eq!(s.next().await.0, "ready");
        s
    }

    async fn next(&mut self) -> (String, String) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(&format!("{name}:")))
                        .map(|v| v.trim().to_string())
                };
                if let Some(event) = field("event") {
                    return (event, field("data").unwrap_or_default());
                }
                continue; // a keep-alive comment
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.res.chunk())
                .await
                .expect("an event within 10 s")
                .unwrap()
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next change event, presence included.
    async fn next_event(&mut self) -> LiveEvent {
        loop {
            let (event, data) = self.next().await;
            if event == "change" {
                return serde_json::from_str(&data).unwrap();
            }
        }
    }

    /// The next change to the customer's data (who opens or closes the profile aside).
    async fn next_change(&mut self) -> LiveEvent {
        loop {
            let e = self.next_event().await;
            if e.presence.is_none() {
                return e;
            }
        }
    }
}

async fn save_city(c: &reqwest::Client, base: &str, id: i32, city: &str) -> CustomerProfile {
    let p: CustomerProfile = c
        .post(format!("{base}/api/get_customer"))
        .json(&json!({"id": id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut form = p.detail.form.clone();
    form.city = city.into();
    c.post(format!("{base}/api/save_customer"))
        .json(&json!({"id": id, "version": p.detail.version, "form": form}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn an_open_profile_hears_of_a_save_at_once(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 12).await.unwrap();
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let anon = client(&srv.base);
    assert_eq!(anon.get(format!("{}/api/live/2", srv.base)).send().await.unwrap().status(), 401);

    let mut watching = Stream::open(&c, &srv.base, 2).await;
    let mut other = Stream::open(&c, &srv.base, 3).await;
    let saved = save_city(&c, &srv.base, 2, "Livestadt").await;
    let event = watching.next_change().await;
    assert_eq!(event, LiveEvent::data(2, "Anna Albers", saved.detail.version), "{}", t.backend);
    // Customer 3's stream hears nothing of customer 2: the next thing it gets is its own.
    save_city(&c, &srv.base, 3, "Anderswo").await;
    assert_eq!(other.next_change().await.customer_id, 3);
    drop(srv);
    t.finish().await;
}
db_test!(an_open_profile_hears_of_a_save_at_once);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_cross_app_instances_on_postgresql() {
    let t = common::postgres().await;
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 13).await.unwrap();
    // Two instances, each with its own connection pool and listener, one database.
    let url = t.url();
    let db_b = clientdesk::db::connect(&url).await.unwrap();
    let a = start(t.db.clone()).await;
    let b = start(db_b.clone()).await;
    let on_a = login(&a).await;
    let on_b = login(&b).await;
    let mut stream = Stream::open(&on_b, &b.base, 1).await;
    // The listener of B may still be subscribing: retry the save until B hears of one.
    let mut heard = None;
    for attempt in 0..5 {
        let saved = save_city(&on_a, &a.base, 1, &format!("Instanz {attempt}")).await;
        let got = tokio::time::timeout(Duration::from_secs(2), stream.next_change()).await;
        if let Ok(event) = got {
            heard = Some((event, saved.detail.version));
            break;
        }
    }
    let (event, version) = heard.expect("instance B hears instance A's save");
    assert_eq!(event.customer_id, 1);
    assert!(event.version.is_some_and(|v| v <= version));
    drop((a, b));
    db_b.close().await.ok();
    t.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_shows_who_else_has_it_open() {
    let t = common::sqlite().await;
    server::add_staff(&t.db).await;
    clientdesk::staff::service::add_staff(&t.db, "b@x.test", "Bea Blick", "bea-passwort-12", "readonly")
        .await
        .unwrap();
    seed_customers(&t.db, 1, 15).await.unwrap();
    let srv = start(t.db.clone()).await;
    let anna = login(&srv).await;
    let bea = server::login_as(&srv.base, "b@x.test", "bea-passwort-12").await;
    let viewers = |c: reqwest::Client, base: String| async move {
        c.post(format!("{base}/api/profile_viewers"))
            .json(&json!({"id": 1}))
            .send()
            .await
            .unwrap()
            .json::<Vec<String>>()
            .await
            .unwrap()
    };
    let mut own = Stream::open(&anna, &srv.base, 1).await;
    let bea_stream = Stream::open(&bea, &srv.base, 1).await;
    // Anna hears Bea arrive, and sees her; she does not see herself.
    while own.next_event().await.presence != Some((2, true)) {}
    assert_eq!(viewers(anna.clone(), srv.base.clone()).await, ["Bea Blick"]);
    assert_eq!(viewers(bea.clone(), srv.base.clone()).await, ["Anna Albers"]);
    // Bea closes the profile: she is gone once the server notices, at the latest when it next
    // writes to her closed stream (a change to the customer).
    drop(bea_stream);
    let mut gone = false;
    for attempt in 0..10 {
        save_city(&anna, &srv.base, 1, &format!("Ort {attempt}")).await;
        while let Ok(e) = tokio::time::timeout(Duration::from_millis(500), own.next_event()).await {
            gone |= e.presence == Some((2, false));
        }
        if gone {
            break;
        }
    }
    assert!(gone, "Bea's leaving was announced");
    assert!(viewers(anna.clone(), srv.base.clone()).await.is_empty());
    drop(srv);
    t.finish().await;
}

/// The steps of a long run as the open profile hears them, until the last.
async fn steps_of(stream: &mut Stream, run: &str) -> Vec<(u32, u32)> {
    let mut steps = Vec::new();
    loop {
        let e = stream.next_change().await;
        if let (true, Some(step)) = (e.area == run, e.progress) {
            steps.push(step);
            if step.0 == step.1 {
                return steps;
            }
        }
    }
}

async fn long_runs_report_their_steps_to_the_open_profile(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 12).await.unwrap();
    let srv = start(t.db.clone()).await;
    let c = login(&srv).await;
    let mut stream = Stream::open(&c, &srv.base, 2).await;
    let pdf = c.post(format!("{}/documents/customers/2/report.pdf", srv.base)).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    let steps = steps_of(&mut stream, "report").await;
    let areas = clientdesk::customers::areas::registry::all_records().len() as u32;
    assert_eq!(steps.first(), Some(&(0, areas + 1)), "{}: {steps:?}", t.backend);
    assert!(steps.windows(2).all(|w| w[0].0 < w[1].0), "steps only go forward: {steps:?}");

    let p = server::call(&c, &srv.base, "preview_erasure", json!({"id": 2})).await;
    let order = json!({"request": {"customer_id": 2, "version": p["version"], "request_ref": "Ticket 1", "hard_delete": false}});
    assert_eq!(server::call(&c, &srv.base, "erase_customer", order).await["outcome"], "anonymised");
    let steps = steps_of(&mut stream, "erase").await;
    assert_eq!(steps.last(), Some(&(areas, areas)), "{}: {steps:?}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(long_runs_report_their_steps_to_the_open_profile);
