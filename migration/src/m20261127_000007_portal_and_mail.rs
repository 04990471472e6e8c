//! The customer self-service login, single-use password reset links, the mail outbox, the
//! customer event log (append-only) and the IP addresses customers used; staff acting as a
//! customer is marked on their session.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

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
                    .table("portal_logins")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    // Contacts' own logins (a later change) fill this.
                    .col(integer_null("contact_id"))
                    .col(string_uniq("email"))
                    .col(string_null("password_hash"))
                    .col(string_null("totp_secret"))
                    .col(big_integer("totp_last_step").default(0))
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .foreign_key(&mut fk("portal_logins", "customer_id", "customers"))
                    .take(),
            )
            .await?;
        manager.create_index(index("portal_logins", "portal_logins_customer", &["customer_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("password_resets")
                    .col(string("token_hash").primary_key())
                    .col(integer("login_id"))
                    .col(integer("customer_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut fk("password_resets", "login_id", "portal_logins"))
                    .foreign_key(&mut fk("password_resets", "customer_id", "customers"))
                    .take(),
            )
            .await?;
        manager.create_index(index("password_resets", "password_resets_customer", &["customer_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("mail_outbox")
                    .col(pk_auto("id"))
                    .col(integer_null("customer_id"))
                    .col(string("template"))
                    .col(string("to_addr"))
                    .col(text("cc").default(""))
                    .col(string("subject"))
                    .col(text("body"))
                    // queued | sending | sent | failed
                    .col(string("status"))
                    .col(integer("attempts").default(0))
                    .col(text("last_error").default(""))
                    .col(integer_null("staff_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .foreign_key(&mut fk("mail_outbox", "customer_id", "customers"))
                    .take(),
            )
            .await?;
        manager.create_index(index("mail_outbox", "mail_outbox_customer", &["customer_id", "id"])).await?;
        manager.create_index(index("mail_outbox", "mail_outbox_status", &["status", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("events")
                    .col(pk_auto("id"))
                    .col(integer_null("customer_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("kind"))
                    // customer | contact | staff | system
                    .col(string("actor_kind"))
                    .col(integer_null("actor_id"))
                    .col(integer_null("impersonator_staff_id"))
                    .col(string_null("ip"))
                    .col(string_null("user_agent"))
                    .col(text("payload").default(""))
                    .foreign_key(&mut fk("events", "customer_id", "customers"))
                    .take(),
            )
            .await?;
        manager.create_index(index("events", "events_customer", &["customer_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("customer_ips")
                    .col(integer("customer_id"))
                    .col(string("ip"))
                    // login | order | api
                    .col(string("source"))
                    .col(timestamp_with_time_zone("first_seen"))
                    .col(timestamp_with_time_zone("last_seen"))
                    .col(big_integer("count").default(1))
                    .primary_key(Index::create().col("customer_id").col("ip").col("source"))
                    .foreign_key(&mut fk("customer_ips", "customer_id", "customers"))
                    .take(),
            )
            .await?;
        manager.create_index(index("customer_ips", "customer_ips_ip", &["ip"])).await?;

        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE sessions ADD COLUMN impersonator_staff_id INTEGER NULL").await?;
        db.execute_unprepared("ALTER TABLE sessions ADD COLUMN reason TEXT NOT NULL DEFAULT ''").await?;
        Ok(())
    }
}
