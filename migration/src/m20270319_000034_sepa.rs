//! SEPA direct debit: a customer's mandates (reference, day of signature, the debtor's IBAN and
//! BIC and name, first or recurring, revoked), and the collections exported as pain.008 files,
//! each with the invoices it collects under which mandate and end-to-end id. A collection is
//! what was sent to the bank: never changed, never deleted.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const GRANTED: &str = "EXISTS (SELECT 1 FROM history_grants)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sepa_mandates")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // The mandate reference (Mandatsreferenz), unique for the creditor.
                    .col(string_len("reference", 35))
                    .col(date("signed_on"))
                    .col(string_len("holder", 70))
                    .col(string_len("iban", 34))
                    .col(string_len("bic", 11))
                    // FRST until its first collection was exported, then RCUR.
                    .col(string_len("sequence", 4))
                    // active | revoked
                    .col(string_len("state", 10))
                    .col(date_null("revoked_on"))
                    .col(date_null("last_collected_on"))
                    .col(string_len("created_by", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("version"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("sepa_mandates", "customer_id")
                            .to("customers", "id")
                            .take(),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sepa_collections")
                    .col(pk_auto("id"))
                    .col(string_len("message_id", 35))
                    .col(date("collection_date"))
                    .col(integer("count"))
                    .col(big_integer("total_cents"))
                    // The pain.008 file as exported, to be downloaded again.
                    .col(text("xml"))
                    .col(string_len("created_by", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sepa_collection_items")
                    .col(pk_auto("id"))
                    .col(integer("collection_id"))
                    .col(integer("customer_id"))
                    .col(integer("invoice_id"))
                    .col(integer("mandate_id"))
                    .col(big_integer("amount_cents"))
                    .col(string_len("sequence", 4))
                    .col(string_len("end_to_end_id", 35))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("sepa_collection_items", "collection_id")
                            .to("sepa_collections", "id")
                            .take(),
                    )
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("sepa_collection_items", "customer_id")
                            .to("customers", "id")
                            .take(),
                    )
                    // The retention job deletes an erased customer's invoices before this table.
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("sepa_collection_items", "invoice_id")
                            .to("invoices", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .take(),
                    )
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("sepa_collection_items", "mandate_id")
                            .to("sepa_mandates", "id")
                            .take(),
                    )
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        let mut statements: Vec<String> = vec![
            "CREATE UNIQUE INDEX sepa_mandates_reference ON sepa_mandates (reference)".into(),
            // One active mandate per customer: a new account is a new mandate, the old one revoked.
            "CREATE UNIQUE INDEX sepa_mandates_active ON sepa_mandates (customer_id) WHERE state = 'active'"
                .into(),
            "CREATE UNIQUE INDEX sepa_collections_message ON sepa_collections (message_id)".into(),
            "CREATE UNIQUE INDEX sepa_items_end_to_end ON sepa_collection_items (end_to_end_id)".into(),
            // An invoice is collected once; a returned one is paid otherwise (collecting it again
            // is not offered yet).
            "CREATE UNIQUE INDEX sepa_items_invoice ON sepa_collection_items (invoice_id)".into(),
            "CREATE INDEX sepa_items_collection ON sepa_collection_items (collection_id, id)".into(),
            "CREATE INDEX sepa_items_customer ON sepa_collection_items (customer_id)".into(),
        ];
        statements.extend(match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!(
                    "CREATE FUNCTION refuse_collection_change() RETURNS trigger AS $$ \
                     BEGIN \
                       IF {GRANTED} THEN \
                         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; \
                         RETURN NEW; \
                       END IF; \
                       RAISE EXCEPTION 'sepa collection: what was sent is frozen'; \
                     END $$ LANGUAGE plpgsql"
                ),
                "CREATE TRIGGER sepa_collections_frozen BEFORE UPDATE OR DELETE ON sepa_collections \
                 FOR EACH ROW EXECUTE FUNCTION refuse_collection_change()"
                    .into(),
                "CREATE TRIGGER sepa_items_frozen BEFORE UPDATE OR DELETE ON sepa_collection_items \
                 FOR EACH ROW EXECUTE FUNCTION refuse_collection_change()"
                    .into(),
            ],
            _ => ["sepa_collections", "sepa_collection_items"]
                .iter()
                .flat_map(|t| {
                    [
                        format!(
                            "CREATE TRIGGER {t}_frozen BEFORE UPDATE ON {t} WHEN NOT {GRANTED} \
                             BEGIN SELECT RAISE(ABORT, 'sepa collection: what was sent is frozen'); END"
                        ),
                        format!(
                            "CREATE TRIGGER {t}_kept BEFORE DELETE ON {t} WHEN NOT {GRANTED} \
                             BEGIN SELECT RAISE(ABORT, 'sepa collection: never deleted'); END"
                        ),
                    ]
                })
                .collect(),
        });
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS refuse_collection_change() CASCADE").await?;
        }
        for table in ["sepa_collection_items", "sepa_collections", "sepa_mandates"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
