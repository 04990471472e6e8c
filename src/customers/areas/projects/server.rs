//! Projekte on the server: its tables in the records registry, projects in the Verlauf, overdue
//! projects in the warnings row, open projects as the sidebar figure, demo projects.
use super::model::{ProjectInput, ProjectStatus, TimeInput};
use super::service::{ENTITY, add_task, add_time, names, overdue_names, save, set_task_done, undo};
use crate::customers::areas::server::{
    AreaServer, Demo, DemoSeed, Figure, HistoryEntity, UndoBy, WarningSource,
};
use crate::customers::model::{CustomerDetail, FigureKind, Warning};
use crate::db::Db;
use crate::db::entities::change;
use crate::error::AppResult;
use crate::events::actor::Actor;
use crate::records::registry::{TableClaim, Tables};
use crate::write::Ctx;
use sea_orm::DatabaseTransaction;

/// Projects, their tasks and time in the records registry (parents first: erasure deletes the
/// other way round). Billed time becomes an accounting record with the billing issue.
pub const RECORDS: Tables = Tables {
    area: "projects",
    claims: &[
        TableClaim::rows("projects", "customer_id"),
        TableClaim::rows("project_tasks", "customer_id"),
        TableClaim::rows("project_time_entries", "customer_id"),
    ],
};

pub const SERVER: AreaServer = AreaServer {
    records: &[&RECORDS],
    entities: &[&ProjectFields],
    warnings: Some(&Overdue),
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM projects WHERE customer_id = $1 AND status <> 'done'",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoProjects),
    ..AreaServer::NONE
};

struct ProjectFields;

#[async_trait::async_trait]
impl HistoryEntity for ProjectFields {
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

/// Open projects past their due date.
struct Overdue;

#[async_trait::async_trait]
impl WarningSource for Overdue {
    async fn warnings(
        &self,
        txn: &DatabaseTransaction,
        customer: &CustomerDetail,
    ) -> AppResult<Vec<Warning>> {
        Ok(overdue_names(txn, customer.id)
            .await?
            .into_iter()
            .map(|name| Warning {
                key: "warning.project_overdue".into(),
                tone: "warning".into(),
                args: vec![("name".into(), name)],
            })
            .collect())
    }
}

/// A shop set-up project for every third demo customer, with tasks and time; every sixth is
/// overdue (it shows in the warnings row).
struct DemoProjects;

#[async_trait::async_trait]
impl DemoSeed for DemoProjects {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        let ctx = Ctx::quiet(db);
        for (i, &customer) in demo.customers.iter().enumerate().filter(|(i, _)| i % 3 == 1) {
            let staff = demo.staff_for(i);
            let input = ProjectInput {
                name: "Shop-Einrichtung".into(),
                staff_id: Some(staff),
                due_on: if i % 6 == 1 { "2026-10-31".into() } else { "2027-03-31".into() },
                status: ProjectStatus::InProgress,
                fee: "1.250,00".into(),
                description: "Einrichtung des Shops mit Zahlungsarten und Versand.".into(),
                ..Default::default()
            };
            let project = save(&ctx, Actor::Staff(staff), customer, &input).await?;
            for (n, title) in ["Vorgespräch", "Theme anpassen", "Zahlungsarten einrichten"].iter().enumerate()
            {
                let task = add_task(&ctx, customer, project, title).await?;
                if n == 0 {
                    set_task_done(&ctx, customer, task, true).await?;
                }
            }
            let time = TimeInput { worked_on: "2026-11-20".into(), minutes: 90, note: "Vorgespräch".into() };
            add_time(&ctx, staff, customer, project, &time).await?;
        }
        Ok(())
    }
}
