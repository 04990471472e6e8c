//! Kontakte: further contact persons of a customer, the kinds of mail they get in CC and the
//! rights of their own self-service login (the login itself is a portal_logins row with
//! contact_id set). A removed contact stays (inactive) so its history keeps its subject.
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
                    .table("contacts")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(string("salutation").default(""))
                    .col(string("first_name").default(""))
                    .col(string("last_name").default(""))
                    .col(string("email"))
                    .col(string("phone").default(""))
                    // The contact's role at the customer (Buchhaltung, Technik, …).
                    .col(string("position").default(""))
                    .col(string("language"))
                    // Comma-separated: invoices, dunning, tickets, products, all.
                    .col(string("cc_kinds").default(""))
                    .col(boolean("portal_access").default(false))
                    // Comma-separated portal areas the contact's login may open.
                    .col(string("portal_rights").default(""))
                    .col(boolean("active").default(true))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("contacts", "customer_id")
                            .to("customers", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("contacts_customer").table("contacts").col("customer_id").take(),
            )
            .await?;
        Ok(())
    }
}
