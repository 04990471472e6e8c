//! Dunning (Mahnwesen): the operator's levels (a payment reminder and three notices: days after
//! the due date, the fee for businesses and for consumers, the time to pay, mail and/or letter,
//! an own text), the dated base rate of § 247 BGB, and the notices sent. A notice is sent once
//! per invoice and level (the unique index is the gate, whoever runs the job); it is never
//! changed or deleted but for its archived PDF (set once) and its mail and letter state. Fees,
//! the flat 40 € and default interest go on a document of their own (`invoices.kind = 'fee'`,
//! series `fee`), never into the invoice.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A notice's columns that may change: its archived PDF (once) and the states of its mail and
/// letter. Everything else is what was sent.
const MUTABLE: &[&str] = &["pdf_sha256", "pdf_key", "mail_state", "letter_state"];

/// Every column of a notice, for the trigger that freezes all but `MUTABLE`.
const COLUMNS: &[&str] = &[
    "customer_id",
    "invoice_id",
    "level",
    "issued_on",
    "pay_by",
    "business",
    "open_cents",
    "level_fee_cents",
    "fee_cents",
    "flat_cents",
    "interest_cents",
    "interest_from",
    "interest_to",
    "fee_invoice_id",
    "by_mail",
    "by_letter",
    "created_at",
];

/// The levels as first installed: (level, days after due, fee businesses, fee consumers).
/// The reminder that puts the customer in default is free (and so is any first notice).
const LEVELS: &[(i32, i32, i64, i64)] =
    &[(0, 7, 0, 0), (1, 21, 500, 250), (2, 35, 500, 250), (3, 49, 500, 250)];

/// The base rate of § 247 BGB (basis points) as the Bundesbank published it; the operator adds
/// each new one (1 January, 1 July).
const BASE_RATES: &[(&str, i32)] = &[
    ("2016-07-01", -88),
    ("2023-01-01", 162),
    ("2023-07-01", 312),
    ("2024-01-01", 362),
    ("2024-07-01", 337),
    ("2025-01-01", 227),
    ("2025-07-01", 127),
];

const GRANTED: &str = "EXISTS (SELECT 1 FROM history_grants)";

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
                    .table("dunning_levels")
                    // 0: payment reminder, 1..3: notices.
                    .col(integer("level").primary_key())
                    // Level 0 inactive: businesses start with the first notice (consumers never do).
                    .col(boolean("active"))
                    .col(integer("days"))
                    .col(big_integer("fee_business_cents"))
                    .col(big_integer("fee_consumer_cents"))
                    // The new deadline the notice names, in days from its date.
                    .col(integer("pay_days"))
                    .col(boolean("by_mail"))
                    .col(boolean("by_letter"))
                    // The operator's text ('': the standard text in the customer's language).
                    .col(text("text"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("base_rates")
                    .col(date("valid_from").primary_key())
                    // Signed basis points (it was negative 2013–2022).
                    .col(integer("rate_bp"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("dunning_notices")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(integer("invoice_id"))
                    .col(integer("level"))
                    .col(date("issued_on"))
                    .col(date("pay_by"))
                    // Sent to a business (9 points, the flat 40 €) or a consumer (5 points).
                    .col(boolean("business"))
                    // What the invoice still owed on the day.
                    .col(big_integer("open_cents"))
                    // The level's fee as configured when sent (0 for the first, free notice):
                    // a business's fees are credited against the flat by what was sent.
                    .col(big_integer("level_fee_cents"))
                    .col(big_integer("fee_cents"))
                    .col(big_integer("flat_cents"))
                    .col(big_integer("interest_cents"))
                    .col(date_null("interest_from"))
                    .col(date_null("interest_to"))
                    // The document that charges fee, flat and interest (none when all are 0).
                    .col(integer_null("fee_invoice_id"))
                    .col(boolean("by_mail"))
                    .col(boolean("by_letter"))
                    .col(string_len_null("pdf_sha256", 64))
                    .col(string_len_null("pdf_key", 200))
                    // none | pending | queued
                    .col(string_len("mail_state", 10))
                    // none | to_print | printed
                    .col(string_len("letter_state", 10))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("dunning_notices", "customer_id")
                            .to("customers", "id")
                            .take(),
                    )
                    .foreign_key(&mut fk_then(
                        "dunning_notices",
                        "invoice_id",
                        "invoices",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk_then(
                        "dunning_notices",
                        "fee_invoice_id",
                        "invoices",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;

        // The highest level sent for an invoice (NULL: none), kept with the notices: a status
        // field like `state`, so the run reads notices only for invoices that have some.
        manager
            .alter_table(Table::alter().table("invoices").add_column(integer_null("dunning_level")).take())
            .await?;

        let db = manager.get_connection();
        let mut statements: Vec<String> = vec![
            // Each level of an invoice is sent once, however often and wherever the job runs.
            "CREATE UNIQUE INDEX dunning_notices_once ON dunning_notices (invoice_id, level)".into(),
            "CREATE INDEX dunning_notices_customer ON dunning_notices (customer_id, id)".into(),
            "CREATE INDEX dunning_notices_unarchived ON dunning_notices (id) WHERE pdf_sha256 IS NULL".into(),
            "CREATE INDEX dunning_notices_letters ON dunning_notices (letter_state, id)".into(),
            "CREATE INDEX dunning_notices_fee ON dunning_notices (fee_invoice_id)".into(),
            "INSERT INTO invoice_series (key, pattern, created_at) VALUES ('fee', 'MG-{YYYY}-{00000}', CURRENT_TIMESTAMP)"
                .into(),
        ];
        for (level, days, business, consumer) in LEVELS {
            statements.push(format!(
                "INSERT INTO dunning_levels (level, active, days, fee_business_cents, fee_consumer_cents, pay_days, \
                 by_mail, by_letter, text, version, updated_at) \
                 VALUES ({level}, TRUE, {days}, {business}, {consumer}, 10, TRUE, FALSE, '', 1, CURRENT_TIMESTAMP)"
            ));
        }
        for (from, bp) in BASE_RATES {
            statements.push(format!(
                "INSERT INTO base_rates (valid_from, rate_bp, created_at) VALUES ('{from}', {bp}, CURRENT_TIMESTAMP)"
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
            db.execute_unprepared("DROP FUNCTION IF EXISTS refuse_notice_change() CASCADE").await?;
        }
        for table in ["dunning_notices", "base_rates", "dunning_levels"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        manager.alter_table(Table::alter().table("invoices").drop_column("dunning_level").take()).await?;
        db.execute_unprepared("DELETE FROM invoice_series WHERE key = 'fee'").await?;
        Ok(())
    }
}

/// What a notice may not do: change what was sent, or its PDF once archived.
fn refused_change(distinct: &str) -> String {
    debug_assert!(MUTABLE.iter().all(|m| !COLUMNS.contains(m)));
    COLUMNS
        .iter()
        .map(|c| format!("NEW.{c} {distinct} OLD.{c}"))
        .chain(
            ["pdf_sha256", "pdf_key"]
                .iter()
                .map(|c| format!("(OLD.{c} IS NOT NULL AND NEW.{c} {distinct} OLD.{c})")),
        )
        .chain(["((NEW.pdf_sha256 IS NULL) <> (NEW.pdf_key IS NULL))".to_string()])
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn sqlite_triggers() -> Vec<String> {
    let changed = refused_change("IS NOT");
    vec![
        format!(
            "CREATE TRIGGER dunning_notices_frozen BEFORE UPDATE ON dunning_notices \
             WHEN NOT {GRANTED} AND ({changed}) \
             BEGIN SELECT RAISE(ABORT, 'dunning notice: what was sent is frozen'); END"
        ),
        format!(
            "CREATE TRIGGER dunning_notices_kept BEFORE DELETE ON dunning_notices WHEN NOT {GRANTED} \
             BEGIN SELECT RAISE(ABORT, 'dunning notice: never deleted'); END"
        ),
    ]
}

fn postgres_triggers() -> Vec<String> {
    let changed = refused_change("IS DISTINCT FROM");
    vec![
        format!(
            "CREATE FUNCTION refuse_notice_change() RETURNS trigger AS $$ \
             BEGIN \
               IF {GRANTED} THEN \
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                 RETURN NEW; \
               END IF; \
               IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'dunning notice: never deleted'; END IF; \
               IF {changed} THEN RAISE EXCEPTION 'dunning notice: what was sent is frozen'; END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER dunning_notices_frozen BEFORE UPDATE OR DELETE ON dunning_notices \
         FOR EACH ROW EXECUTE FUNCTION refuse_notice_change()"
            .into(),
    ]
}
