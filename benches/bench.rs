//! `make bench`: seeding, the list search and profile SSR on SQLite and PostgreSQL.
//! Prints `BENCH <name> <value> <unit>` lines. Never part of the tests (timings are noisy).
//! BENCH_CUSTOMERS sets the size (default 1,000,000). Profile SSR is measured on both databases,
//! also for a customer with 1,000 notes and 1,000 mails, with the SQL statements per render.
use clientdesk::customers::model::ListQuery;
use clientdesk::customers::service::{self, seed::seed_customers};
use clientdesk::db::{self, Db};
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Database, EntityTrait, PaginatorTrait};
use std::time::{Duration, Instant};

#[path = "parts/bank.rs"]
mod bank_bench;
#[path = "parts/billing.rs"]
mod billing_bench;
#[path = "parts/domains.rs"]
mod domains_bench;
#[path = "parts/dunning.rs"]
mod dunning_bench;
#[path = "parts/einvoice.rs"]
mod einvoice_bench;
#[path = "parts/files.rs"]
mod files_bench;
#[path = "parts/licence.rs"]
mod licence_bench;
mod merge_bench;
#[path = "parts/web.rs"]
mod web;

/// A part's own databases: a fresh SQLite file and a fresh PostgreSQL database `name`, both
/// migrated; `drop_fresh` removes them after.
pub async fn fresh_databases(name: &str) -> (Db, Db) {
    let dir = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display())).await.unwrap();
    db::migrate(&sqlite).await.unwrap();
    let admin = Database::connect(&pg_admin_url()).await.expect("PostgreSQL");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let pg = db::connect(&format!("{}/{name}", pg_admin_url().rsplit_once('/').unwrap().0)).await.unwrap();
    db::migrate(&pg).await.unwrap();
    (sqlite, pg)
}

pub async fn drop_fresh(name: &str, sqlite: Db, pg: Db) {
    sqlite.close().await.ok();
    pg.close().await.ok();
    let admin = Database::connect(&pg_admin_url()).await.expect("PostgreSQL");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
    let _ = std::fs::remove_dir_all(std::env::temp_dir().join(name));
}

fn pg_admin_url() -> String {
    std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx].as_secs_f64() * 1000.0
}

/// Searches as staff type them: name prefixes, e-mail fragments, customer numbers, cities.
fn queries(count: usize, customers: usize) -> Vec<String> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let names = ["müll", "schm", "zuckerm", "weiß", "hoffm", "krüger", "schäf", "özdem", "dörfl", "bergm"];
    let mails = ["juergen.mueller", "greta.", "sabine.koch", "@posteo", "zuckermann-it", "thomas.wagner1"];
    let cities = ["würzburg", "lübeck", "göttingen", "saarbrücken", "zürich", "graz"];
    (0..count)
        .map(|i| match i % 4 {
            0 => names[rng.gen_range(0..names.len())].to_string(),
            1 => mails[rng.gen_range(0..mails.len())].to_string(),
            2 => format!("K-{}", 10001 + rng.gen_range(0..customers)),
            _ => cities[rng.gen_range(0..cities.len())].to_string(),
        })
        .collect()
}

async fn bench_db(name: &str, db: &Db, customers: usize) {
    let present = clientdesk::db::entities::customer::Entity::find().count(db).await.expect("count");
    if present != customers as u64 {
        let started = Instant::now();
        seed_customers(db, customers, 1).await.expect("seed");
        println!("BENCH seed_{name}_{customers} {:.1} s", started.elapsed().as_secs_f64());
    }
    // A production table is vacuumed by autovacuum; a freshly bulk-loaded one not yet.
    let maintenance = if name == "postgres" { "VACUUM ANALYZE customers" } else { "ANALYZE" };
    db.execute_unprepared(maintenance).await.expect("analyze");
    let mut samples = Vec::new();
    let mut by_kind: [Vec<Duration>; 4] = Default::default();
    for (i, q) in queries(200, customers).into_iter().enumerate() {
        let query = ListQuery { q, ..Default::default() };
        let t = Instant::now();
        let page = service::search(db, &query).await.expect("search");
        samples.push(t.elapsed());
        by_kind[i % 4].push(t.elapsed());
        std::hint::black_box(page);
    }
    println!("BENCH search_{name}_p50 {:.2} ms", percentile(&mut samples, 0.50));
    println!("BENCH search_{name}_p95 {:.2} ms", percentile(&mut samples, 0.95));
    println!("BENCH search_{name}_max {:.2} ms", percentile(&mut samples, 1.0));
    for (kind, mut s) in ["name_prefix", "email_fragment", "customer_number", "city"].into_iter().zip(by_kind)
    {
        println!("BENCH search_{name}_{kind}_p95 {:.2} ms", percentile(&mut s, 0.95));
    }
}

/// The customer whose profile is rendered in the figures bench: 1,000 notes and 1,000 mails.
const BIG_NOTES: usize = 1_000;

async fn seed_big_customer(db: &Db, id: i32) {
    use clientdesk::customers::areas::notes::{
        model::{NoteInput, Priority, Visibility},
        service as notes,
    };
    let have = clientdesk::db::entities::note::Entity::find().count(db).await.unwrap() as usize;
    if have >= BIG_NOTES {
        return; // reused (BENCH_KEEP)
    }
    let to = service::detail(db, id).await.unwrap().form.email;
    for i in 0..BIG_NOTES {
        let note = NoteInput {
            title: format!("Notiz {i}"),
            body: "Rückruf erbeten.".into(),
            priority: Priority::Low,
            visibility: Visibility::Hidden,
            pinned: i % 250 == 0,
            ..Default::default()
        };
        notes::save(&clientdesk::write::Ctx::quiet(db), 1, id, &note).await.unwrap();
        let mail = clientdesk::mail::outbox::NewMail {
            customer_id: Some(id),
            template: "written".into(),
            kind: clientdesk::mail::model::MailKind::General,
            to: to.clone(),
            cc: Vec::new(),
            subject: format!("Mail {i}"),
            body: "Hallo".into(),
            staff_id: Some(1),
            secret: None,
            attachments: Vec::new(),
        };
        let mail = clientdesk::mail::outbox::enqueue(db, mail).await.unwrap();
        clientdesk::mail::outbox::mark_sent(db, mail).await.unwrap();
    }
}

/// Profile SSR (header, warnings, every area's sidebar figure, the Daten panel): random
/// customers, then 500 renders of one with 1,000 notes and 1,000 mails, with the number of SQL
/// statements one render takes (it must not grow with the number of areas).
async fn bench_ssr(name: &str, mut db: Db, customers: usize) {
    let _ = clientdesk::staff::service::add_staff(
        &db,
        "bench@clientdesk.test",
        "Bench",
        "bench-passwort",
        "administrator",
    )
    .await; // already there when reused
    let big = (customers / 2).max(1) as i32;
    seed_big_customer(&db, big).await;
    let statements = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    {
        let statements = statements.clone();
        db.set_metric_callback(move |_| {
            statements.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
    }
    let (_server, base) = web::serve(db).await;
    let client = web::logged_in(&base, "bench@clientdesk.test", "bench-passwort").await;
    let render = |id: i32| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let t = Instant::now();
            let res = client.get(format!("{base}/customers/{id}/data")).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let body = res.text().await.unwrap();
            std::hint::black_box(body);
            t.elapsed()
        }
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut samples = Vec::new();
    for _ in 0..500 {
        samples.push(render(rng.gen_range(1..=customers) as i32).await);
    }
    println!("BENCH ssr_profile_{name}_p50 {:.2} ms", percentile(&mut samples, 0.50));
    println!("BENCH ssr_profile_{name}_p95 {:.2} ms", percentile(&mut samples, 0.95));

    let before = statements.load(std::sync::atomic::Ordering::Relaxed);
    render(big).await;
    let per_render = statements.load(std::sync::atomic::Ordering::Relaxed) - before;
    let mut samples = Vec::new();
    for _ in 0..500 {
        samples.push(render(big).await);
    }
    println!("BENCH ssr_profile_figures_{name}_p50 {:.2} ms", percentile(&mut samples, 0.50));
    println!("BENCH ssr_profile_figures_{name}_p95 {:.2} ms", percentile(&mut samples, 0.95));
    println!("BENCH ssr_profile_statements_{name} {per_render} statements");
    let areas = clientdesk::customers::areas::AREAS.len();
    let figures = clientdesk::customers::areas::AREAS.iter().filter(|a| a.server.figure.is_some()).count();
    println!("BENCH ssr_profile_areas_{name} {areas} areas ({figures} with a figure, read in 1 statement)");
}

async fn next_change(res: &mut reqwest::Response, buffer: &mut String) {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let is_change =
                block.lines().any(|l| l.strip_prefix("event:").is_some_and(|v| v.trim() == "change"));
            // A data change, not someone opening or closing the profile.
            let data = block.lines().find_map(|l| l.strip_prefix("data:")).unwrap_or("{}");
            let presence = serde_json::from_str::<serde_json::Value>(data.trim())
                .is_ok_and(|v| !v["presence"].is_null());
            if is_change && !presence {
                return;
            }
            continue;
        }
        let chunk = res.chunk().await.expect("stream").expect("open stream");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

/// Live-update latency: from sending a save to its event arriving at a subscribed client, on
/// the same instance (`watch_db` None) or on a second instance with its own pool on `watch_db`.
async fn bench_live(name: &str, save_db: &Db, watch_db: Option<&Db>) {
    let _ = clientdesk::staff::service::add_staff(
        save_db,
        "live@clientdesk.test",
        "Live",
        "live-passwort-1",
        "administrator",
    )
    .await;
    let (_a, base_a) = web::serve(save_db.clone()).await;
    let (_b, base_b) = match watch_db {
        Some(db) => web::serve(db.clone()).await,
        None => (tokio::spawn(async {}), base_a.clone()),
    };
    let saver = web::logged_in(&base_a, "live@clientdesk.test", "live-passwort-1").await;
    let watcher = web::logged_in(&base_b, "live@clientdesk.test", "live-passwort-1").await;
    let mut stream = watcher.get(format!("{base_b}/api/live/1")).send().await.unwrap();
    let mut buffer = String::new();
    // Let the instances' LISTEN connections come up before the first change.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut samples = Vec::new();
    for i in 0..520 {
        let p: serde_json::Value = saver
            .post(format!("{base_a}/api/get_customer"))
            .json(&serde_json::json!({"id": 1}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut form = p["detail"]["form"].clone();
        form["phone"] = serde_json::json!(format!("+49 30 {:06}", i));
        let body = serde_json::json!({"id": 1, "version": p["detail"]["version"], "form": form});
        let t = Instant::now();
        let save = saver.post(format!("{base_a}/api/save_customer")).json(&body).send();
        let (res, ()) = tokio::join!(save, async {
            tokio::time::timeout(Duration::from_secs(10), next_change(&mut stream, &mut buffer))
                .await
                .expect("event")
        });
        let elapsed = t.elapsed();
        assert_eq!(res.unwrap().status(), 200);
        if i >= 20 {
            samples.push(elapsed); // the first ones warm up connections
        }
    }
    println!("BENCH live_{name}_p50 {:.2} ms", percentile(&mut samples, 0.50));
    println!("BENCH live_{name}_p95 {:.2} ms", percentile(&mut samples, 0.95));
}

/// BENCH_KEEP=1 keeps the seeded databases for the next run (and reuses them); BENCH_ONLY=sqlite
/// or BENCH_ONLY=postgres runs one database only (the SSR figure comes with SQLite);
/// BENCH_ONLY=live only the live-update latencies; BENCH_ONLY=merge only the merge;
/// BENCH_ONLY=files only the file upload and download; BENCH_ONLY=domains only the search by
/// domain (with its customers) on both databases; BENCH_ONLY=billing only the billing run, the
/// invoice PDFs and the big money profile; BENCH_ONLY=einvoice only writing e-invoices;
/// BENCH_ONLY=dunning only the dunning run over 100,000 overdue invoices; BENCH_ONLY=bank only
/// the import of a CAMT.053 statement of 10,000 credits against 100,000 open invoices.
#[tokio::main]
async fn main() {
    let customers: usize =
        std::env::var("BENCH_CUSTOMERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let keep = std::env::var("BENCH_KEEP").is_ok_and(|v| v == "1");
    let dir = std::env::temp_dir().join("clientdesk-bench");
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::fs::create_dir_all(&dir).unwrap();
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    if only == "live" {
        live_only().await;
        return;
    }
    if only == "merge" {
        merge_bench::merge_only().await;
        return;
    }
    if only == "files" {
        files_bench::files_only().await;
        return;
    }
    if only == "domains" {
        domains_only(&dir, customers).await;
        return;
    }
    if only == "billing" {
        billing_bench::billing_only().await;
        return;
    }
    if only == "einvoice" {
        einvoice_bench::einvoice_only().await;
        return;
    }
    if only == "dunning" {
        dunning_bench::dunning_only().await;
        return;
    }
    if only == "bank" {
        bank_bench::bank_only().await;
        return;
    }
    if only != "postgres" {
        let sqlite = db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display())).await.unwrap();
        db::migrate(&sqlite).await.unwrap();
        bench_db("sqlite", &sqlite, customers).await;
        licence_bench::bench_licences("sqlite", &sqlite, customers).await;
        domains_bench::bench_domains("sqlite", &sqlite, customers).await;
        bench_ssr("sqlite", sqlite, customers).await;
    }
    if only == "sqlite" {
        return;
    }

    let admin_url = std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = "clientdesk_bench";
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL");
    if !keep {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    }
    let _ = admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await;
    let pg = db::connect(&format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)).await.unwrap();
    db::migrate(&pg).await.unwrap();
    bench_db("postgres", &pg, customers).await;
    licence_bench::bench_licences("postgres", &pg, customers).await;
    domains_bench::bench_domains("postgres", &pg, customers).await;
    bench_ssr("postgres", pg.clone(), customers).await;
    pg.close().await.ok();
    if !keep {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
        let _ = std::fs::remove_dir_all(&dir);
    }
    if only.is_empty() {
        live_only().await;
        merge_bench::merge_only().await;
        files_bench::files_only().await;
        billing_bench::billing_only().await;
        einvoice_bench::einvoice_only().await;
        dunning_bench::dunning_only().await;
        bank_bench::bank_only().await;
    }
}

/// BENCH_ONLY=live: the live-update latencies alone, on small fresh databases.
async fn live_only() {
    let dir = std::env::temp_dir().join("clientdesk-bench-live");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = db::connect(&format!("sqlite://{}/live.db?mode=rwc", dir.display())).await.unwrap();
    db::migrate(&sqlite).await.unwrap();
    seed_customers(&sqlite, 10, 1).await.unwrap();
    bench_live("sqlite_one_instance", &sqlite, None).await;

    let admin_url = std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = "clientdesk_bench_live";
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let pg_a = db::connect(&url).await.unwrap();
    db::migrate(&pg_a).await.unwrap();
    seed_customers(&pg_a, 10, 1).await.unwrap();
    let pg_b = db::connect(&url).await.unwrap();
    bench_live("postgres_one_instance", &pg_a, None).await;
    bench_live("postgres_two_instances", &pg_a, Some(&pg_b)).await;
    pg_a.close().await.ok();
    pg_b.close().await.ok();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
    let _ = std::fs::remove_dir_all(&dir);
}

/// BENCH_ONLY=domains: the customers (seeded unless there) and the search by domain, on both
/// databases (kept with BENCH_KEEP like the full run).
async fn domains_only(dir: &std::path::Path, customers: usize) {
    let sqlite = db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display())).await.unwrap();
    db::migrate(&sqlite).await.unwrap();
    let admin_url = std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL");
    let _ = admin.execute_unprepared("CREATE DATABASE clientdesk_bench").await;
    let pg =
        db::connect(&format!("{}/clientdesk_bench", admin_url.rsplit_once('/').unwrap().0)).await.unwrap();
    db::migrate(&pg).await.unwrap();
    for (name, db) in [("sqlite", &sqlite), ("postgres", &pg)] {
        let present = clientdesk::db::entities::customer::Entity::find().count(db).await.expect("count");
        if present != customers as u64 {
            let started = Instant::now();
            seed_customers(db, customers, 1).await.expect("seed");
            println!("BENCH seed_{name}_{customers} {:.1} s", started.elapsed().as_secs_f64());
        }
        domains_bench::bench_domains(name, db, customers).await;
    }
}
