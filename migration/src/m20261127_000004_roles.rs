//! Staff roles: the built-in ones (their permissions are defined in code) and operator-defined
//! ones with their permissions stored here. Existing staff become administrators.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BUILTIN: [(&str, &str); 4] = [
    ("administrator", "Administrator"),
    ("support", "Support"),
    ("accounting", "Buchhaltung"),
    ("readonly", "Nur lesen"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("roles")
                    .col(pk_auto("id"))
                    .col(string_uniq("key"))
                    .col(string("name"))
                    .col(boolean("builtin").default(false))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("role_permissions")
                    .col(integer("role_id"))
                    .col(string("permission"))
                    .primary_key(Index::create().col("role_id").col("permission"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("role_permissions", "role_id")
                            .to("roles", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        let mut insert = Query::insert().into_table("roles").columns(["key", "name", "builtin"]).take();
        for (key, name) in BUILTIN {
            insert.values_panic([key.into(), name.into(), true.into()]);
        }
        manager.exec_stmt(insert).await?;
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE staff ADD COLUMN role_id INTEGER REFERENCES roles(id)").await?;
        db.execute_unprepared(
            "UPDATE staff SET role_id = (SELECT id FROM roles WHERE key = 'administrator')",
        )
        .await?;
        Ok(())
    }
}
