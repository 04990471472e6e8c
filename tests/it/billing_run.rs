//! Recurring items and the billing run on SQLite and PostgreSQL: periods from the anchor
//! across month ends, every period billed once however often (and from how many instances)
//! the run runs, grouping on and off, planned items on the collective invoice, credit applied.
use crate::common::{self, TestDb, fields_of};
use crate::invoices::seller;
use chrono::NaiveDate;
use clientdesk::billing::account::figures;
use clientdesk::billing::items::{bill_now, save, set_status};
use clientdesk::billing::ledger::manual;
use clientdesk::billing::model::{ItemInput, Unit};
use clientdesk::billing::run::{Outcome, run, run_customer};
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::events::actor::Actor;
use sea_orm::{ConnectionTrait, Statement};

const STAFF: Actor = Actor::Staff(1);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn item(description: &str, price: &str, unit: Unit, first_due: &str) -> ItemInput {
    ItemInput {
        description: description.into(),
        quantity: "1".into(),
        unit_price: price.into(),
        tax_class: TaxClass::Standard,
        interval_unit: unit,
        interval_count: 1,
        first_due: first_due.into(),
        ..ItemInput::default()
    }
}

async fn sql(t: &TestDb, sql: &str) {
    t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string())).await.unwrap();
}

async fn rows(t: &TestDb, sql: &str) -> Vec<Vec<String>> {
    t.db.query_all_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string()))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (0..)
                .map_while(|i| {
                    r.try_get_by_index::<Option<String>>(i)
                        .map(|v| v.unwrap_or_default())
                        .or_else(|_| r.try_get_by_index::<i64>(i).map(|v| v.to_string()))
                        .or_else(|_| r.try_get_by_index::<NaiveDate>(i).map(|v| v.to_string()))
                        .ok()
                })
                .collect()
        })
        .collect()
}

async fn setup(t: &TestDb, customers: usize) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, customers, 17).await.unwrap();
    sql(t, "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, taxation = 'normal', \
            grouping_off = false")
        .await;
    seller().save(&t.db).await.unwrap();
}

async fn monthly_from_the_31st_bills_each_period_once_from_the_anchor(t: TestDb) {
    setup(&t, 1).await;
    let ctx = t.ctx();
    let hosting =
        save(&ctx, STAFF, 1, &item("Webhosting M", "9,99", Unit::Months, "2027-01-31")).await.unwrap();
    // Due on 31 Jan, 28 Feb, 31 Mar, 30 Apr: on 30 April four periods, one invoice per due day.
    let first = run(&ctx, d(2027, 4, 30)).await.unwrap();
    assert_eq!(first, Outcome { customers: 1, invoices: 4, periods: 4, planned: 0 }, "{}", t.backend);
    let periods = rows(&t, "SELECT period_start, period_end FROM billed_periods ORDER BY period_start").await;
    let expected = [
        ["2027-01-31", "2027-02-27"],
        ["2027-02-28", "2027-03-30"],
        ["2027-03-31", "2027-04-29"],
        ["2027-04-30", "2027-05-30"],
    ];
    assert_eq!(periods, expected.map(|p| p.map(String::from).to_vec()).to_vec(), "{}", t.backend);
    // The run again, the same day or the next: nothing more.
    assert_eq!(run(&ctx, d(2027, 4, 30)).await.unwrap(), Outcome::default());
    assert_eq!(run(&ctx, d(2027, 5, 1)).await.unwrap(), Outcome::default());
    // 31 May is the next due day (not the 30th of the shortened April date).
    assert_eq!(run(&ctx, d(2027, 5, 31)).await.unwrap().periods, 1);
    let lines =
        rows(&t, "SELECT service_from, service_to, net_cents FROM invoice_lines ORDER BY id DESC LIMIT 1")
            .await;
    assert_eq!(lines, [vec!["2027-05-31".to_string(), "2027-06-29".into(), "999".into()]]);
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.open_count, f.open_cents), (5, 5 * 1_189), "9,99 € + 19 % = 11,89 € each");

    // Paused items are not billed; "bill now" bills the next period at once, whatever the day.
    set_status(&ctx, 1, hosting, "paused").await.unwrap();
    assert_eq!(run(&ctx, d(2027, 7, 1)).await.unwrap(), Outcome::default());
    let number = bill_now(&ctx, STAFF, 1, hosting).await.unwrap();
    assert!(number.starts_with("RE-"), "{number}");
    let last = rows(&t, "SELECT period_start FROM billed_periods ORDER BY id DESC LIMIT 1").await;
    assert_eq!(last, [vec!["2027-06-30".to_string()]]);
    set_status(&ctx, 1, hosting, "ended").await.unwrap();
    assert_eq!(fields_of(set_status(&ctx, 1, hosting, "active").await)[0].1, "items.status_invalid");
    assert_eq!(fields_of(bill_now(&ctx, STAFF, 1, hosting).await)[0].1, "items.not_billable");
    // A bad item changes nothing.
    let bad =
        ItemInput { interval_count: 0, first_due: "31.01.2027".into(), ..item("", "x", Unit::Months, "") };
    let keys: Vec<String> = fields_of(save(&ctx, STAFF, 1, &bad).await).into_iter().map(|f| f.1).collect();
    assert_eq!(keys, ["items.description", "invoices.line_price", "items.interval_count", "items.first_due"]);
    t.finish().await;
}
db_test!(monthly_from_the_31st_bills_each_period_once_from_the_anchor);

async fn grouping_planned_items_and_credit(t: TestDb) {
    setup(&t, 2).await;
    let ctx = t.ctx();
    for customer in [1, 2] {
        save(&ctx, STAFF, customer, &item("Webhosting", "10", Unit::Months, "2027-03-01")).await.unwrap();
        save(&ctx, STAFF, customer, &item("Domain", "1", Unit::Years, "2027-03-01")).await.unwrap();
    }
    // Customer 2 turned grouping off; customer 1 has 50 € credit and a planned item.
    sql(&t, "UPDATE customers SET grouping_off = true WHERE id = 2").await;
    manual(&ctx, STAFF, 1, 5_000, false, "Vorauszahlung", "2027-02-01").await.unwrap();
    sql(&t, "INSERT INTO planned_items (customer_id, description, quantity_milli, unit_price_e4, currency, tax_class, \
             service_date, version, created_at, created_by_kind) VALUES (1, 'Einrichtung', 1000, 200000, 'EUR', \
             'standard', '2027-02-20', 1, CURRENT_TIMESTAMP, 'staff')")
        .await;
    let one = run_customer(&ctx, 1, d(2027, 3, 1)).await.unwrap();
    assert_eq!(one, Outcome { customers: 1, invoices: 1, periods: 2, planned: 1 }, "{}", t.backend);
    let two = run_customer(&ctx, 2, d(2027, 3, 1)).await.unwrap();
    assert_eq!(two.invoices, 2, "{}: grouping off, one invoice per item", t.backend);
    // Customer 1: (10 + 1 + 20) € net + 19 % = 36,89 €, 50 € credit pays it.
    let invoice = rows(&t, "SELECT gross_cents, state, paid_cents FROM invoices WHERE customer_id = 1").await;
    assert_eq!(invoice, [vec!["3689".to_string(), "paid".into(), "3689".into()]]);
    assert_eq!(figures(&t.db, 1).await.unwrap().credit(), 5_000 - 3_689);
    let planned = rows(&t, "SELECT COUNT(*) FROM planned_items WHERE invoice_id IS NOT NULL").await;
    assert_eq!(planned, [vec!["1".to_string()]]);
    t.finish().await;
}
db_test!(grouping_planned_items_and_credit);

/// Two instances (two pools) run the billing at the same time: every period once.
async fn two_runs_at_once_bill_every_period_once(t: TestDb) {
    setup(&t, 6).await;
    let ctx = t.ctx();
    for customer in 1..=6 {
        save(&ctx, STAFF, customer, &item("Server", "20", Unit::Weeks, "2027-01-04")).await.unwrap();
    }
    let other_db = clientdesk::db::connect(&t.url()).await.unwrap();
    let other = common::ctx(&other_db);
    let day = d(2027, 2, 1); // five weekly periods each
    let (a, b) = tokio::join!(run(&ctx, day), run(&other, day));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.periods + b.periods, 30, "{}: {a:?} {b:?}", t.backend);
    let counts = rows(&t, "SELECT COUNT(*), COUNT(DISTINCT number) FROM invoices").await;
    assert_eq!(counts, [vec!["30".to_string(), "30".into()]]);
    assert_eq!(rows(&t, "SELECT COUNT(*) FROM billed_periods").await, [vec!["30".to_string()]]);
    other_db.close().await.ok();
    t.finish().await;
}
db_test!(two_runs_at_once_bill_every_period_once);

/// The run bills a batch of customers per transaction; a batch that fails on one customer (here
/// a period recorded as billed already: the unique index refuses it) is billed again customer
/// by customer, so only that customer waits. Over two batches the numbers have no gap.
async fn a_failing_customer_does_not_hold_up_its_batch(t: TestDb) {
    let customers = clientdesk::billing::run::BATCH + 5;
    setup(&t, customers).await;
    let ctx = t.ctx();
    sql(&t, "INSERT INTO billing_items (customer_id, description, quantity_milli, unit_price_e4, currency, tax_class, \
             interval_unit, interval_count, anchor_date, periods_billed, next_due, status, version, created_at, \
             updated_at, created_by_kind) SELECT id, 'Webhosting', 1000, 100000, 'EUR', 'standard', 'months', 1, \
             '2027-03-01', 0, '2027-03-01', 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'staff' FROM customers")
        .await;
    let broken = 150;
    let draft = clientdesk::billing::drafts::save_draft(
        &ctx,
        STAFF,
        broken,
        &clientdesk::billing::model::DraftInput {
            lines: vec![crate::invoices::line("Beratung", "1", "10", TaxClass::Standard)],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    sql(&t, &format!("INSERT INTO billed_periods (item_id, customer_id, period_start, period_end, invoice_id) \
                      SELECT id, customer_id, '2027-03-01', '2027-03-31', {draft} FROM billing_items WHERE customer_id = {broken}"))
        .await;
    let done = run(&ctx, d(2027, 3, 1)).await.unwrap();
    assert_eq!((done.invoices, done.periods), (customers as u64 - 1, customers as u64 - 1), "{}", t.backend);
    let waiting = rows(
        &t,
        &format!("SELECT CAST(periods_billed AS BIGINT) FROM billing_items WHERE customer_id = {broken}"),
    )
    .await;
    assert_eq!(waiting, [vec!["0".to_string()]], "{}: the broken customer's item did not move", t.backend);
    let numbers = rows(
        &t,
        "SELECT COUNT(*), COUNT(DISTINCT number), MAX(counter) - MIN(counter) + 1 FROM invoices \
                            WHERE number IS NOT NULL",
    )
    .await;
    let n = (customers - 1).to_string();
    assert_eq!(numbers, [vec![n.clone(), n.clone(), n]], "{}", t.backend);
    // Each invoice has its line and its charge, each charge its running balance.
    let charges = rows(
        &t,
        "SELECT COUNT(*), SUM(CASE WHEN balance_after = amount_cents THEN 1 ELSE 0 END) \
                            FROM ledger_entries WHERE kind = 'invoice'",
    )
    .await;
    let n = (customers - 1).to_string();
    assert_eq!(charges, [vec![n.clone(), n]], "{}", t.backend);
    t.finish().await;
}
db_test!(a_failing_customer_does_not_hold_up_its_batch);

async fn planned_items_wait_for_the_collective_day(t: TestDb) {
    use clientdesk::billing::model::PlannedInput;
    use clientdesk::billing::planned::{add, bill_now as bill_planned, bill_on, remove, set_collective_day};
    // A day the month lacks is its last day; the day itself counts.
    assert_eq!(bill_on(d(2027, 4, 10), Some(31)), Some(d(2027, 4, 30)));
    assert_eq!(bill_on(d(2027, 2, 1), Some(31)), Some(d(2027, 2, 28)));
    assert_eq!(bill_on(d(2027, 4, 16), Some(15)), Some(d(2027, 5, 15)));
    assert_eq!(bill_on(d(2027, 4, 16), None), None);
    setup(&t, 1).await;
    let ctx = t.ctx();
    let input = PlannedInput {
        description: "Einrichtung".into(),
        quantity: "2".into(),
        unit_price: "25".into(),
        tax_class: TaxClass::Standard,
        service_date: String::new(),
    };
    set_collective_day(&ctx, 1, Some(31)).await.unwrap();
    let a = add(&ctx, STAFF, 1, &input).await.unwrap();
    let b = add(&ctx, STAFF, 1, &input).await.unwrap();
    remove(&ctx, 1, b).await.unwrap();
    assert_eq!(fields_of(set_collective_day(&ctx, 1, Some(32)).await)[0].1, "planned.day_invalid");
    let bad = PlannedInput { quantity: "0".into(), ..input.clone() };
    assert_eq!(fields_of(add(&ctx, STAFF, 1, &bad).await)[0].1, "invoices.line_quantity");
    // It waits for the month's last day; the run before it bills nothing.
    let waiting = rows(&t, &format!("SELECT bill_on FROM planned_items WHERE id = {a}")).await;
    let today = clientdesk::customers::service::business_day();
    let expected = bill_on(today, Some(31)).unwrap();
    assert_eq!(waiting, [vec![expected.to_string()]]);
    if expected > today {
        assert_eq!(run_customer(&ctx, 1, today).await.unwrap().invoices, 0);
    }
    // "Bill now": one invoice of 2 × 25 € + 19 % = 59,50 €; the item is billed and stays so.
    assert_eq!(bill_planned(&ctx, 1).await.unwrap(), 1);
    assert_eq!(rows(&t, "SELECT gross_cents FROM invoices").await, [vec!["5950".to_string()]]);
    assert_eq!(fields_of(remove(&ctx, 1, a).await)[0].1, "planned.already_billed");
    t.finish().await;
}
db_test!(planned_items_wait_for_the_collective_day);

async fn a_draft_made_from_items_holds_their_period_until_it_is_finalised(t: TestDb) {
    use clientdesk::billing::drafts::{draft_input, save_draft};
    use clientdesk::billing::invoices::finalise;
    use clientdesk::billing::items::add_to_draft;
    setup(&t, 1).await;
    let ctx = t.ctx();
    let a = save(&ctx, STAFF, 1, &item("Webhosting M", "9,99", Unit::Months, "2027-01-31")).await.unwrap();
    let b = save(&ctx, STAFF, 1, &item("Backup", "2", Unit::Months, "2027-01-15")).await.unwrap();
    // Both items land on one draft, each with its next period; the same period twice is refused.
    let draft = add_to_draft(&ctx, STAFF, 1, a).await.unwrap();
    assert_eq!(add_to_draft(&ctx, STAFF, 1, b).await.unwrap(), draft);
    assert_eq!(fields_of(add_to_draft(&ctx, STAFF, 1, a).await), [("item".into(), "items.on_draft".into())]);
    let mut input = draft_input(&t.db, 1, draft).await.unwrap();
    let held: Vec<_> = input
        .lines
        .iter()
        .map(|l| (l.item, l.service_from.as_str(), l.service_to.as_str(), l.unit_price.as_str()))
        .collect();
    assert_eq!(
        held,
        [(Some(a), "2027-01-31", "2027-02-27", "9,99"), (Some(b), "2027-01-15", "2027-02-14", "2,00")],
        "{}",
        t.backend
    );

    // The run passes items on a draft by: staff bill that period themselves.
    assert_eq!(run(&ctx, d(2027, 1, 31)).await.unwrap().invoices, 0);

    // Staff edit the draft: a discount on the hosting line, a hand line added; moving a linked
    // line's period is refused.
    input.lines[0].unit_price = "8,99".into();
    input.lines.push(crate::invoices::line("Einrichtung", "1", "25", TaxClass::Standard));
    let mut moved = input.clone();
    moved.lines[1].service_from = "2027-02-15".into();
    moved.lines[1].service_to = "2027-03-14".into();
    assert_eq!(
        fields_of(save_draft(&ctx, STAFF, 1, &moved).await),
        [("lines.1.service_from".into(), "invoices.item_period".into())]
    );
    save_draft(&ctx, STAFF, 1, &input).await.unwrap();
    let stale = save_draft(&ctx, STAFF, 1, &input).await;
    assert!(matches!(stale, Err(clientdesk::error::AppError::Conflict { .. })), "an old version: {stale:?}");

    // Finalising bills the periods once and moves both items on; the run then starts with the
    // next period.
    finalise(&ctx, STAFF, 1, draft).await.unwrap();
    let billed =
        rows(&t, "SELECT CAST(item_id AS BIGINT), period_start FROM billed_periods ORDER BY item_id").await;
    assert_eq!(
        billed,
        [vec![a.to_string(), "2027-01-31".to_string()], vec![b.to_string(), "2027-01-15".to_string()]]
    );
    let gross = rows(&t, &format!("SELECT gross_cents FROM invoices WHERE id = {draft}")).await;
    assert_eq!(
        gross,
        [vec![((899 + 200 + 2_500) as f64 * 1.19).round().to_string()]],
        "8,99 + 2,00 + 25,00 plus 19 %"
    );
    let second = run(&ctx, d(2027, 2, 28)).await.unwrap();
    assert_eq!((second.invoices, second.periods), (2, 2), "Backup from 15 Feb, hosting from 28 Feb");
    assert_eq!(rows(&t, "SELECT COUNT(*) FROM billed_periods").await, [vec!["4".to_string()]]);
}
db_test!(a_draft_made_from_items_holds_their_period_until_it_is_finalised);

/// The billing run of a real server process killed with SIGKILL in the middle (three batches of
/// customers: killed after the first committed): every customer is billed wholly (all its
/// periods, invoices, numbers and charges) or not at all; the next run bills the rest, every
/// period once, the numbers without a gap.
async fn a_run_killed_midway_bills_each_customer_wholly_or_not_at_all(t: TestDb) {
    const CUSTOMERS: i64 = 3 * clientdesk::billing::run::BATCH as i64;
    setup(&t, CUSTOMERS as usize).await;
    let today = clientdesk::customers::service::business_day();
    // Three monthly items per customer, anchored eleven months back: twelve due days each.
    let anchor = today.checked_sub_months(chrono::Months::new(11)).unwrap();
    let now = chrono::Utc::now().to_rfc3339();
    let items: Vec<String> = (0..CUSTOMERS * 3)
        .map(|n| {
            format!(
                "({}, 'Posten {n}', 1000, 49900, 'EUR', 'standard', 'months', 1, '{anchor}', 0, '{anchor}', 'active', \
                 1, '{now}', '{now}', 'system', NULL)",
                1 + n % CUSTOMERS
            )
        })
        .collect();
    sql(
        &t,
        &format!(
            "INSERT INTO billing_items (customer_id, description, quantity_milli, unit_price_e4, currency, tax_class, \
             interval_unit, interval_count, anchor_date, periods_billed, next_due, status, version, created_at, \
             updated_at, created_by_kind, created_by_id) VALUES {}",
            items.join(", ")
        ),
    )
    .await;

    let data = std::env::temp_dir().join(format!("clientdesk-kill-{}-{}", t.backend, std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_clientdesk"))
        .arg("serve")
        .env("DATABASE_URL", t.url())
        .env("CLIENTDESK_LISTEN", "127.0.0.1:0")
        .env("CLIENTDESK_DATA_DIR", &data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server binary");
    let count = |q: &'static str| {
        let t = &t;
        async move { rows(t, q).await[0][0].parse::<i64>().unwrap() }
    };
    let started = std::time::Instant::now();
    while count("SELECT COUNT(*) FROM billed_periods").await == 0 {
        assert!(started.elapsed().as_secs() < 120, "the server's run billed nothing");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);

    let per_customer = rows(
        &t,
        "SELECT CAST(c.id AS BIGINT), \
         (SELECT COUNT(*) FROM billed_periods b WHERE b.customer_id = c.id), \
         (SELECT COUNT(*) FROM invoices i WHERE i.customer_id = c.id), \
         (SELECT COUNT(*) FROM ledger_entries e WHERE e.customer_id = c.id AND e.kind = 'invoice') \
         FROM customers c ORDER BY c.id",
    )
    .await;
    let billed = per_customer.iter().filter(|r| r[1] != "0").count() as i64;
    for r in &per_customer {
        assert!(
            (r[1] == "0" && r[2] == "0" && r[3] == "0") || (r[1] == "36" && r[2] == "12" && r[3] == "12"),
            "{}: customer {} half billed: {r:?}",
            t.backend,
            r[0]
        );
    }
    assert!(
        billed > 0 && billed < CUSTOMERS,
        "{}: killed in the middle ({billed} of {CUSTOMERS})",
        t.backend
    );

    let rest = run(&t.ctx(), today).await.unwrap();
    assert_eq!(rest.customers, (CUSTOMERS - billed) as u64, "{}", t.backend);
    assert_eq!(count("SELECT COUNT(*) FROM billed_periods").await, CUSTOMERS * 36);
    assert_eq!(count("SELECT COUNT(*) FROM invoices WHERE number IS NULL").await, 0, "no draft left behind");
    let numbers = rows(&t, "SELECT COUNT(*), MIN(counter), MAX(counter) FROM invoices").await;
    assert_eq!(numbers[0][0], (CUSTOMERS * 12).to_string());
    let (min, max): (i64, i64) = (numbers[0][1].parse().unwrap(), numbers[0][2].parse().unwrap());
    assert_eq!(
        max - min + 1,
        CUSTOMERS * 12,
        "{}: consecutive numbers, no gap from the killed run",
        t.backend
    );
    assert_eq!(run(&t.ctx(), today).await.unwrap().invoices, 0);
}
db_test!(a_run_killed_midway_bills_each_customer_wholly_or_not_at_all);
