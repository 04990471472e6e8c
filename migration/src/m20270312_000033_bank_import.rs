//! Bank statements in: each uploaded file (CAMT.053, MT940) is an import, each entry a line.
//! A line is first a preview with its proposed match; booking moves it on once: a matched credit
//! is booked as a payment, an unmatched one waits in "Offene Zahlungen" until staff assign or
//! set it aside, a return debit reverses the payment it returns. An entry is booked once
//! whatever file it comes in again: a unique index on (account, statement, entry) over the
//! lines that left the preview. What the bank said is frozen; only the line's handling moves.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What the statement said about an entry: never changed once read.
const STATEMENT_COLUMNS: &[&str] = &[
    "import_id",
    "position",
    "account",
    "statement",
    "entry",
    "booked_on",
    "value_on",
    "amount_cents",
    "currency",
    "counterparty",
    "counterparty_iban",
    "remittance",
    "end_to_end_id",
    "mandate_id",
    "is_return",
    "return_reason",
    "charges_cents",
    "code",
];

const GRANTED: &str = "EXISTS (SELECT 1 FROM history_grants)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("bank_imports")
                    .col(pk_auto("id"))
                    .col(string_len("file_name", 255))
                    .col(string_len("file_sha256", 64))
                    .col(big_integer("file_size"))
                    // camt053 | mt940
                    .col(string_len("format", 10))
                    .col(integer("line_count"))
                    // preview | booked | discarded
                    .col(string_len("state", 10))
                    .col(string_len("uploaded_by", 100))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .col(string_len_null("done_by", 100))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("bank_lines")
                    .col(pk_auto("id"))
                    .col(integer("import_id"))
                    .col(integer("position"))
                    .col(string_len("account", 64))
                    .col(string_len("statement", 100))
                    .col(string_len("entry", 100))
                    .col(date_null("booked_on"))
                    .col(date_null("value_on"))
                    // Signed: positive is money in.
                    .col(big_integer("amount_cents"))
                    .col(string_len("currency", 3))
                    .col(text("counterparty"))
                    .col(string_len("counterparty_iban", 64))
                    .col(text("remittance"))
                    .col(string_len("end_to_end_id", 64))
                    .col(string_len("mandate_id", 64))
                    .col(boolean("is_return"))
                    .col(string_len("return_reason", 35))
                    .col(big_integer("charges_cents"))
                    .col(string_len("code", 64))
                    // preview | booked | open | assigned | ignored | returned | duplicate
                    .col(string_len("state", 10))
                    // The match (proposed in the preview, then as booked): the customer, the
                    // invoices paid in this order (comma-separated ids), how it was found
                    // (invoice_number | customer_number | amount | return | staff).
                    .col(integer_null("customer_id"))
                    .col(text("invoice_ids"))
                    .col(string_len("matched_by", 20))
                    // A return: the line of the payment it returns.
                    .col(integer_null("returns_line_id"))
                    // The ledger entry it booked (a payment, or a return's reversal).
                    .col(integer_null("ledger_entry_id"))
                    // Why staff set it aside.
                    .col(text("note"))
                    .col(string_len_null("done_by", 100))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .col(big_integer("version"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("bank_lines", "import_id")
                            .to("bank_imports", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .take(),
                    )
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("bank_lines", "customer_id")
                            .to("customers", "id")
                            .take(),
                    )
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("bank_lines", "ledger_entry_id")
                            .to("ledger_entries", "id")
                            .take(),
                    )
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        let mut statements: Vec<String> = vec![
            // An entry leaves the preview once, whichever file brings it again.
            "CREATE UNIQUE INDEX bank_lines_once ON bank_lines (account, statement, entry) \
             WHERE state NOT IN ('preview', 'duplicate')"
                .into(),
            "CREATE INDEX bank_lines_import ON bank_lines (import_id, position)".into(),
            "CREATE INDEX bank_lines_state ON bank_lines (state, id)".into(),
            "CREATE INDEX bank_lines_customer ON bank_lines (customer_id, id)".into(),
            "CREATE INDEX bank_lines_end_to_end ON bank_lines (end_to_end_id) WHERE end_to_end_id <> ''"
                .into(),
            "CREATE INDEX bank_imports_sha ON bank_imports (file_sha256, state)".into(),
        ];
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
            db.execute_unprepared("DROP FUNCTION IF EXISTS refuse_bank_line_change() CASCADE").await?;
        }
        for table in ["bank_lines", "bank_imports"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}

/// A change of what the statement said, or a line taken back into the preview.
fn refused_change(distinct: &str) -> String {
    STATEMENT_COLUMNS
        .iter()
        .map(|c| format!("NEW.{c} {distinct} OLD.{c}"))
        .chain(["(OLD.state <> 'preview' AND NEW.state = 'preview')".to_string()])
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn sqlite_triggers() -> Vec<String> {
    let changed = refused_change("IS NOT");
    vec![
        format!(
            "CREATE TRIGGER bank_lines_frozen BEFORE UPDATE ON bank_lines WHEN NOT {GRANTED} AND ({changed}) \
             BEGIN SELECT RAISE(ABORT, 'bank line: what the statement said is frozen'); END"
        ),
        // A preview may be discarded; a line that was handled is kept.
        format!(
            "CREATE TRIGGER bank_lines_kept BEFORE DELETE ON bank_lines \
             WHEN NOT {GRANTED} AND OLD.state NOT IN ('preview', 'duplicate') \
             BEGIN SELECT RAISE(ABORT, 'bank line: never deleted'); END"
        ),
    ]
}

fn postgres_triggers() -> Vec<String> {
    let changed = refused_change("IS DISTINCT FROM");
    vec![
        format!(
            "CREATE FUNCTION refuse_bank_line_change() RETURNS trigger AS $$ \
             BEGIN \
               IF {GRANTED} THEN \
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                 RETURN NEW; \
               END IF; \
               IF TG_OP = 'DELETE' THEN \
                 IF OLD.state NOT IN ('preview', 'duplicate') THEN RAISE EXCEPTION 'bank line: never deleted'; END IF; \
                 RETURN OLD; \
               END IF; \
               IF {changed} THEN RAISE EXCEPTION 'bank line: what the statement said is frozen'; END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER bank_lines_frozen BEFORE UPDATE OR DELETE ON bank_lines \
         FOR EACH ROW EXECUTE FUNCTION refuse_bank_line_change()"
            .into(),
    ]
}
