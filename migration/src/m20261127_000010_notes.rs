//! Notizen: notes on a customer (priority, assigned staff member, visibility in the
//! self-service area, pinned into the warnings row) and every earlier version of each note.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn note_columns(t: &mut TableCreateStatement) {
    t.col(string("title"))
        .col(text("body"))
        // low | medium | high | critical
        .col(string("priority"))
        .col(integer_null("assigned_staff_id"))
        // none | info | success | warning | error
        .col(string("visibility"))
        .col(boolean("pinned"));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut notes = Table::create().table("notes").col(pk_auto("id")).col(integer("customer_id")).take();
        note_columns(&mut notes);
        notes
            .col(big_integer("version"))
            .col(timestamp_with_time_zone("created_at"))
            .col(integer_null("created_by"))
            .col(timestamp_with_time_zone("updated_at"))
            .col(integer_null("updated_by"))
            .foreign_key(ForeignKey::create().from("notes", "customer_id").to("customers", "id"));
        manager.create_table(notes).await?;
        manager
            .create_index(Index::create().name("notes_customer").table("notes").col("customer_id").take())
            .await?;

        let mut versions = Table::create()
            .table("note_versions")
            .col(pk_auto("id"))
            .col(integer("note_id"))
            .col(integer("customer_id"))
            .take();
        note_columns(&mut versions);
        versions
            .col(big_integer("version"))
            .col(timestamp_with_time_zone("edited_at"))
            .col(integer_null("edited_by"))
            .foreign_key(ForeignKey::create().from("note_versions", "note_id").to("notes", "id"))
            .foreign_key(ForeignKey::create().from("note_versions", "customer_id").to("customers", "id"));
        manager.create_table(versions).await?;
        manager
            .create_index(
                Index::create().name("note_versions_note").table("note_versions").col("note_id").take(),
            )
            .await?;
        Ok(())
    }
}
