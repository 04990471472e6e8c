//! Dateien on the server: its table in the records registry (erasure deletes the objects too,
//! through the clean-up list), file flags in the Verlauf, the number of files as the sidebar
//! figure.
use super::service::{ENTITY, names, undo};
use crate::customers::areas::server::{AreaServer, Figure, HistoryEntity, UndoBy};
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
    ..AreaServer::NONE
};

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
