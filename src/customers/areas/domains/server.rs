//! Domains on the server: the table in the records registry (auth codes never in the report;
//! erasure refused while a domain is registered with us, an ended one kept as a business letter),
//! the live domains as the sidebar figure.
use crate::customers::areas::server::{AreaServer, Figure};
use crate::customers::model::FigureKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::records::erasure::{Eraser, RetentionClass};
use crate::records::registry::{CustomerRecords, Export, TableClaim};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

pub struct DomainRecords;

const CLAIMS: &[TableClaim] = &[TableClaim {
    table: "domains",
    column: "customer_id",
    export: Export::Rows { withheld: &["authcode", "transfer_authcode"] },
}];

#[async_trait::async_trait]
impl CustomerRecords for DomainRecords {
    fn area(&self) -> &'static str {
        "domains"
    }

    fn claims(&self) -> &'static [TableClaim] {
        CLAIMS
    }

    /// A domain still registered with us (or on its way) refuses the erasure: it must be
    /// deleted or transferred away first. An ended one was a contract and is kept from its end;
    /// one only ordered goes.
    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        use crate::db::entities::domain;
        let mine = domain::Entity::find().filter(domain::Column::CustomerId.eq(eraser.customer_id));
        let live = mine
            .clone()
            .filter(domain::Column::Status.is_not_in(["ordered", "deleted", "transfer_out"]))
            .all(eraser.txn)
            .await?
            .len();
        if live > 0 {
            return Err(AppError::Validation(vec![
                FieldError::new("customer", "erase.live_domains").with("count", live.to_string()),
            ]));
        }
        let ended = mine
            .filter(domain::Column::Status.is_in(["deleted", "transfer_out"]))
            .select_only()
            .columns([domain::Column::Id, domain::Column::EndedAt])
            .into_tuple::<(i32, Option<chrono::DateTime<chrono::Utc>>)>()
            .all(eraser.txn)
            .await?;
        let berlin =
            |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
        let today = crate::customers::service::business_day();
        let kept = ended.into_iter().map(|(id, at)| (id, at.map(berlin).unwrap_or(today))).collect();
        eraser.retain("domains", "domains", RetentionClass::BusinessLetters, kept).await?;
        eraser.delete("domains", "domains", "customer_id = $1 AND status = 'ordered'").await?;
        Ok(())
    }
}

pub const SERVER: AreaServer = AreaServer {
    records: &[&DomainRecords],
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM domains WHERE customer_id = $1 AND status NOT IN ('deleted', 'transfer_out')",
        kind: FigureKind::Count,
    }),
    ..AreaServer::NONE
};
