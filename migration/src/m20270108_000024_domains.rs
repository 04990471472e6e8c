//! The customers' domains and the registrars that register them. A domain is stored as its
//! A-label; a live one exists once (a partial unique index, whatever the customer). The
//! customer's expiry (paid until) and the registry's are kept apart.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("registrars")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("name", 100))
                    // manual | epp
                    .col(string_len("module", 20))
                    .col(string_len("host", 253))
                    .col(integer("port"))
                    .col(string_len("username", 80))
                    // The password or API key, sealed by auth::secrets; '' for none.
                    .col(text("secret"))
                    .col(text("settings"))
                    .col(boolean("active"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("domains")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(string_len("ace_name", 253))
                    .col(string_len("unicode_name", 253))
                    .col(integer("tld_id"))
                    .col(integer_null("registrar_id"))
                    // ordered | registration_pending | transfer_pending | active | transfer_out |
                    // expired | redemption | deleted | error
                    .col(string_len("status", 20))
                    // register | transfer: how the domain comes to us (its first registrar job).
                    .col(string_len("order_kind", 10))
                    // What the registry says (EPP statuses), as sent.
                    .col(string_len("registry_status", 500))
                    // The registry's text when the status is `error`.
                    .col(string_len("error_text", 500))
                    .col(date_null("registered_on"))
                    // The customer's expiry: paid until.
                    .col(date_null("expires_on"))
                    // The registry's; none where it sells no terms.
                    .col(timestamp_with_time_zone_null("registry_expires_at"))
                    .col(boolean("auto_renew"))
                    .col(boolean("transfer_lock"))
                    // JSON: [{"host": …, "ips": […]}], A-labels.
                    .col(text("nameservers"))
                    .col(string_len("owner_handle", 64))
                    .col(string_len("admin_handle", 64))
                    .col(string_len("tech_handle", 64))
                    .col(string_len("zone_handle", 64))
                    // Sealed; '' for none.
                    .col(text("authcode"))
                    .col(text("transfer_authcode"))
                    .col(integer_null("included_hosting_id"))
                    .col(timestamp_with_time_zone_null("synced_at"))
                    // When it was deleted or went to another provider.
                    .col(timestamp_with_time_zone_null("ended_at"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .foreign_key(ForeignKey::create().from("domains", "customer_id").to("customers", "id"))
                    .foreign_key(ForeignKey::create().from("domains", "tld_id").to("tlds", "id"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            // One live domain of a name: a second order is refused, whoever orders it.
            "CREATE UNIQUE INDEX domains_live_name ON domains (ace_name) \
             WHERE status NOT IN ('deleted', 'transfer_out')",
            "CREATE INDEX domains_name ON domains (ace_name)",
            "CREATE INDEX domains_customer ON domains (customer_id, status)",
            "CREATE INDEX domains_due ON domains (status, expires_on)",
            "CREATE INDEX domains_registrar ON domains (registrar_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["domains", "registrars"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
