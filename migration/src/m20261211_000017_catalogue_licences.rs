//! Produkte, first part: the software catalogue (products with their Ed25519 signing key and
//! their releases) and the customers' software licences.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

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
                    .table("products")
                    .col(pk_auto("id"))
                    // Stable short name: the licence check names the product by it.
                    .col(string_len_uniq("slug", 40))
                    .col(string_len("name", 200))
                    .col(boolean("active"))
                    // How long one term of update service lasts.
                    .col(integer("update_term_months"))
                    // How many hosts one licence may be bound to.
                    .col(integer("max_bindings"))
                    // Ed25519: the public key is handed to the vendor's software, the private key
                    // (PKCS#8) is stored sealed and never leaves the server.
                    .col(string("public_key"))
                    .col(text("signing_key"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("product_releases")
                    .col(pk_auto("id"))
                    .col(integer("product_id"))
                    .col(string_len("version", 40))
                    .col(date("released_on"))
                    .col(text("notes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("created_by"))
                    .foreign_key(
                        ForeignKey::create().from("product_releases", "product_id").to("products", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index("product_releases", "product_releases_version", &["product_id", "version"])
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(index("product_releases", "product_releases_date", &["product_id", "released_on"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("licences")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(integer("product_id"))
                    // The key's normal form: 25 Crockford symbols, no dashes.
                    .col(string_len_uniq("key_norm", 25))
                    .col(string_len("version_bought", 40))
                    .col(string_len("current_version", 40))
                    .col(date("contract_date"))
                    // in_progress | active | locked | cancelled
                    .col(string_len("status", 20))
                    .col(string_len("lock_reason", 500))
                    .col(timestamp_with_time_zone_null("locked_at"))
                    .col(date_null("cancelled_on"))
                    // one_time | monthly | quarterly | semiannual | yearly | biennial
                    .col(string_len("billing_cycle", 20))
                    .col(boolean("update_service"))
                    .col(date_null("updates_until"))
                    // The reseller through whom the customer has it (others' data: not reported).
                    .col(integer_null("reseller_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .foreign_key(ForeignKey::create().from("licences", "customer_id").to("customers", "id"))
                    .foreign_key(ForeignKey::create().from("licences", "product_id").to("products", "id"))
                    .foreign_key(ForeignKey::create().from("licences", "reseller_id").to("customers", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("licences", "licences_customer", &["customer_id", "id"])).await?;
        // "Who gets this update": the product's licences by the end of their update service.
        manager.create_index(index("licences", "licences_updates", &["product_id", "updates_until"])).await?;
        manager.create_index(index("licences", "licences_reseller", &["reseller_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["licences", "product_releases", "products"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
