//! The top search for a licence key among 1,000,000 licences (issue 12): the licences are spread
//! over the bench's customers, then 200 keys are looked up as people type them (grouped with
//! dashes, bare, lower case).
use clientdesk::catalogue::model::ProductInput;
use clientdesk::customers::model::ListQuery;
use clientdesk::customers::service;
use clientdesk::db::Db;
use clientdesk::licensing::key;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::time::Instant;

const LICENCES: usize = 1_000_000;
const BATCH: usize = 1_000;

/// Seed the licences once (kept with BENCH_KEEP); returns a sample of their keys.
async fn seed(name: &str, db: &Db, customers: usize) -> Vec<String> {
    use clientdesk::db::entities::licence;
    let present = licence::Entity::find().count(db).await.unwrap() as usize;
    if present < LICENCES {
        let started = Instant::now();
        let product = ProductInput { slug: "benchx".into(), name: "BenchX".into(), ..Default::default() };
        let product = clientdesk::catalogue::service::save(db, &product).await.unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        for _ in 0..(LICENCES - present) / BATCH {
            let rows: Vec<String> = (0..BATCH)
                .map(|_| {
                    let customer = rng.gen_range(1..=customers);
                    format!(
                        "({customer}, {product}, '{}', '1.0', '1.0', '2026-01-01', 'active', '', 'yearly', TRUE, 1, \
                         '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
                        key::generate()
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO licences (customer_id, product_id, key_norm, version_bought, current_version, \
                 contract_date, status, lock_reason, billing_cycle, update_service, version, created_at, updated_at) \
                 VALUES {}",
                rows.join(", ")
            );
            db.execute_unprepared(&sql).await.unwrap();
        }
        println!("BENCH seed_licences_{name}_{LICENCES} {:.1} s", started.elapsed().as_secs_f64());
        db.execute_unprepared(if name == "postgres" { "VACUUM ANALYZE licences" } else { "ANALYZE" })
            .await
            .unwrap();
    }
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT key_norm FROM licences ORDER BY id DESC LIMIT 5000",
        ))
        .await
        .unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "key_norm").unwrap()).collect()
}

pub async fn bench_licences(name: &str, db: &Db, customers: usize) {
    let keys = seed(name, db, customers).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let mut samples = Vec::new();
    for i in 0..200 {
        let k = &keys[rng.gen_range(0..keys.len())];
        let q = match i % 3 {
            0 => key::display(k),
            1 => k.clone(),
            _ => key::display(k).to_lowercase(),
        };
        let t = Instant::now();
        let page = service::search(db, &ListQuery { q, ..Default::default() }).await.unwrap();
        samples.push(t.elapsed());
        assert_eq!(page.total, 1, "a key names one customer");
    }
    println!("BENCH top_search_licence_{name}_p50 {:.2} ms", super::percentile(&mut samples, 0.50));
    println!("BENCH top_search_licence_{name}_p95 {:.2} ms", super::percentile(&mut samples, 0.95));
}
