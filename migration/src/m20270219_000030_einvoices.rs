//! E-invoices: what a customer gets (none, ZUGFeRD, XRechnung), their Leitweg-ID (BT-10) and
//! electronic address (BT-49), whether they are a public-sector buyer; on the invoice, the
//! kind of e-invoice frozen with it and the archived XML with its SHA-256, set once like the
//! PDF. The freezing triggers of migration 29 are replaced by ones that know these columns.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of a final invoice that never change (migration 29's, then `einvoice`); kept
/// here in full, so that this migration's triggers stay what they were when it ran.
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
    "einvoice",
];

/// Archived files: each pair (hash, key) is set once, both together.
const ARCHIVED: &[(&str, &str)] = &[("pdf_sha256", "pdf_key"), ("xml_sha256", "xml_key")];

const GRANTED: &str = "EXISTS (SELECT 1 FROM history_grants)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            // none | zugferd | xrechnung
            string_len("einvoice", 10).default("none").take(),
            string_len("leitweg_id", 50).default("").take(),
            string_len("einvoice_address", 200).default("").take(),
            boolean("public_sector").default(false).take(),
        ] {
            manager.alter_table(Table::alter().table("customers").add_column(column).take()).await?;
        }
        for column in [
            string_len("einvoice", 10).default("none").take(),
            string_len_null("xml_sha256", 64).take(),
            string_len_null("xml_key", 200).take(),
        ] {
            manager.alter_table(Table::alter().table("invoices").add_column(column).take()).await?;
        }
        let db = manager.get_connection();
        for sql in triggers(manager.get_database_backend(), FROZEN, ARCHIVED) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Migration 29's triggers again: its columns frozen, its PDF set once.
        let db = manager.get_connection();
        let frozen = &FROZEN[..FROZEN.len() - 1];
        for sql in triggers(manager.get_database_backend(), frozen, &ARCHIVED[..1]) {
            db.execute_unprepared(&sql).await?;
        }
        for column in ["xml_key", "xml_sha256", "einvoice"] {
            manager.alter_table(Table::alter().table("invoices").drop_column(column).take()).await?;
        }
        for column in ["public_sector", "einvoice_address", "leitweg_id", "einvoice"] {
            manager.alter_table(Table::alter().table("customers").drop_column(column).take()).await?;
        }
        Ok(())
    }
}

fn triggers(backend: DatabaseBackend, frozen: &[&str], archived: &[(&str, &str)]) -> Vec<String> {
    match backend {
        DatabaseBackend::Postgres => postgres(frozen, archived),
        _ => sqlite(frozen, archived),
    }
}

/// A set-once file changed: a set hash or key replaced, one of a pair without the other, or a
/// later file (the XML) set or changed once the first (the PDF) is archived: they go together.
fn archived_changed(archived: &[(&str, &str)], distinct: &str) -> String {
    let (first, _) = archived[0];
    let later = archived[1..].iter().map(|(sha, key)| {
        format!(
            "(OLD.{first} IS NOT NULL AND (NEW.{sha} {distinct} OLD.{sha} OR NEW.{key} {distinct} OLD.{key}))"
        )
    });
    archived
        .iter()
        .map(|(sha, key)| {
            format!(
                "(OLD.{sha} IS NOT NULL AND NEW.{sha} {distinct} OLD.{sha}) \
                 OR (OLD.{key} IS NOT NULL AND NEW.{key} {distinct} OLD.{key}) \
                 OR ((NEW.{sha} IS NULL) <> (NEW.{key} IS NULL))"
            )
        })
        .chain(later)
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// One string: SQLite runs a migration's statements outside a transaction, each on any
/// connection of the pool, and a connection that still reads the old schema refuses to create
/// a trigger another one just dropped. One call runs both on one connection.
fn sqlite(frozen: &[&str], archived: &[(&str, &str)]) -> Vec<String> {
    let changed = frozen.iter().map(|c| format!("NEW.{c} IS NOT OLD.{c}")).collect::<Vec<_>>().join(" OR ");
    let files = archived_changed(archived, "IS NOT");
    vec![format!(
        "DROP TRIGGER invoices_final_frozen; \
         CREATE TRIGGER invoices_final_frozen BEFORE UPDATE ON invoices \
         WHEN OLD.number IS NOT NULL AND NOT {GRANTED} AND ({changed} OR NEW.state = 'draft' OR {files}) \
         BEGIN SELECT RAISE(ABORT, 'final invoice: its content is frozen'); END"
    )]
}

fn postgres(frozen: &[&str], archived: &[(&str, &str)]) -> Vec<String> {
    let changed =
        frozen.iter().map(|c| format!("NEW.{c} IS DISTINCT FROM OLD.{c}")).collect::<Vec<_>>().join(" OR ");
    let files = archived_changed(archived, "IS DISTINCT FROM");
    vec![format!(
        "CREATE OR REPLACE FUNCTION refuse_final_invoice_change() RETURNS trigger AS $$ \
         BEGIN \
           IF OLD.number IS NULL OR {GRANTED} THEN \
             IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
             RETURN NEW; \
           END IF; \
           IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'final invoice: never deleted'; END IF; \
           IF {changed} OR NEW.state = 'draft' OR {files} THEN \
             RAISE EXCEPTION 'final invoice: its content is frozen'; \
           END IF; \
           RETURN NEW; \
         END $$ LANGUAGE plpgsql"
    )]
}
