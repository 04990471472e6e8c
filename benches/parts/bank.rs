//! BENCH_ONLY=bank (issue 15), on fresh SQLite and PostgreSQL databases: importing a CAMT.053
//! statement of 10,000 credits against 100,000 open invoices of 40,000 customers. 6,000 name an
//! invoice number, 2,000 a customer number, 1,000 pay the one invoice owing exactly their amount,
//! 1,000 are nobody's. Measured: the preview (read, match in bulk, store), booking it, and the
//! same file imported a second time (every entry known, nothing booked).
use clientdesk::billing::bank::{booking, import};
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::Db;
use clientdesk::events::actor::Actor;
use sea_orm::ConnectionTrait;
use std::fmt::Write;
use std::time::Instant;

const CUSTOMERS: usize = 40_000;
const INVOICES: usize = 100_000;
const ENTRIES: usize = 10_000;

async fn insert(db: &Db, head: &str, count: usize, batch: usize, row: impl Fn(usize) -> String) {
    for start in (0..count).step_by(batch) {
        let values: Vec<String> = (start..(start + batch).min(count)).map(&row).collect();
        db.execute_unprepared(&format!("{head} VALUES {}", values.join(", "))).await.unwrap();
    }
}

/// One booked credit of a camt.053.001.08 statement.
fn entry(out: &mut String, n: usize, cents: i64, text: &str) {
    let _ = write!(
        out,
        "<Ntry><NtryRef>B{n}</NtryRef><Amt Ccy=\"EUR\">{}.{:02}</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
         <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2027-01-15</Dt></BookgDt><ValDt><Dt>2027-01-15</Dt></ValDt>\
         <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
         <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\
         <RltdPties><Dbtr><Pty><Nm>Payer {n}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>\
         <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
        cents / 100,
        cents % 100
    );
}

fn statement() -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2027-01-16T06:00:00+01:00</CreDtTm></GrpHdr>\
         <Stmt><Id>BENCH-2027-001</Id><CreDtTm>2027-01-16T06:00:00+01:00</CreDtTm>\
         <Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>",
    );
    for n in 0..ENTRIES {
        match n {
            0..6_000 => entry(&mut out, n, 11_900, &format!("Rechnung RE-B-{} vielen Dank", n * 10)),
            6_000..8_000 => entry(&mut out, n, 5_000, &format!("Kundennummer K-{}", 10_001 + n)),
            8_000..9_000 => entry(&mut out, n, 11_900 + (n - 7_999) as i64, "Zahlung"),
            _ => entry(&mut out, n, 777, "Spende"),
        }
    }
    out.push_str("</Stmt></BkToCstmrStmt></Document>");
    out.into_bytes()
}

async fn bench(name: &str, db: &Db) {
    let today = clientdesk::clock::business_day();
    let issued = today - chrono::Days::new(20);
    let due = today - chrono::Days::new(6);
    let now = chrono::Utc::now().to_rfc3339();
    let started = Instant::now();
    seed_customers(db, CUSTOMERS, 5).await.unwrap();
    super::billing_bench::seller().save(db).await.unwrap();
    // Open invoices of 119 €; 1,000 of them owe an amount no other owes (119,01 € …).
    insert(
        db,
        "INSERT INTO invoices (customer_id, kind, state, series_id, number, counter, issue_date, due_date, currency, \
         tax_mode, buyer, seller, net_cents, tax_cents, gross_cents, paid_cents, note, mail_state, source, \
         created_by_kind, finalised_at, finalised_by_kind, version, created_at, updated_at)",
        INVOICES,
        1_000,
        |n| {
            let gross = if (90_000..91_000).contains(&n) { 11_900 + (n - 89_999) as i64 } else { 11_900 };
            format!(
                "({}, 'invoice', 'open', 1, 'RE-B-{n}', {n}, '{issued}', '{due}', 'EUR', 'domestic', '{{}}', '{{}}', \
                 {}, {}, {gross}, 0, '', 'none', 'run', 'system', '{now}', 'system', 1, '{now}', '{now}')",
                1 + n % CUSTOMERS,
                gross - 1_900,
                1_900
            )
        },
    )
    .await;
    // The invoices' charges, so the accounts owe what the invoices do.
    db.execute_unprepared(
        "INSERT INTO customer_accounts (customer_id, balance_cents, paid_in_cents, spent_cents, special_cents, \
         open_count, open_cents) SELECT customer_id, -SUM(gross_cents), 0, SUM(gross_cents), 0, COUNT(*), \
         SUM(gross_cents) FROM invoices GROUP BY customer_id",
    )
    .await
    .unwrap();
    db.execute_unprepared("ANALYZE").await.unwrap();
    println!("BENCH bank_seed_{name} {:.1} s", started.elapsed().as_secs_f64());

    let file = statement();
    let ctx = clientdesk::write::Ctx::quiet(db);
    let started = Instant::now();
    let p = import::preview(db, "bench", "bench.xml", &file).await.unwrap();
    let previewed = started.elapsed().as_secs_f64();
    assert_eq!(p.lines, ENTRIES);
    println!("BENCH bank_preview_{name}_{ENTRIES}_entries {previewed:.2} s");
    let started = Instant::now();
    let o = booking::book(&ctx, Actor::System, p.import_id).await.unwrap();
    let booked = started.elapsed().as_secs_f64();
    assert_eq!((o.booked, o.open), (9_000, 1_000), "{o:?}");
    println!("BENCH bank_book_{name}_{ENTRIES}_entries {booked:.2} s");
    println!("BENCH bank_import_{name}_total {:.2} s", previewed + booked);
    let started = Instant::now();
    let again = import::preview(db, "bench", "bench.xml", &file).await.unwrap();
    let o = booking::book(&ctx, Actor::System, again.import_id).await.unwrap();
    assert_eq!((o.booked, o.duplicates), (0, ENTRIES as u64), "{o:?}");
    println!("BENCH bank_import_{name}_again {:.2} s", started.elapsed().as_secs_f64());
}

pub async fn bank_only() {
    let (sqlite, pg) = crate::fresh_databases("clientdesk_bench_bank").await;
    bench("sqlite", &sqlite).await;
    bench("postgres", &pg).await;
    crate::drop_fresh("clientdesk_bench_bank", sqlite, pg).await;
}
