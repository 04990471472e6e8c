//! Projekte: work done for a customer (name, staff member, due date, status, fee), its tasks in
//! their order with done flags, and the time spent on it (the billing issue turns unbilled time
//! into invoice items and sets `invoice_item_id`).
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
                    .table("projects")
                    .col(pk_auto("id"))
                    .col(integer("customer_id"))
                    .col(string_len("name", 200))
                    .col(integer_null("staff_id"))
                    .col(date_null("due_on"))
                    // waiting_order | waiting_info | in_progress | done
                    .col(string_len("status", 20))
                    // Integer cents; NULL when no fixed fee was agreed.
                    .col(big_integer_null("fee_cents"))
                    .col(text("description"))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .foreign_key(ForeignKey::create().from("projects", "customer_id").to("customers", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("project_tasks")
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer("customer_id"))
                    .col(string_len("title", 300))
                    .col(boolean("done"))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create().from("project_tasks", "project_id").to("projects", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create().from("project_tasks", "customer_id").to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("project_time_entries")
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer("customer_id"))
                    .col(integer("staff_id"))
                    .col(date("worked_on"))
                    .col(integer("minutes"))
                    .col(string_len("note", 500))
                    .col(integer_null("invoice_item_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create().from("project_time_entries", "project_id").to("projects", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("project_time_entries", "customer_id")
                            .to("customers", "id"),
                    )
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX projects_customer ON projects (customer_id, id)",
            "CREATE INDEX projects_due ON projects (status, due_on)",
            "CREATE INDEX project_tasks_project ON project_tasks (project_id, position)",
            "CREATE INDEX project_tasks_customer ON project_tasks (customer_id)",
            "CREATE INDEX project_time_project ON project_time_entries (project_id, worked_on)",
            "CREATE INDEX project_time_customer ON project_time_entries (customer_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["project_time_entries", "project_tasks", "projects"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
