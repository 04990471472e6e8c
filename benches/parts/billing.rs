//! BENCH_ONLY=billing (issue 14), on fresh SQLite and PostgreSQL databases:
//! - the billing run over 100,000 recurring items of 40,000 customers, all due today (target
//!   ≤ 30 s), and the same run again (nothing is due any more);
//! - PDF throughput (invoices typeset and archived per second, both cores), the time until all
//!   PDFs of the run are archived, and the time from finalising one invoice until it is archived;
//! - the profile's Rechnungen and Transaktionen pages rendered on the server for a customer with
//!   2,000 invoices and 20,000 ledger entries (p50/p95 of 200 renders each).
use clientdesk::billing::parties::{Party, SellerSettings};
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::{self, Db};
use sea_orm::{ConnectionTrait, Database};
use std::time::{Duration, Instant};

const CUSTOMERS: usize = 40_000;
const ITEMS: usize = 100_000;
const BIG_INVOICES: usize = 2_000;
const BIG_ENTRIES: usize = 20_000;

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx].as_secs_f64() * 1000.0
}

/// The bench's operator (also the e-invoice part's).
pub fn seller() -> SellerSettings {
    SellerSettings {
        party: Party {
            name: "Bench Hosting GmbH".into(),
            street: "Benchweg 1".into(),
            postcode: "10115".into(),
            city: "Berlin".into(),
            country: "DE".into(),
            vat_id: "DE123456789".into(),
            ..Party::default()
        },
        ..SellerSettings::default()
    }
}

/// Rows in batches of `batch`, each row's values from `row(n)`.
async fn insert(db: &Db, head: &str, count: usize, batch: usize, row: impl Fn(usize) -> String) {
    for start in (0..count).step_by(batch) {
        let values: Vec<String> = (start..(start + batch).min(count)).map(&row).collect();
        db.execute_unprepared(&format!("{head} VALUES {}", values.join(", "))).await.unwrap();
    }
}

async fn bench_run(name: &str, db: &Db) {
    let today = clientdesk::clock::business_day();
    let now = chrono::Utc::now().to_rfc3339();
    let started = Instant::now();
    seed_customers(db, CUSTOMERS, 3).await.unwrap();
    db.execute_unprepared("UPDATE customers SET taxation = 'normal'").await.unwrap();
    seller().save(db).await.unwrap();
    insert(
        db,
        "INSERT INTO billing_items (customer_id, description, quantity_milli, unit_price_e4, currency, tax_class, \
         interval_unit, interval_count, anchor_date, periods_billed, next_due, status, version, created_at, \
         updated_at, created_by_kind, created_by_id)",
        ITEMS,
        1_000,
        |n| {
            format!(
                "({}, 'Webhosting {n}', 1000, 99900, 'EUR', 'standard', 'months', 1, '{today}', 0, '{today}', \
                 'active', 1, '{now}', '{now}', 'system', NULL)",
                1 + n % CUSTOMERS
            )
        },
    )
    .await;
    println!("BENCH billing_seed_{name} {:.1} s", started.elapsed().as_secs_f64());

    let ctx = clientdesk::write::Ctx::quiet(db);
    let started = Instant::now();
    let first = clientdesk::billing::run::run(&ctx, today).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    assert_eq!(first.periods, ITEMS as u64, "every item billed once");
    println!("BENCH billing_run_{name}_{ITEMS}_items_{CUSTOMERS}_customers {took:.1} s");
    println!("BENCH billing_run_{name}_invoices {}", first.invoices);
    let started = Instant::now();
    let second = clientdesk::billing::run::run(&ctx, today).await.unwrap();
    assert_eq!(second.invoices, 0, "nothing is billed twice");
    println!("BENCH billing_run_{name}_again {:.2} s", started.elapsed().as_secs_f64());
}

async fn bench_pdf(name: &str, db: &Db, dir: &std::path::Path) {
    let store = clientdesk::storage::Store::local(&dir.join(format!("store-{name}"))).unwrap();
    let ctx = clientdesk::write::Ctx::quiet(db);
    // Every invoice of the run typeset, archived and mailed, as the worker does it (rounds of
    // 200, as many at once as there are cores).
    let started = Instant::now();
    let (mut done, mut after) = (0, 0);
    while let (n, Some(last)) =
        clientdesk::documents::invoice_archive::archive_after(&ctx, &store, after).await.unwrap()
    {
        done += n;
        after = last;
    }
    let secs = started.elapsed().as_secs_f64();
    println!("BENCH billing_pdf_{name}_per_second {:.1} invoices/s", done as f64 / secs);
    println!(
        "BENCH billing_run_archived_{name} {secs:.0} s (all {done} PDFs of the run archived and mailed)"
    );
    // One invoice finalised now until its PDF is archived (what the worker does when woken).
    let draft = clientdesk::billing::model::DraftInput {
        lines: vec![clientdesk::billing::model::LineInput {
            description: "Beratung".into(),
            quantity: "2".into(),
            unit_price: "95".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let actor = clientdesk::events::actor::Actor::System;
    let id = clientdesk::billing::drafts::save_draft(&ctx, actor, 7, &draft).await.unwrap();
    let started = Instant::now();
    clientdesk::billing::invoices::finalise(&ctx, actor, 7, id).await.unwrap();
    clientdesk::documents::invoice_archive::archive_one(&ctx, &store, 7, id).await.unwrap();
    println!("BENCH billing_finalised_to_archived_{name} {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
}

/// Customer 1 gets 2,000 final invoices and 20,000 ledger entries (written as the services
/// would leave them: numbers, totals, running balances), then both pages are rendered 200 times.
async fn bench_big_profile(name: &str, db: Db) {
    let big = 1;
    let today = clientdesk::clock::business_day();
    let now = chrono::Utc::now().to_rfc3339();
    insert(
        &db,
        "INSERT INTO invoices (customer_id, kind, state, currency, tax_mode, buyer, seller, net_cents, tax_cents, \
         gross_cents, paid_cents, note, mail_state, source, created_by_kind, created_by_id, version, created_at, \
         updated_at, series_id, counter, number, issue_date, due_date)",
        BIG_INVOICES,
        500,
        |n| {
            format!(
                "({big}, 'invoice', 'paid', 'EUR', 'domestic', '{{}}', '{{}}', 1000, 190, 1190, 1190, '', 'sent', \
                 'run', 'system', NULL, 2, '{now}', '{now}', 1, {}, 'BIG-{n:06}', '{today}', '{today}')",
                1_000_000 + n
            )
        },
    )
    .await;
    insert(
        &db,
        "INSERT INTO ledger_entries (customer_id, kind, amount_cents, fee_cents, currency, booked_on, description, \
         reference, method, special, balance_after, created_at, booked_by_kind, booked_by_id)",
        BIG_ENTRIES,
        1_000,
        |n| {
            let amount = if n % 2 == 0 { -1190 } else { 1190 };
            let balance = if n % 2 == 0 { -1190 } else { 0 };
            format!(
                "({big}, '{}', {amount}, 0, 'EUR', '{today}', 'Eintrag {n}', 'REF-{n}', 'transfer', false, {balance}, \
                 '{now}', 'system', NULL)",
                if n % 2 == 0 { "invoice" } else { "payment" }
            )
        },
    )
    .await;
    let _ = clientdesk::staff::service::add_staff(
        &db,
        "bench@clientdesk.test",
        "Bench",
        "bench-passwort",
        "administrator",
    )
    .await;
    let (_server, base) = super::web::serve(db).await;
    let client = super::web::logged_in(&base, "bench@clientdesk.test", "bench-passwort").await;
    for area in ["invoices", "transactions"] {
        let mut samples = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let res = client.get(format!("{base}/customers/{big}/{area}")).send().await.unwrap();
            assert_eq!(res.status(), 200);
            std::hint::black_box(res.text().await.unwrap());
            samples.push(t.elapsed());
        }
        println!("BENCH ssr_{area}_{name}_big_p50 {:.2} ms", percentile(&mut samples, 0.50));
        println!("BENCH ssr_{area}_{name}_big_p95 {:.2} ms", percentile(&mut samples, 0.95));
    }
}

/// The parts to run on database `db`: all three, or what `BENCH_BILLING` lists (e.g.
/// `run,sqlite` to profile the run on SQLite alone; a group it names nothing of runs whole).
/// The PDFs and the big profile build on the run's customers, so either brings the run along.
fn parts(db: &str) -> Vec<&'static str> {
    let Ok(list) = std::env::var("BENCH_BILLING") else { return vec!["run", "pdf", "profile"] };
    let listed: Vec<&str> = list.split(',').map(str::trim).collect();
    let fits =
        |group: &[&str], this: &str| listed.contains(&this) || !group.iter().any(|g| listed.contains(g));
    if !fits(&["sqlite", "postgres"], db) {
        return Vec::new();
    }
    let mut parts: Vec<&'static str> =
        ["run", "pdf", "profile"].into_iter().filter(|p| fits(&["run", "pdf", "profile"], p)).collect();
    if !parts.is_empty() && !parts.contains(&"run") {
        parts.insert(0, "run");
    }
    parts
}

pub async fn billing_only() {
    let dir = std::env::temp_dir().join("clientdesk-bench-billing");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let wanted = parts("sqlite");
    if !wanted.is_empty() {
        let sqlite = db::connect(&format!("sqlite://{}/billing.db?mode=rwc", dir.display())).await.unwrap();
        db::migrate(&sqlite).await.unwrap();
        bench_run("sqlite", &sqlite).await;
        if wanted.contains(&"pdf") {
            bench_pdf("sqlite", &sqlite, &dir).await;
        }
        if wanted.contains(&"profile") {
            bench_big_profile("sqlite", sqlite).await;
        }
    }

    let wanted = parts("postgres");
    if !wanted.is_empty() {
        let admin_url = std::env::var("CLIENTDESK_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = "clientdesk_bench_billing";
        let admin = Database::connect(&admin_url).await.expect("PostgreSQL");
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
        let pg = db::connect(&format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)).await.unwrap();
        db::migrate(&pg).await.unwrap();
        bench_run("postgres", &pg).await;
        if wanted.contains(&"pdf") {
            bench_pdf("postgres", &pg, &dir).await;
        }
        if wanted.contains(&"profile") {
            bench_big_profile("postgres", pg.clone()).await;
        }
        pg.close().await.ok();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
