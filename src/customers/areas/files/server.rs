//! Dateien on the server: its table in the records registry (erasure deletes the objects too,
//! through the clean-up list), file flags in the Verlauf, the number of files as the sidebar
//! figure.
use super::service::{ENTITY, names, undo};
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure, HistoryEntity, UndoBy};
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::db::entities::change;
use crate::error::AppResult;
use crate::records::registry::{CustomerRecords, Eraser, Export, TableClaim};
use crate::write::Ctx;

/// The files' rows; the storage key is the store's business, not data about the customer.
pub struct FileRecords;

const CLAIMS: &[TableClaim] = &[TableClaim {
    table: "customer_files",
    column: "customer_id",
    export: Export::Rows { withheld: &["storage_key"] },
}];

#[async_trait::async_trait]
impl CustomerRecords for FileRecords {
    fn area(&self) -> &'static str {
        "files"
    }

    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    /// The rows go, and their objects are listed for deletion in the same transaction.
    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        if eraser.execute {
            let now = chrono::Utc::now();
            crate::storage::cleanup::schedule_files(
                eraser.txn,
                now,
                "customer_id = $2",
                vec![eraser.customer_id.into()],
            )
            .await?;
        }
        eraser.delete(self.area(), "customer_files", "customer_id = $1").await?;
        Ok(())
    }
}

pub const SERVER: AreaServer = AreaServer {
    records: &[&FileRecords],
    entities: &[&FileFields],
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM customer_files WHERE customer_id = $1",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoFiles),
    ..AreaServer::NONE
};

/// Two files for every third demo customer: a price overview the customer may download and an
/// internal note. Only where the demo seeding has a store (the server's first start).
struct DemoFiles;

#[async_trait::async_trait]
impl DemoSeed for DemoFiles {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        use crate::storage::upload::Upload;
        let Some(store) = &demo.store else { return Ok(()) };
        let ctx = Ctx::quiet(db);
        for (i, &customer) in demo.customers.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
            let overview =
                format!("Leistung;Preis\nWebspace S;4,99 €\nDomain kunde{}.example;1,49 €\n", i + 1);
            let files = [
                ("Leistungsübersicht.csv", overview, true),
                ("Notiz intern.txt", "Zugang telefonisch bestätigt.\n".to_string(), false),
            ];
            for (name, text, released) in files {
                let key = crate::storage::Store::new_key();
                let mut writer = store.writer(&key).await?;
                writer.write(text.as_bytes()).await?;
                let stored = writer.finish().await?;
                let content_type =
                    crate::storage::sniff::sniff(text.as_bytes(), true, name).unwrap_or("text/plain");
                let upload = Upload {
                    key,
                    name: name.into(),
                    size: stored.size as i64,
                    content_type: content_type.into(),
                    sha256: stored.sha256,
                };
                super::service::register(&ctx, demo.staff_for(i), customer, &[upload], released, None)
                    .await?;
            }
        }
        Ok(())
    }
}

struct FileFields;

#[async_trait::async_trait]
impl HistoryEntity for FileFields {
    fn entity(&self) -> &'static str {
        ENTITY
    }

    async fn subjects(&self, db: &Db, customer_id: i32) -> AppResult<std::collections::HashMap<i32, String>> {
        names(db, customer_id).await
    }

    async fn undo(&self, ctx: &Ctx, by: UndoBy<'_>, c: &change::Model) -> AppResult<()> {
        undo(ctx, by.staff_id, by.customer_id, c).await
    }
}
