//! Staff, sessions, customers with groups and custom fields, and the search indexes.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_table: &'static str, from_col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to, "id").on_delete(ForeignKeyAction::Restrict).take()
}

fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).take();
    for c in cols {
        stmt.col(*c);
    }
    stmt
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("counters")
                    .col(string("name").primary_key())
                    .col(big_integer("value"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("staff")
                    .col(pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(string("password_hash"))
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string("id_hash").primary_key())
                    .col(string("principal_kind"))
                    .col(integer("principal_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(string_null("ip"))
                    .col(string_null("user_agent"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("sessions", "sessions_principal", &["principal_kind", "principal_id"]))
            .await?;

        manager
            .create_table(
                Table::create().table("customer_groups").col(pk_auto("id")).col(string_uniq("name")).take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("customers")
                    .col(pk_auto("id"))
                    .col(string_uniq("number"))
                    .col(string("status"))
                    .col(string("kind"))
                    .col(string("salutation"))
                    .col(string("first_name"))
                    .col(string("last_name"))
                    .col(string("company"))
                    .col(string("email"))
                    .col(string("phone"))
                    .col(string("fax"))
                    .col(date_null("birth_date"))
                    .col(string("street"))
                    .col(string("house_number"))
                    .col(string("postcode"))
                    .col(string("city"))
                    .col(string("country"))
                    .col(string("language"))
                    .col(string("currency"))
                    .col(string("website"))
                    .col(string("vat_id"))
                    .col(integer_null("group_id"))
                    .col(string("price_level"))
                    .col(boolean("invoice_address_enabled"))
                    .col(string("invoice_company"))
                    .col(string("invoice_name"))
                    .col(string("invoice_street"))
                    .col(string("invoice_house_number"))
                    .col(string("invoice_postcode"))
                    .col(string("invoice_city"))
                    .col(string("invoice_country"))
                    .col(integer("payment_term_days"))
                    .col(string("taxation"))
                    .col(boolean("is_reseller"))
                    .col(integer_null("reseller_id"))
                    .col(boolean("newsletter"))
                    .col(boolean("account_locked"))
                    .col(boolean("orders_allowed"))
                    .col(boolean("products_downloadable"))
                    .col(boolean("api_access"))
                    .col(string_null("api_key_hash"))
                    .col(boolean("dunning_off"))
                    .col(boolean("licence_transfer_locked"))
                    .col(boolean("update_service"))
                    .col(boolean("domain_contacts_enabled"))
                    .col(boolean("domain_api_enabled"))
                    .col(boolean("authcode_locked"))
                    .col(string_null("pending_email"))
                    .col(string("source"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .col(string_null("last_ip"))
                    .col(text("search_text"))
                    .col(string("sort_name"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("customers", "group_id", "customer_groups"))
                    .foreign_key(&mut fk("customers", "reseller_id", "customers"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("customers_sort_name", &["sort_name", "id"][..]),
            ("customers_status", &["status"][..]),
            ("customers_group", &["group_id"][..]),
            ("customers_reseller", &["reseller_id"][..]),
            ("customers_city", &["city"][..]),
            ("customers_created", &["created_at"][..]),
        ] {
            manager.create_index(index("customers", name, cols)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("custom_field_defs")
                    .col(pk_auto("id"))
                    .col(string_uniq("key"))
                    .col(string("label_de"))
                    .col(string("label_en"))
                    .col(string("kind"))
                    .col(text("options"))
                    .col(boolean("required"))
                    .col(integer("position"))
                    .col(boolean("active"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("custom_field_values")
                    .col(integer("customer_id"))
                    .col(integer("field_id"))
                    .col(text("value"))
                    .primary_key(Index::create().col("customer_id").col("field_id"))
                    .foreign_key(&mut fk("custom_field_values", "customer_id", "customers"))
                    .foreign_key(&mut fk("custom_field_values", "field_id", "custom_field_defs"))
                    .take(),
            )
            .await?;

        // The search index: one normalised column, searched by substring through a trigram index.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE customers_fts USING fts5(search_text, content='customers', \
                     content_rowid='id', tokenize='trigram')",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN \
                     INSERT INTO customers_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN \
                     INSERT INTO customers_fts(customers_fts, rowid, search_text) \
                     VALUES ('delete', old.id, old.search_text); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER customers_fts_au AFTER UPDATE OF search_text ON customers BEGIN \
                     INSERT INTO customers_fts(customers_fts, rowid, search_text) \
                     VALUES ('delete', old.id, old.search_text); \
                     INSERT INTO customers_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
                )
                .await?;
            }
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await?;
                db.execute_unprepared(
                    "CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)",
                )
                .await?;
            }
            other => {
                return Err(DbErr::Migration(format!("unsupported database backend {other:?}")));
            }
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the foundation migration cannot be reverted".into()))
    }
}
