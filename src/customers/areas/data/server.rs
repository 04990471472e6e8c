//! Daten on the server: the master record in the records registry (with the portal logins
//! that belong to it), undo of the customer's own fields, and the record's warnings.
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, HistoryEntity, UndoBy, WarningSource};
use crate::customers::model::{CustomerDetail, Warning};
use crate::customers::service::{self as customers, Actor};
use crate::db::Db;
use crate::db::entities::change;
use crate::error::{AppError, AppResult, FieldError};
use crate::ui::fields::{read, write};
use sea_orm::DatabaseTransaction;

pub const SERVER: AreaServer = AreaServer {
    records: &[&customers::RECORDS],
    entities: &[&CustomerFields],
    warnings: Some(&RecordWarnings),
    demo: Some(&DemoChanges),
    ..AreaServer::NONE
};

/// The customer's own fields in the Verlauf (`changes.entity` "customer").
struct CustomerFields;

#[async_trait::async_trait]
impl HistoryEntity for CustomerFields {
    fn entity(&self) -> &'static str {
        "customer"
    }

    /// The field gets its old value back through a normal, validated, version-checked save.
    async fn undo(&self, ctx: &crate::write::Ctx, by: UndoBy<'_>, c: &change::Model) -> AppResult<()> {
        let current = customers::detail(&ctx.db, by.customer_id).await?;
        if read(&current.form, &c.field) != c.new_value {
            return Err(AppError::Validation(vec![FieldError::new(
                c.field.clone(),
                "history.changed_since",
            )]));
        }
        let mut form = current.form.clone();
        write(&mut form, &c.field, c.old_value.clone());
        customers::update_reverting(
            ctx,
            Actor::Staff(by.staff_id),
            by.customer_id,
            current.version,
            &form,
            by.today,
            Some(c.id),
        )
        .await?;
        Ok(())
    }
}

/// Erased, locked, an unconfirmed e-mail address, dunning off.
struct RecordWarnings;

#[async_trait::async_trait]
impl WarningSource for RecordWarnings {
    async fn warnings(
        &self,
        _txn: &DatabaseTransaction,
        customer: &CustomerDetail,
    ) -> AppResult<Vec<Warning>> {
        Ok(customers::warnings(customer))
    }
}

/// A Verlauf with entries by different staff members: a new phone number, then a moved customer
/// or a newsletter choice, alternating.
struct DemoChanges;

#[async_trait::async_trait]
impl DemoSeed for DemoChanges {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        let today = customers::today();
        let quiet = crate::write::Ctx::quiet(db);
        for (i, &id) in demo.customers.iter().enumerate() {
            let current = customers::detail(db, id).await?;
            let mut form = current.form.clone();
            form.phone = format!("+49 30 {:07}", 1_000_000 + i * 7919 % 9_000_000);
            let saved =
                customers::update(&quiet, Actor::Staff(demo.staff_for(i)), id, current.version, &form, today)
                    .await?;
            let mut form = saved.detail.form.clone();
            if i % 2 == 0 {
                form.newsletter = !form.newsletter;
            } else {
                form.street = "Lindenallee".into();
                form.house_number = format!("{}", 3 + i % 40);
            }
            customers::update(
                &quiet,
                Actor::Staff(demo.staff_for(i + 1)),
                id,
                saved.detail.version,
                &form,
                today,
            )
            .await?;
        }
        Ok(())
    }
}
