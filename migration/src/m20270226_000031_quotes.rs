//! Quotes (Angebote): a draft without number until it is sent; sending gives the next number of
//! the `quote` series, freezes lines and totals and archives the PDF (set once). The decision
//! (accepted or declined, by whom, why, from which address) is set once; an accepted quote names
//! the draft invoice it became. Quote lines are invoice lines plus an interval for recurring
//! ones (NULL: once).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of a sent quote that never change.
const FROZEN: &[&str] = &[
    "series_id",
    "number",
    "counter",
    "issue_date",
    "valid_until",
    "currency",
    "tax_mode",
    "net_cents",
    "tax_cents",
    "gross_cents",
    "note",
    "sent_at",
    "sent_by_kind",
    "sent_by_id",
    "created_by_kind",
    "created_by_id",
    "created_at",
];

/// Set once, then never changed: the decision and the archived PDF.
const ONCE: &[&str] = &[
    "decided_at",
    "decided_by_kind",
    "decided_by_id",
    "decided_reason",
    "decided_ip",
    "pdf_sha256",
    "pdf_key",
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
                    .table("quotes")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // draft | sent | accepted | declined | expired
                    .col(string_len("state", 20))
                    .col(integer_null("series_id"))
                    .col(string_len_null("number", 60))
                    .col(big_integer_null("counter"))
                    .col(date_null("issue_date"))
                    .col(date("valid_until"))
                    .col(string_len("currency", 3))
                    .col(string_len("tax_mode", 20))
                    .col(big_integer("net_cents"))
                    .col(big_integer("tax_cents"))
                    .col(big_integer("gross_cents"))
                    .col(text("note"))
                    .col(string_len_null("pdf_sha256", 64))
                    .col(string_len_null("pdf_key", 200))
                    // none | pending (sent, its PDF and mail to come) | queued
                    .col(string_len("mail_state", 10))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(string_len_null("sent_by_kind", 20))
                    .col(integer_null("sent_by_id"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(string_len_null("decided_by_kind", 20))
                    .col(integer_null("decided_by_id"))
                    .col(text_null("decided_reason"))
                    .col(string_len_null("decided_ip", 60))
                    .col(integer_null("invoice_id"))
                    .col(big_integer("version"))
                    .col(string_len("created_by_kind", 20))
                    .col(integer_null("created_by_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(ForeignKey::create().from("quotes", "customer_id").to("customers", "id"))
                    .foreign_key(ForeignKey::create().from("quotes", "series_id").to("invoice_series", "id"))
                    // A draft invoice made from the quote may be deleted: the quote stays accepted.
                    .foreign_key(&mut fk_then("quotes", "invoice_id", "invoices", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("quote_lines")
                    .col(pk_auto("id"))
                    .col(integer("quote_id"))
                    .col(integer("position"))
                    .col(text("description"))
                    .col(big_integer("quantity_milli"))
                    .col(big_integer("unit_price_e4"))
                    .col(big_integer("net_cents"))
                    .col(string_len("tax_class", 20))
                    .col(string_len("category", 4))
                    .col(integer("rate_bp"))
                    // days | weeks | months | years; NULL: billed once
                    .col(string_len_null("interval_unit", 10))
                    .col(integer_null("interval_count"))
                    .foreign_key(&mut fk_then("quote_lines", "quote_id", "quotes", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        let mut statements: Vec<String> = [
            "CREATE INDEX quotes_customer ON quotes (customer_id, id)",
            "CREATE UNIQUE INDEX quotes_number ON quotes (series_id, number)",
            "CREATE INDEX quotes_expiry ON quotes (state, valid_until)",
            "CREATE INDEX quotes_invoice ON quotes (invoice_id)",
            // The archive worker looks for sent quotes without a PDF every few seconds.
            "CREATE INDEX quotes_unarchived ON quotes (id) WHERE number IS NOT NULL AND pdf_sha256 IS NULL",
            "CREATE INDEX quote_lines_quote ON quote_lines (quote_id, position)",
            "INSERT INTO invoice_series (key, pattern, created_at) VALUES ('quote', 'AN-{YYYY}-{00000}', CURRENT_TIMESTAMP)",
        ]
        .map(String::from)
        .to_vec();
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
            for f in ["refuse_sent_quote_change", "refuse_quote_line_change"] {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {f}() CASCADE")).await?;
            }
        }
        for table in ["quote_lines", "quotes"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        db.execute_unprepared("DELETE FROM invoice_series WHERE key = 'quote'").await?;
        Ok(())
    }
}

/// What a sent quote may not do: change a frozen column, go back to draft or move on from an
/// answer, change a value set once, or name a draft invoice other than at its acceptance.
fn refused_change(distinct: &str) -> String {
    FROZEN
        .iter()
        .map(|c| format!("NEW.{c} {distinct} OLD.{c}"))
        .chain(ONCE.iter().map(|c| format!("(OLD.{c} IS NOT NULL AND NEW.{c} {distinct} OLD.{c})")))
        .chain([
            // Only a sent quote moves on, once: to accepted, declined or expired.
            "NEW.state = 'draft'".to_string(),
            format!("(OLD.state <> 'sent' AND NEW.state {distinct} OLD.state)"),
            "(NEW.state IN ('accepted', 'declined') AND NEW.decided_at IS NULL)".into(),
            // The draft invoice is named once, with the acceptance; it may go (its draft deleted).
            format!(
                "(OLD.invoice_id IS NOT NULL AND NEW.invoice_id IS NOT NULL AND NEW.invoice_id {distinct} OLD.invoice_id)"
            ),
            "(OLD.invoice_id IS NULL AND NEW.invoice_id IS NOT NULL \
             AND NOT (OLD.state = 'sent' AND NEW.state = 'accepted'))"
                .into(),
            "((NEW.pdf_sha256 IS NULL) <> (NEW.pdf_key IS NULL))".into(),
        ])
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn sqlite_triggers() -> Vec<String> {
    let changed = refused_change("IS NOT");
    let mut out = vec![
        format!(
            "CREATE TRIGGER quotes_sent_frozen BEFORE UPDATE ON quotes \
             WHEN OLD.number IS NOT NULL AND NOT {GRANTED} AND ({changed}) \
             BEGIN SELECT RAISE(ABORT, 'sent quote: its content is frozen'); END"
        ),
        format!(
            "CREATE TRIGGER quotes_sent_kept BEFORE DELETE ON quotes \
             WHEN OLD.number IS NOT NULL AND NOT {GRANTED} \
             BEGIN SELECT RAISE(ABORT, 'sent quote: never deleted'); END"
        ),
    ];
    for (op, row) in [("INSERT", "NEW"), ("UPDATE", "OLD"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
        out.push(format!(
            "CREATE TRIGGER quote_lines_sent_{}_{} BEFORE {op} ON quote_lines \
             WHEN (SELECT number FROM quotes WHERE id = {row}.quote_id) IS NOT NULL AND NOT {GRANTED} \
             BEGIN SELECT RAISE(ABORT, 'quote_lines: the quote is sent'); END",
            op.to_lowercase(),
            row.to_lowercase()
        ));
    }
    out
}

fn postgres_triggers() -> Vec<String> {
    let changed = refused_change("IS DISTINCT FROM");
    vec![
        format!(
            "CREATE FUNCTION refuse_sent_quote_change() RETURNS trigger AS $$ \
             BEGIN \
               IF OLD.number IS NULL OR {GRANTED} THEN \
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                 RETURN NEW; \
               END IF; \
               IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'sent quote: never deleted'; END IF; \
               IF {changed} THEN RAISE EXCEPTION 'sent quote: its content is frozen'; END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER quotes_sent_frozen BEFORE UPDATE OR DELETE ON quotes \
         FOR EACH ROW EXECUTE FUNCTION refuse_sent_quote_change()"
            .into(),
        format!(
            "CREATE FUNCTION refuse_quote_line_change() RETURNS trigger AS $$ \
             BEGIN \
               IF NOT {GRANTED} AND ( \
                  (TG_OP <> 'INSERT' AND (SELECT number FROM quotes WHERE id = OLD.quote_id) IS NOT NULL) \
                  OR (TG_OP <> 'DELETE' AND (SELECT number FROM quotes WHERE id = NEW.quote_id) IS NOT NULL)) THEN \
                 RAISE EXCEPTION 'quote_lines: the quote is sent'; \
               END IF; \
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER quote_lines_sent BEFORE INSERT OR UPDATE OR DELETE ON quote_lines \
         FOR EACH ROW EXECUTE FUNCTION refuse_quote_line_change()"
            .into(),
    ]
}
