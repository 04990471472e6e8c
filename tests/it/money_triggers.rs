//! The database itself keeps money records unchangeable, on SQLite and PostgreSQL, whatever
//! code (or a person with an SQL prompt) tries: a final invoice changes only its status fields
//! and takes its PDF once, is never deleted, nor are its lines and tax groups touched; ledger
//! entries, allocations and billed periods are never updated or deleted; a reversal is not
//! reversed; a period of an item is billed once. A `history_grants` row (the retention job)
//! lifts the guard for its own transaction.
use crate::common::TestDb;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::history::{allow_rewrite, end_rewrite};
use sea_orm::{ConnectionTrait, DbErr, Statement, TransactionTrait};

async fn run(t: &TestDb, sql: &str) -> Result<u64, DbErr> {
    t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string()))
        .await
        .map(|r| r.rows_affected())
}

async fn refused(t: &TestDb, sql: &str, why: &str) {
    let err = run(t, sql).await.expect_err(&format!("{}: {sql} must be refused", t.backend)).to_string();
    assert!(err.contains(why), "{}: {sql}: {err}", t.backend);
}

async fn one(t: &TestDb, sql: &str) -> i64 {
    let row =
        t.db.query_one_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string()))
            .await
            .unwrap()
            .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

const INVOICE: &str = "INSERT INTO invoices (customer_id, kind, state, series_id, currency, tax_mode, buyer, \
    seller, net_cents, tax_cents, gross_cents, paid_cents, note, mail_state, source, created_by_kind, version, \
    created_at, updated_at) VALUES (1, 'invoice', 'draft', 1, 'EUR', 'domestic', '{}', '{}', 297, 56, 353, 0, '', \
    'none', 'manual', 'staff', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";

const LINE: &str = "INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price_e4, \
    net_cents, tax_class, category, rate_bp) VALUES";

async fn a_final_invoice_is_frozen_by_the_database(t: TestDb) {
    seed_customers(&t.db, 1, 3).await.unwrap();
    run(&t, INVOICE).await.unwrap();
    run(&t, &format!("{LINE} (1, 1, 'Webhosting S', 3000, 9900, 297, 'standard', 'S', 1900)")).await.unwrap();
    run(&t, "INSERT INTO invoice_tax_groups VALUES (1, 'S', 1900, 297, 56)").await.unwrap();
    // A draft is free to change and to lose lines.
    run(&t, "UPDATE invoice_lines SET description = 'Webhosting M' WHERE id = 1").await.unwrap();
    run(&t, "UPDATE invoices SET note = 'Danke', buyer = '{\"name\":\"Alt\"}' WHERE id = 1").await.unwrap();

    // Finalised: a number, an issue date, the snapshot.
    run(&t, "UPDATE invoices SET number = 'RE-2027-00001', counter = 1, issue_date = '2027-01-04', state = 'open', \
             finalised_at = CURRENT_TIMESTAMP, finalised_by_kind = 'staff', finalised_by_id = 1 WHERE id = 1")
        .await
        .unwrap();
    for sql in [
        "UPDATE invoices SET buyer = '{\"name\":\"Neu\"}' WHERE id = 1",
        "UPDATE invoices SET gross_cents = 354 WHERE id = 1",
        "UPDATE invoices SET number = 'RE-2027-00002' WHERE id = 1",
        "UPDATE invoices SET issue_date = '2027-01-05' WHERE id = 1",
        "UPDATE invoices SET note = 'anders' WHERE id = 1",
        "UPDATE invoices SET state = 'draft' WHERE id = 1",
    ] {
        refused(&t, sql, "final invoice").await;
    }
    refused(&t, "DELETE FROM invoices WHERE id = 1", "final invoice").await;
    refused(&t, "UPDATE invoices SET source = 'run', created_by_id = 9 WHERE id = 1", "final invoice").await;
    refused(&t, "UPDATE invoices SET pdf_key = 'invoices/1.pdf' WHERE id = 1", "final invoice").await;
    // A line of a draft cannot be moved into the final invoice either.
    run(&t, INVOICE).await.unwrap();
    run(&t, &format!("{LINE} (2, 1, 'Entwurf', 1000, 10000, 100, 'standard', 'S', 1900)")).await.unwrap();
    refused(&t, "UPDATE invoice_lines SET invoice_id = 1 WHERE invoice_id = 2", "the invoice is final").await;
    for sql in [
        "UPDATE invoice_lines SET net_cents = 1 WHERE id = 1",
        "DELETE FROM invoice_lines WHERE id = 1",
        &format!("{LINE} (1, 2, 'Nachtrag', 1000, 10000, 100, 'standard', 'S', 1900)"),
        "UPDATE invoice_tax_groups SET tax_cents = 57 WHERE invoice_id = 1",
        "DELETE FROM invoice_tax_groups WHERE invoice_id = 1",
    ] {
        refused(&t, sql, "the invoice is final").await;
    }

    // What GoBD lets change: payment status, mail status, the archived PDF once.
    run(&t, "UPDATE invoices SET state = 'paid', paid_cents = 353, mail_state = 'queued', version = 2 WHERE id = 1")
        .await
        .unwrap();
    run(&t, "UPDATE invoices SET pdf_sha256 = 'aa', pdf_key = 'invoices/1.pdf' WHERE id = 1").await.unwrap();
    refused(&t, "UPDATE invoices SET pdf_sha256 = 'bb' WHERE id = 1", "final invoice").await;
    refused(&t, "UPDATE invoices SET pdf_key = 'invoices/x.pdf' WHERE id = 1", "final invoice").await;
    assert_eq!(one(&t, "SELECT gross_cents FROM invoices WHERE id = 1").await, 353);
    assert_eq!(one(&t, "SELECT net_cents FROM invoice_lines WHERE id = 1").await, 297);

    // The retention job, after its 8 years, holds a grant: then the rows may go, dependants first.
    let txn = t.db.begin().await.unwrap();
    allow_rewrite(&txn, "retention").await.unwrap();
    for sql in [
        "DELETE FROM invoice_tax_groups WHERE invoice_id = 1",
        "DELETE FROM invoice_lines WHERE invoice_id = 1",
        "DELETE FROM invoices WHERE id = 1",
    ] {
        txn.execute_raw(Statement::from_string(txn.get_database_backend(), sql.to_string())).await.unwrap();
    }
    end_rewrite(&txn).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(one(&t, "SELECT COUNT(*) FROM invoices WHERE id = 1").await, 0);
    t.finish().await;
}
db_test!(a_final_invoice_is_frozen_by_the_database);

async fn the_ledger_and_billed_periods_are_append_only(t: TestDb) {
    seed_customers(&t.db, 1, 3).await.unwrap();
    let entry = |id: i32, amount: i64, reverses: &str| {
        format!(
            "INSERT INTO ledger_entries (id, customer_id, kind, amount_cents, currency, booked_on, description, \
             reference, method, fee_cents, special, reverses_id, balance_after, created_at, booked_by_kind) \
             VALUES ({id}, 1, 'payment', {amount}, 'EUR', '2027-01-04', 'Zahlung', 'ref-{id}', 'transfer', 0, \
             false, {reverses}, {amount}, CURRENT_TIMESTAMP, 'staff')"
        )
    };
    run(&t, &entry(1, 5_000, "NULL")).await.unwrap();
    refused(&t, "UPDATE ledger_entries SET amount_cents = 6000 WHERE id = 1", "append-only").await;
    refused(&t, "DELETE FROM ledger_entries WHERE id = 1", "append-only").await;
    // A reversal names the entry it reverses, once; a reversal of a reversal is refused.
    run(&t, &entry(2, -5_000, "1")).await.unwrap();
    assert!(run(&t, &entry(3, -5_000, "1")).await.is_err(), "{}: the entry is reversed already", t.backend);
    refused(&t, &entry(4, 5_000, "2"), "a reversal is not reversed").await;

    run(&t, INVOICE).await.unwrap();
    run(
        &t,
        "INSERT INTO allocations (customer_id, invoice_id, entry_id, amount_cents, created_at) \
             VALUES (1, 1, 1, 353, CURRENT_TIMESTAMP)",
    )
    .await
    .unwrap();
    refused(&t, "UPDATE allocations SET amount_cents = 1", "append-only").await;
    refused(&t, "DELETE FROM allocations", "append-only").await;

    run(&t, "INSERT INTO billing_items (customer_id, description, quantity_milli, unit_price_e4, currency, \
             tax_class, interval_unit, interval_count, anchor_date, periods_billed, next_due, status, version, \
             created_at, updated_at, created_by_kind) VALUES (1, 'Webhosting', 1000, 99000, 'EUR', 'standard', \
             'months', 1, '2027-01-31', 0, '2027-01-31', 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'staff')")
        .await
        .unwrap();
    let period = "INSERT INTO billed_periods (item_id, customer_id, period_start, period_end, invoice_id) \
                  VALUES (1, 1, '2027-01-31', '2027-02-27', 1)";
    run(&t, period).await.unwrap();
    assert!(run(&t, period).await.is_err(), "{}: a period is billed once", t.backend);
    refused(&t, "DELETE FROM billed_periods", "append-only").await;
    refused(&t, "UPDATE billed_periods SET period_end = '2027-02-28'", "append-only").await;
    assert_eq!(one(&t, "SELECT COUNT(*) FROM ledger_entries").await, 2);
    t.finish().await;
}
db_test!(the_ledger_and_billed_periods_are_append_only);

async fn the_numbering_series_and_rates_are_seeded(t: TestDb) {
    assert_eq!(one(&t, "SELECT COUNT(*) FROM invoice_series WHERE key = 'invoice'").await, 1);
    assert_eq!(
        one(&t, "SELECT CAST(standard_bp AS BIGINT) FROM vat_rates WHERE country = 'FR' ORDER BY valid_from DESC LIMIT 1").await,
        2_000
    );
    assert_eq!(one(&t, "SELECT CAST(reduced_bp AS BIGINT) FROM vat_rates WHERE country = 'DE'").await, 700);
    t.finish().await;
}
db_test!(the_numbering_series_and_rates_are_seeded);
