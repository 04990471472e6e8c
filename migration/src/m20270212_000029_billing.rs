//! Money I: recurring items and the periods they billed, planned items, number series (their
//! counters live in `counters`, one per series and year), invoices
//! with lines and tax groups, the credit account's ledger and allocations, the account figures,
//! dated VAT rates, and the customer's billing settings.
//!
//! Triggers keep what GoBD requires unchangeable on both databases: a final invoice (one with a
//! number) changes only its status fields and takes its archived PDF once; it, its lines and
//! its tax groups are never deleted; ledger entries, allocations and billed periods are never
//! updated or deleted; a reversal of a reversal is refused. As for the history tables, only a
//! transaction holding a `history_grants` row (the retention job after the 8 years, a merge)
//! may rewrite them.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of an invoice frozen once it has a number (everything but the status fields
/// `state`, `paid_cents`, `mail_state`, `version`, `updated_at`, the owner `customer_id`, and
/// the PDF columns, which are set once).
const FROZEN: &[&str] = &[
    "kind",
    "series_id",
    "number",
    "counter",
    "issue_date",
    "due_date",
    "service_from",
    "service_to",
    "currency",
    "tax_mode",
    "buyer",
    "seller",
    "net_cents",
    "tax_cents",
    "gross_cents",
    "corrects_id",
    "note",
    "finalised_at",
    "finalised_by_kind",
    "finalised_by_id",
    "source",
    "created_by_kind",
    "created_by_id",
    "created_at",
];

/// Append-only tables: no UPDATE, no DELETE.
const APPEND_ONLY: &[&str] = &["ledger_entries", "allocations", "billed_periods"];

/// Children of an invoice: frozen with it.
const INVOICE_PARTS: &[&str] = &["invoice_lines", "invoice_tax_groups"];

/// Dated standard and reduced rates (basis points) for OSS; the operator keeps the table.
const VAT_RATES: &[(&str, &str, i32, i32)] = &[
    ("AT", "2025-01-01", 2_000, 1_000),
    ("BE", "2025-01-01", 2_100, 600),
    ("BG", "2025-01-01", 2_000, 900),
    ("CY", "2025-01-01", 1_900, 500),
    ("CZ", "2025-01-01", 2_100, 1_200),
    ("DE", "2021-01-01", 1_900, 700),
    ("DK", "2025-01-01", 2_500, 2_500),
    ("EE", "2025-01-01", 2_200, 900),
    ("EE", "2025-07-01", 2_400, 900),
    ("ES", "2025-01-01", 2_100, 1_000),
    ("FI", "2025-01-01", 2_550, 1_400),
    ("FR", "2025-01-01", 2_000, 550),
    ("GR", "2025-01-01", 2_400, 1_300),
    ("HR", "2025-01-01", 2_500, 1_300),
    ("HU", "2025-01-01", 2_700, 500),
    ("IE", "2025-01-01", 2_300, 1_350),
    ("IT", "2025-01-01", 2_200, 1_000),
    ("LT", "2025-01-01", 2_100, 900),
    ("LU", "2025-01-01", 1_700, 800),
    ("LV", "2025-01-01", 2_100, 1_200),
    ("MT", "2025-01-01", 1_800, 700),
    ("NL", "2025-01-01", 2_100, 900),
    ("PL", "2025-01-01", 2_300, 800),
    ("PT", "2025-01-01", 2_300, 600),
    ("RO", "2025-01-01", 1_900, 900),
    ("RO", "2025-08-01", 2_100, 1_100),
    ("SE", "2025-01-01", 2_500, 1_200),
    ("SI", "2025-01-01", 2_200, 950),
    ("SK", "2025-01-01", 2_300, 1_900),
];

fn actor(table: TableCreateStatement, prefix: &str) -> TableCreateStatement {
    let mut t = table;
    t.col(string_len(format!("{prefix}_kind"), 20)).col(integer_null(format!("{prefix}_id")));
    t
}

fn fk(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, col).to(to, "id").take()
}

/// A reference that follows its target when the retention job deletes it (only the retention
/// job and a draft's deletion remove rows these point at).
fn fk_then(
    from: &'static str,
    col: &'static str,
    to: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, col).to(to, "id").on_delete(action).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("invoice_series")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("key", 40))
                    .col(string_len("pattern", 40))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("vat_rates")
                    .col(string_len("country", 2))
                    .col(date("valid_from"))
                    .col(integer("standard_bp"))
                    .col(integer("reduced_bp"))
                    .primary_key(Index::create().col("country").col("valid_from"))
                    .take(),
            )
            .await?;
        manager
            .create_table(actor(
                Table::create()
                    .table("billing_items")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(text("description"))
                    .col(big_integer("quantity_milli"))
                    .col(big_integer("unit_price_e4"))
                    .col(string_len("currency", 3))
                    // standard | reduced | exempt
                    .col(string_len("tax_class", 20))
                    // days | weeks | months | years
                    .col(string_len("interval_unit", 10))
                    .col(integer("interval_count"))
                    // Every due date is computed from this one and its day of month.
                    .col(date("anchor_date"))
                    .col(integer("periods_billed"))
                    .col(date("next_due"))
                    .col(date_null("ends_on"))
                    // active | paused | ended
                    .col(string_len("status", 10))
                    // product | hosting | domain | project, with its id
                    .col(string_len_null("link_kind", 20))
                    .col(integer_null("link_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("billing_items", "customer_id", "customers"))
                    .take(),
                "created_by",
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invoices")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // invoice | cancellation | correction
                    .col(string_len("kind", 20))
                    // draft | open | paid | cancelled
                    .col(string_len("state", 20))
                    .col(integer_null("series_id"))
                    .col(string_len_null("number", 60))
                    .col(big_integer_null("counter"))
                    .col(date_null("issue_date"))
                    .col(date_null("due_date"))
                    .col(date_null("service_from"))
                    .col(date_null("service_to"))
                    .col(string_len("currency", 3))
                    // domestic | reverse_charge | not_taxable | small_business | oss:XX
                    .col(string_len("tax_mode", 20))
                    // JSON snapshots taken when the invoice is finalised.
                    .col(text("buyer"))
                    .col(text("seller"))
                    .col(big_integer("net_cents"))
                    .col(big_integer("tax_cents"))
                    .col(big_integer("gross_cents"))
                    .col(big_integer("paid_cents"))
                    .col(integer_null("corrects_id"))
                    .col(text("note"))
                    .col(string_len_null("pdf_sha256", 64))
                    .col(string_len_null("pdf_key", 200))
                    // none | pending | queued
                    .col(string_len("mail_state", 10))
                    // manual | run
                    .col(string_len("source", 10))
                    .col(string_len("created_by_kind", 20))
                    .col(integer_null("created_by_id"))
                    .col(timestamp_with_time_zone_null("finalised_at"))
                    .col(string_len_null("finalised_by_kind", 20))
                    .col(integer_null("finalised_by_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("invoices", "customer_id", "customers"))
                    .foreign_key(&mut fk("invoices", "series_id", "invoice_series"))
                    .foreign_key(&mut fk_then(
                        "invoices",
                        "corrects_id",
                        "invoices",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invoice_lines")
                    .col(pk_auto("id"))
                    .col(integer("invoice_id"))
                    .col(integer("position"))
                    .col(text("description"))
                    .col(big_integer("quantity_milli"))
                    .col(big_integer("unit_price_e4"))
                    .col(big_integer("net_cents"))
                    .col(string_len("tax_class", 20))
                    // UNTDID 5305: S | E | AE | O
                    .col(string_len("category", 4))
                    .col(integer("rate_bp"))
                    .col(date_null("service_from"))
                    .col(date_null("service_to"))
                    .col(integer_null("billing_item_id"))
                    .col(integer_null("planned_item_id"))
                    .foreign_key(&mut fk_then(
                        "invoice_lines",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk_then(
                        "invoice_lines",
                        "billing_item_id",
                        "billing_items",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invoice_tax_groups")
                    .col(integer("invoice_id"))
                    .col(string_len("category", 4))
                    .col(integer("rate_bp"))
                    .col(big_integer("net_cents"))
                    .col(big_integer("tax_cents"))
                    .primary_key(Index::create().col("invoice_id").col("category").col("rate_bp"))
                    .foreign_key(&mut fk_then(
                        "invoice_tax_groups",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("billed_periods")
                    .col(pk_auto("id"))
                    .col(integer("item_id"))
                    .col(integer("customer_id"))
                    .col(date("period_start"))
                    .col(date("period_end"))
                    .col(integer("invoice_id"))
                    .foreign_key(&mut fk_then(
                        "billed_periods",
                        "item_id",
                        "billing_items",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("billed_periods", "customer_id", "customers"))
                    .foreign_key(&mut fk_then(
                        "billed_periods",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(actor(
                Table::create()
                    .table("planned_items")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(text("description"))
                    .col(big_integer("quantity_milli"))
                    .col(big_integer("unit_price_e4"))
                    .col(string_len("currency", 3))
                    .col(string_len("tax_class", 20))
                    .col(date_null("service_date"))
                    // The collective-invoice day it waits for (NULL: the next run).
                    .col(date_null("bill_on"))
                    // Set once, by the invoice that took it.
                    .col(integer_null("invoice_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("planned_items", "customer_id", "customers"))
                    .foreign_key(&mut fk_then(
                        "planned_items",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
                "created_by",
            ))
            .await?;
        manager
            .create_table(actor(
                Table::create()
                    .table("ledger_entries")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // payment | invoice | credit | debit | fee | reversal
                    .col(string_len("kind", 20))
                    // Signed: positive is in the customer's favour.
                    .col(big_integer("amount_cents"))
                    .col(string_len("currency", 3))
                    .col(date("booked_on"))
                    .col(text("description"))
                    .col(string_len("reference", 200))
                    .col(string_len("method", 40))
                    // What the payment cost us (bank or gateway fee); not the customer's.
                    .col(big_integer("fee_cents"))
                    .col(boolean("special"))
                    .col(integer_null("invoice_id"))
                    .col(integer_null("reverses_id"))
                    .col(string_len_null("idempotency_key", 200))
                    .col(big_integer("balance_after"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ledger_entries", "customer_id", "customers"))
                    .foreign_key(&mut fk_then(
                        "ledger_entries",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk_then(
                        "ledger_entries",
                        "reverses_id",
                        "ledger_entries",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
                "booked_by",
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("allocations")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(integer("invoice_id"))
                    // The payment or credit entry; NULL: from the account's credit.
                    .col(integer_null("entry_id"))
                    // Signed: a reversed payment takes its allocation back.
                    .col(big_integer("amount_cents"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("allocations", "customer_id", "customers"))
                    .foreign_key(&mut fk_then(
                        "allocations",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk_then(
                        "allocations",
                        "entry_id",
                        "ledger_entries",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("customer_accounts")
                    .col(integer("customer_id").primary_key())
                    .col(big_integer("balance_cents"))
                    .col(big_integer("paid_in_cents"))
                    .col(big_integer("spent_cents"))
                    .col(big_integer("special_cents"))
                    .col(integer("open_count"))
                    .col(big_integer("open_cents"))
                    .foreign_key(&mut fk("customer_accounts", "customer_id", "customers"))
                    .take(),
            )
            .await?;
        for column in [
            boolean("grouping_off").default(false).take(),
            integer_null("collective_day").take(),
            big_integer("postpaid_limit_cents").default(0).take(),
            // Comma-separated keys of the payment methods this customer may use (empty: all).
            string("payment_methods").default("").take(),
        ] {
            manager.alter_table(Table::alter().table("customers").add_column(column).take()).await?;
        }

        let db = manager.get_connection();
        let mut statements: Vec<String> = [
            "CREATE UNIQUE INDEX invoices_number ON invoices (series_id, number)",
            "CREATE INDEX invoices_customer ON invoices (customer_id, id)",
            "CREATE INDEX invoices_open ON invoices (customer_id, state, due_date)",
            "CREATE INDEX invoices_unarchived ON invoices (id) WHERE number IS NOT NULL AND pdf_sha256 IS NULL",
            "CREATE INDEX invoices_corrects ON invoices (corrects_id)",
            "CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position)",
            "CREATE INDEX invoice_lines_item ON invoice_lines (billing_item_id)",
            "CREATE INDEX billing_items_due ON billing_items (status, next_due)",
            "CREATE INDEX billing_items_customer ON billing_items (customer_id, id)",
            // Every period of an item is billed once, however often and wherever the run runs.
            "CREATE UNIQUE INDEX billed_periods_once ON billed_periods (item_id, period_start)",
            "CREATE INDEX billed_periods_customer ON billed_periods (customer_id)",
            "CREATE INDEX billed_periods_invoice ON billed_periods (invoice_id)",
            "CREATE INDEX planned_items_customer ON planned_items (customer_id, id)",
            "CREATE INDEX planned_items_due ON planned_items (bill_on) WHERE invoice_id IS NULL",
            "CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, id)",
            "CREATE UNIQUE INDEX ledger_entries_idempotency ON ledger_entries (idempotency_key)",
            // A reversal reverses one entry, once.
            "CREATE UNIQUE INDEX ledger_entries_reverses ON ledger_entries (reverses_id)",
            "CREATE INDEX ledger_entries_invoice ON ledger_entries (invoice_id)",
            "CREATE INDEX allocations_invoice ON allocations (invoice_id)",
            "CREATE INDEX allocations_entry ON allocations (entry_id)",
            "CREATE INDEX allocations_customer ON allocations (customer_id)",
        ]
        .map(String::from)
        .to_vec();
        statements.push(
            "INSERT INTO invoice_series (key, pattern, created_at) VALUES ('invoice', 'RE-{YYYY}-{00000}', CURRENT_TIMESTAMP)"
                .into(),
        );
        for (country, from, standard, reduced) in VAT_RATES {
            statements.push(format!(
                "INSERT INTO vat_rates (country, valid_from, standard_bp, reduced_bp) \
                 VALUES ('{country}', '{from}', {standard}, {reduced})"
            ));
        }
        statements.extend(match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_triggers(),
            _ => sqlite_triggers(),
        });
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            for f in ["refuse_final_invoice_change", "refuse_invoice_part_change", "refuse_money_rewrite"] {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {f}() CASCADE")).await?;
            }
            db.execute_unprepared("DROP FUNCTION IF EXISTS refuse_second_reversal() CASCADE").await?;
        }
        for column in ["payment_methods", "postpaid_limit_cents", "collective_day", "grouping_off"] {
            manager.alter_table(Table::alter().table("customers").drop_column(column).take()).await?;
        }
        for table in [
            "customer_accounts",
            "allocations",
            "ledger_entries",
            "planned_items",
            "billed_periods",
            "invoice_tax_groups",
            "invoice_lines",
            "invoices",
            "billing_items",
            "vat_rates",
            "invoice_series",
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}

const GRANTED: &str = "EXISTS (SELECT 1 FROM history_grants)";

fn sqlite_triggers() -> Vec<String> {
    let changed = FROZEN.iter().map(|c| format!("NEW.{c} IS NOT OLD.{c}")).collect::<Vec<_>>().join(" OR ");
    let mut out = vec![
        format!(
            "CREATE TRIGGER invoices_final_frozen BEFORE UPDATE ON invoices \
             WHEN OLD.number IS NOT NULL AND NOT {GRANTED} AND ({changed} \
               OR NEW.state = 'draft' \
               OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256) \
               OR (OLD.pdf_key IS NOT NULL AND NEW.pdf_key IS NOT OLD.pdf_key) \
               OR ((NEW.pdf_sha256 IS NULL) <> (NEW.pdf_key IS NULL))) \
             BEGIN SELECT RAISE(ABORT, 'final invoice: its content is frozen'); END"
        ),
        format!(
            "CREATE TRIGGER invoices_final_kept BEFORE DELETE ON invoices \
             WHEN OLD.number IS NOT NULL AND NOT {GRANTED} \
             BEGIN SELECT RAISE(ABORT, 'final invoice: never deleted'); END"
        ),
        format!(
            "CREATE TRIGGER ledger_entries_one_reversal BEFORE INSERT ON ledger_entries \
             WHEN NEW.reverses_id IS NOT NULL \
               AND (SELECT reverses_id FROM ledger_entries WHERE id = NEW.reverses_id) IS NOT NULL \
             BEGIN SELECT RAISE(ABORT, 'ledger: a reversal is not reversed'); END"
        ),
    ];
    for table in INVOICE_PARTS {
        // An update is refused when the row belongs, or would belong, to a final invoice.
        for (op, row) in [("INSERT", "NEW"), ("UPDATE", "OLD"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            out.push(format!(
                "CREATE TRIGGER {table}_final_{}_{} BEFORE {op} ON {table} \
                 WHEN (SELECT number FROM invoices WHERE id = {row}.invoice_id) IS NOT NULL AND NOT {GRANTED} \
                 BEGIN SELECT RAISE(ABORT, '{table}: the invoice is final'); END",
                op.to_lowercase(),
                row.to_lowercase()
            ));
        }
    }
    for table in APPEND_ONLY {
        for op in ["UPDATE", "DELETE"] {
            out.push(format!(
                "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} WHEN NOT {GRANTED} \
                 BEGIN SELECT RAISE(ABORT, 'append-only: {op} on {table} refused'); END",
                op.to_lowercase()
            ));
        }
    }
    out
}

fn postgres_triggers() -> Vec<String> {
    let changed =
        FROZEN.iter().map(|c| format!("NEW.{c} IS DISTINCT FROM OLD.{c}")).collect::<Vec<_>>().join(" OR ");
    let mut out = vec![
        format!(
            "CREATE FUNCTION refuse_final_invoice_change() RETURNS trigger AS $$ \
             BEGIN \
               IF OLD.number IS NULL OR {GRANTED} THEN \
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                 RETURN NEW; \
               END IF; \
               IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'final invoice: never deleted'; END IF; \
               IF {changed} OR NEW.state = 'draft' \
                  OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256) \
                  OR (OLD.pdf_key IS NOT NULL AND NEW.pdf_key IS DISTINCT FROM OLD.pdf_key) \
                  OR ((NEW.pdf_sha256 IS NULL) <> (NEW.pdf_key IS NULL)) THEN \
                 RAISE EXCEPTION 'final invoice: its content is frozen'; \
               END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER invoices_final_frozen BEFORE UPDATE OR DELETE ON invoices \
         FOR EACH ROW EXECUTE FUNCTION refuse_final_invoice_change()"
            .into(),
        format!(
            "CREATE FUNCTION refuse_invoice_part_change() RETURNS trigger AS $$ \
             DECLARE parent integer; \
             BEGIN \
               IF TG_OP = 'INSERT' THEN parent := NEW.invoice_id; ELSE parent := OLD.invoice_id; END IF; \
               IF NOT {GRANTED} AND (SELECT number FROM invoices WHERE id = parent) IS NOT NULL THEN \
                 RAISE EXCEPTION '%: the invoice is final', TG_TABLE_NAME; \
               END IF; \
               IF TG_OP = 'UPDATE' AND NOT {GRANTED} \
                  AND (SELECT number FROM invoices WHERE id = NEW.invoice_id) IS NOT NULL THEN \
                 RAISE EXCEPTION '%: the invoice is final', TG_TABLE_NAME; \
               END IF; \
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        format!(
            "CREATE FUNCTION refuse_money_rewrite() RETURNS trigger AS $$ \
             BEGIN \
               IF {GRANTED} THEN \
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                 RETURN NEW; \
               END IF; \
               RAISE EXCEPTION 'append-only: % on % refused', TG_OP, TG_TABLE_NAME; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE FUNCTION refuse_second_reversal() RETURNS trigger AS $$ \
         BEGIN \
           IF NEW.reverses_id IS NOT NULL \
              AND (SELECT reverses_id FROM ledger_entries WHERE id = NEW.reverses_id) IS NOT NULL THEN \
             RAISE EXCEPTION 'ledger: a reversal is not reversed'; \
           END IF; \
           RETURN NEW; \
         END $$ LANGUAGE plpgsql"
            .into(),
        "CREATE TRIGGER ledger_entries_one_reversal BEFORE INSERT ON ledger_entries \
         FOR EACH ROW EXECUTE FUNCTION refuse_second_reversal()"
            .into(),
    ];
    for table in INVOICE_PARTS {
        out.push(format!(
            "CREATE TRIGGER {table}_final BEFORE INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION refuse_invoice_part_change()"
        ));
    }
    for table in APPEND_ONLY {
        out.push(format!(
            "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION refuse_money_rewrite()"
        ));
    }
    out
}
