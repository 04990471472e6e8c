//! BENCH_ONLY=merge: merging two customers with 10,000 related records each, and erasing a
//! customer with 10,000 related records (half its mails blocked for retention), on SQLite and
//! PostgreSQL (targets: 2 s each).
use clientdesk::customers::service::{detail, seed::seed_customers, today};
use clientdesk::db::{self, Db, stmt};
use clientdesk::records::model::MergeChoice;
use sea_orm::{ConnectionTrait, Database};
use std::time::Instant;

/// Related records per customer, spread over the areas that exist.
const EVENTS: usize = 4_000;
const CHANGES: usize = 3_000;
const MAILS: usize = 1_500;
const NOTES: usize = 1_000;
const CONTACTS: usize = 500;

async fn insert_rows(db: &Db, table: &str, columns: &str, rows: Vec<String>) {
    for chunk in rows.chunks(500) {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(", "));
        db.execute_raw(stmt(db, &sql, vec![])).await.unwrap();
    }
}

async fn fill(db: &Db, customer: i32) {
    let at = "'2026-11-27 10:00:00+00:00'";
    let n = |count: usize| 0..count;
    insert_rows(
        db,
        "events",
        "customer_id, at, kind, actor_kind, payload",
        n(EVENTS).map(|i| format!("({customer}, {at}, 'login', 'customer', 'e{i}')")).collect(),
    )
    .await;
    insert_rows(
        db,
        "changes",
        "customer_id, entity, entity_id, field, old_value, new_value, actor_kind, at",
        n(CHANGES)
            .map(|i| format!("({customer}, 'customer', {customer}, 'city', 'a{i}', 'b{i}', 'system', {at})"))
            .collect(),
    )
    .await;
    insert_rows(
        db,
        "mail_outbox",
        "customer_id, template, to_addr, cc, subject, body, status, attempts, last_error, created_at",
        n(MAILS)
            .map(|i| format!("({customer}, 'custom', 'x@x.test', '', 'S{i}', 'B', 'sent', 1, '', {at})"))
            .collect(),
    )
    .await;
    insert_rows(
        db,
        "notes",
        "customer_id, title, body, priority, visibility, pinned, version, created_at, updated_at",
        n(NOTES).map(|i| format!("({customer}, 'N{i}', 'B', 'low', 'none', false, 1, {at}, {at})")).collect(),
    )
    .await;
    insert_rows(
        db,
        "contacts",
        "customer_id, email, language, version, created_at, updated_at",
        n(CONTACTS).map(|i| format!("({customer}, 'c{customer}-{i}@x.test', 'de', 1, {at}, {at})")).collect(),
    )
    .await;
}

async fn bench_merge(name: &str, db: &Db) {
    clientdesk::staff::service::add_staff(db, "bench@x.test", "Bench", "bench-passwort-1", "administrator")
        .await
        .unwrap();
    seed_customers(db, 2, 7).await.unwrap();
    fill(db, 1).await;
    fill(db, 2).await;
    let choice = MergeChoice {
        keep_id: 1,
        keep_version: detail(db, 1).await.unwrap().version,
        duplicate_id: 2,
        duplicate_version: detail(db, 2).await.unwrap().version,
        take_from_duplicate: vec!["city".into()],
    };
    let started = Instant::now();
    clientdesk::customers::areas::merge::service::merge(
        &clientdesk::write::Ctx::quiet(db),
        1,
        &choice,
        today(),
        &clientdesk::records::progress::Progress::none(),
    )
    .await
    .unwrap();
    let took = started.elapsed().as_secs_f64() * 1000.0;
    println!("BENCH merge_10000_each_{name} {took:.1} ms");
}

async fn bench_erase(name: &str, db: &Db) {
    seed_customers(db, 1, 8).await.unwrap();
    let max =
        db.query_one_raw(stmt(db, "SELECT MAX(id) AS id FROM customers", vec![])).await.unwrap().unwrap();
    let id: i32 = max.try_get("", "id").unwrap();
    fill(db, id).await;
    let sql = "UPDATE mail_outbox SET kind = 'invoices', sent_at = created_at WHERE customer_id = $1 AND id % 2 = 0";
    db.execute_raw(stmt(db, sql, vec![id.into()])).await.unwrap();
    if name == "sqlite" {
        // The Art. 15 report of the same customer, typeset (the database does not matter here).
        let started = Instant::now();
        let report = clientdesk::customers::report::report(db, id).await.unwrap();
        let texts = clientdesk::records::report_texts::texts(db, clientdesk::i18n::Locale::De).await.unwrap();
        let pdf =
            clientdesk::documents::report_pdf::render(clientdesk::i18n::Locale::De, &report, &texts).unwrap();
        let took = started.elapsed().as_secs_f64() * 1000.0;
        println!("BENCH report_pdf_10000_{name} {took:.0} ms");
        println!("BENCH report_pdf_10000_size {} KiB", pdf.len() / 1024);
    }
    let request = clientdesk::records::model::ErasureRequest {
        customer_id: id,
        version: detail(db, id).await.unwrap().version,
        request_ref: "Bench".into(),
        hard_delete: false,
    };
    let started = Instant::now();
    let done = clientdesk::customers::areas::erase::service::erase(
        &clientdesk::write::Ctx::quiet(db),
        1,
        &request,
        &clientdesk::records::progress::Progress::none(),
    )
    .await
    .unwrap();
    let took = started.elapsed().as_secs_f64() * 1000.0;
    let rows: u64 = done.items.iter().map(|i| i.rows).sum();
    assert!(rows >= 10_000, "{rows} rows");
    println!("BENCH erase_10000_{name} {took:.1} ms");
}

pub async fn merge_only() {
    let dir = std::env::temp_dir().join("clientdesk-bench-merge");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = db::connect(&format!("sqlite://{}/merge.db?mode=rwc", dir.display())).await.unwrap();
    db::migrate(&sqlite).await.unwrap();
    bench_merge("sqlite", &sqlite).await;
    bench_erase("sqlite", &sqlite).await;
    sqlite.close().await.ok();

    let admin_url = std::env::var("CLIENTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = "clientdesk_bench_merge";
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL");
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let pg = db::connect(&format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)).await.unwrap();
    db::migrate(&pg).await.unwrap();
    bench_merge("postgres", &pg).await;
    bench_erase("postgres", &pg).await;
    pg.close().await.ok();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
    let _ = std::fs::remove_dir_all(&dir);
}
