//! The top search finding a customer by a domain among 3,000,000 domains (issue 13): domains
//! spread over the bench's customers (three words in eight with an umlaut), then 200 searches as people
//! type them: the whole name in Unicode, the whole A-label, a part of the name, a part with the
//! umlaut spelled out. Seeding loads the rows first and builds the trigram index after (faster to
//! seed; the searches then run on the same index the migration makes).
use clientdesk::customers::model::ListQuery;
use clientdesk::customers::search_text::build;
use clientdesk::customers::service;
use clientdesk::db::Db;
use clientdesk::domains::name::DomainName;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::time::Instant;

const DOMAINS: usize = 3_000_000;
const BATCH: usize = 2_000;
const WORDS: [&str; 8] = ["shop", "hosting", "bäckerei", "praxis", "müller", "kanzlei", "studio", "grün"];

/// The name of domain `n`: unique, three in eight with an umlaut.
fn name(n: usize) -> String {
    let word = WORDS[n % WORDS.len()];
    format!("{word}-{n}.de")
}

fn quote(s: &str) -> String {
    s.replace('\'', "''")
}

async fn seed(bench: &str, db: &Db, customers: usize) {
    use clientdesk::db::entities::domain;
    let present = domain::Entity::find().count(db).await.unwrap() as usize;
    if present >= DOMAINS {
        return;
    }
    let started = Instant::now();
    let tld =
        clientdesk::catalogue::tld_model::TldInput { tld: "de".into(), active: true, ..Default::default() };
    let tld = match clientdesk::catalogue::tlds::save(db, &tld).await {
        Ok(id) => id,
        Err(_) => clientdesk::db::entities::tld::Entity::find().one(db).await.unwrap().unwrap().id,
    };
    let sqlite = bench == "sqlite";
    let (drop, rebuild) = if sqlite {
        (
            vec!["DROP TRIGGER IF EXISTS domains_fts_ai"],
            vec![
                "INSERT INTO domains_fts(domains_fts) VALUES ('rebuild')",
                "CREATE TRIGGER domains_fts_ai AFTER INSERT ON domains BEGIN \
                 INSERT INTO domains_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
            ],
        )
    } else {
        (
            vec!["DROP INDEX IF EXISTS domains_search_trgm"],
            vec!["CREATE INDEX domains_search_trgm ON domains USING gin (search_name gin_trgm_ops)"],
        )
    };
    for sql in drop {
        db.execute_unprepared(sql).await.unwrap();
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
    for start in (present..DOMAINS).step_by(BATCH) {
        let rows: Vec<String> = (start..(start + BATCH).min(DOMAINS))
            .map(|n| {
                let parsed = DomainName::parse(&name(n)).unwrap();
                let customer = rng.gen_range(1..=customers);
                format!(
                    "({customer}, '{}', '{}', {tld}, 'active', 'register', '', '', TRUE, TRUE, '[]', '', '', '', '', \
                     '', '', 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', '{}')",
                    quote(&parsed.ace),
                    quote(&parsed.unicode),
                    quote(&build(&[&parsed.unicode, &parsed.ace])),
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO domains (customer_id, ace_name, unicode_name, tld_id, status, order_kind, registry_status, \
             error_text, auto_renew, transfer_lock, nameservers, owner_handle, admin_handle, tech_handle, \
             zone_handle, authcode, transfer_authcode, version, created_at, updated_at, search_name) VALUES {}",
            rows.join(", ")
        );
        db.execute_unprepared(&sql).await.unwrap();
    }
    for sql in rebuild {
        db.execute_unprepared(sql).await.unwrap();
    }
    db.execute_unprepared(if sqlite { "ANALYZE" } else { "VACUUM ANALYZE domains" }).await.unwrap();
    println!("BENCH seed_domains_{bench}_{DOMAINS} {:.1} s", started.elapsed().as_secs_f64());
}

pub async fn bench_domains(bench: &str, db: &Db, customers: usize) {
    seed(bench, db, customers).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(37);
    let mut samples = Vec::new();
    let mut by_kind: [Vec<std::time::Duration>; 4] = Default::default();
    for i in 0..200 {
        let n = rng.gen_range(0..DOMAINS);
        let parsed = DomainName::parse(&name(n)).unwrap();
        let q = match i % 4 {
            0 => parsed.unicode.clone(),
            1 => parsed.ace.clone(),
            // Part of the name: the word's end and the number ("ckerei-123456").
            2 => parsed.unicode.chars().skip(3).collect::<String>().trim_end_matches(".de").to_string(),
            _ => clientdesk::customers::search_text::fold(&parsed.unicode).replace(".de", ""),
        };
        let t = Instant::now();
        let page = service::search(db, &ListQuery { q: q.clone(), ..Default::default() }).await.unwrap();
        let elapsed = t.elapsed();
        samples.push(elapsed);
        by_kind[i % 4].push(elapsed);
        assert!(page.total >= 1, "{q} finds its customer");
    }
    println!("BENCH top_search_domain_{bench}_p50 {:.2} ms", super::percentile(&mut samples, 0.50));
    println!("BENCH top_search_domain_{bench}_p95 {:.2} ms", super::percentile(&mut samples, 0.95));
    for (kind, mut s) in ["unicode", "a_label", "part", "part_folded"].into_iter().zip(by_kind) {
        println!("BENCH top_search_domain_{bench}_{kind}_p95 {:.2} ms", super::percentile(&mut s, 0.95));
    }
}
