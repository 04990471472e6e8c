//! BENCH_ONLY=dunning (issue 15), on fresh SQLite and PostgreSQL databases: the dunning run over
//! 100,000 overdue invoices of 40,000 customers (half of them businesses): first every invoice
//! gets its free reminder, then the same run again (nothing is due twice), then fourteen days
//! later every invoice gets its first notice with a fee document (fee or flat, interest) of its
//! own, numbered and charged to the ledger.
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::Db;
use sea_orm::ConnectionTrait;
use std::time::Instant;

const CUSTOMERS: usize = 40_000;
const INVOICES: usize = 100_000;

async fn insert(db: &Db, head: &str, count: usize, batch: usize, row: impl Fn(usize) -> String) {
    for start in (0..count).step_by(batch) {
        let values: Vec<String> = (start..(start + batch).min(count)).map(&row).collect();
        db.execute_unprepared(&format!("{head} VALUES {}", values.join(", "))).await.unwrap();
    }
}

async fn bench(name: &str, db: &Db) {
    let today = clientdesk::clock::business_day();
    let issued = today - chrono::Days::new(44);
    let due = today - chrono::Days::new(30);
    let now = chrono::Utc::now().to_rfc3339();
    let started = Instant::now();
    seed_customers(db, CUSTOMERS, 5).await.unwrap();
    db.execute_unprepared("UPDATE customers SET dunning_off = FALSE, kind = 'person', company = ''")
        .await
        .unwrap();
    db.execute_unprepared("UPDATE customers SET kind = 'company', company = 'Bench GmbH' WHERE id % 2 = 0")
        .await
        .unwrap();
    super::billing_bench::seller().save(db).await.unwrap();
    // Final open invoices of 119 €, 30 days past due (written as the issue would leave them).
    insert(
        db,
        "INSERT INTO invoices (customer_id, kind, state, series_id, number, counter, issue_date, due_date, currency, \
         tax_mode, buyer, seller, net_cents, tax_cents, gross_cents, paid_cents, note, mail_state, source, \
         created_by_kind, finalised_at, finalised_by_kind, version, created_at, updated_at)",
        INVOICES,
        1_000,
        |n| {
            format!(
                "({}, 'invoice', 'open', 1, 'RE-B-{n}', {n}, '{issued}', '{due}', 'EUR', 'domestic', '{{}}', '{{}}', \
                 10000, 1900, 11900, 0, '', 'none', 'run', 'system', '{now}', 'system', 1, '{now}', '{now}')",
                1 + n % CUSTOMERS
            )
        },
    )
    .await;
    println!("BENCH dunning_seed_{name} {:.1} s", started.elapsed().as_secs_f64());

    let ctx = clientdesk::write::Ctx::quiet(db);
    let run = |day: chrono::NaiveDate| clientdesk::billing::dunning_run::run(&ctx, day);
    // A running database has its statistics kept by autovacuum between two rounds; after a bulk
    // load of this size PostgreSQL would plan blind (tens of seconds more per run).
    let analyze = || db.execute_unprepared("ANALYZE");
    analyze().await.unwrap();
    let started = Instant::now();
    let reminders = run(today).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    assert_eq!(
        (reminders.notices, reminders.fee_documents),
        (INVOICES as u64, 0),
        "every invoice reminded once"
    );
    println!("BENCH dunning_run_{name}_reminders_{INVOICES}_invoices {took:.1} s");
    analyze().await.unwrap();
    let started = Instant::now();
    assert_eq!(run(today).await.unwrap().notices, 0, "nothing twice");
    println!("BENCH dunning_run_{name}_again {:.2} s", started.elapsed().as_secs_f64());
    analyze().await.unwrap();
    let started = Instant::now();
    let notices = run(today + chrono::Days::new(14)).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    assert_eq!((notices.notices, notices.fee_documents), (INVOICES as u64, INVOICES as u64));
    println!("BENCH dunning_run_{name}_first_notices_with_fee_documents_{INVOICES} {took:.1} s");
}

pub async fn dunning_only() {
    let (sqlite, pg) = crate::fresh_databases("clientdesk_bench_dunning").await;
    bench("sqlite", &sqlite).await;
    bench("postgres", &pg).await;
    crate::drop_fresh("clientdesk_bench_dunning", sqlite, pg).await;
}
