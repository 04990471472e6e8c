//! Mails that carry a set-password link keep the link's secret apart from the text: the stored
//! and shown text has the token redacted, the sender puts it in at delivery and then forgets it.
//! Texts stored before this carry usable tokens: they are redacted here.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What stands in a stored text for a link's token (`clientdesk::mail::REDACTED_TOKEN`).
const REDACTED: &str = "••••••••";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("mail_outbox").add_column(text_null("secret")).take())
            .await?;
        let db = manager.get_connection();
        let rows = db
            .query_all_raw(sea_orm_migration::sea_orm::Statement::from_string(
                manager.get_database_backend(),
                "SELECT id, body FROM mail_outbox WHERE body LIKE '%token=%'",
            ))
            .await?;
        for row in rows {
            let id: i32 = row.try_get("", "id")?;
            let body: String = row.try_get("", "body")?;
            let redacted = redact(&body);
            if redacted != body {
                let stmt = sea_orm_migration::sea_orm::Statement::from_sql_and_values(
                    manager.get_database_backend(),
                    match manager.get_database_backend() {
                        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                            "UPDATE mail_outbox SET body = $1 WHERE id = $2"
                        }
                        _ => "UPDATE mail_outbox SET body = ? WHERE id = ?",
                    },
                    [redacted.into(), id.into()],
                );
                db.execute_raw(stmt).await?;
            }
        }
        Ok(())
    }

    /// The column goes; redacted texts stay redacted (their tokens are gone).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mail_outbox").drop_column("secret").take()).await
    }
}

/// Every `token=<letters and digits>` with its value replaced.
fn redact(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("token=") {
        let (before, after) = rest.split_at(at + "token=".len());
        out.push_str(before);
        let end = after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len());
        out.push_str(if end > 0 { REDACTED } else { "" });
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
