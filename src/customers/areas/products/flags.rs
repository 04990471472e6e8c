//! The Produkte area's two switches on the customer: "Lizenztransfers sperren / freigeben" and
//! "Update-Service aktivieren / deaktivieren". Both are customer fields (recorded in the
//! Verlauf like any Daten change). Switching the update service on starts a term for each active
//! licence whose service is not running; switching it off ends it for all of them.
use super::model::LicenceStatus;
use super::service::{ENTITY, today};
use crate::customers::areas::history::service::{FieldChange, record_changes};
use crate::customers::service as customers;
use crate::db::entities::{licence, product};
use crate::error::AppResult;
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::{Months, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use std::collections::HashMap;

/// Which switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    TransfersLocked,
    UpdateService,
}

/// Set `flag` of the customer (at `version`, the one the staff member saw) to `on`.
pub async fn set(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    version: i64,
    flag: Flag,
    on: bool,
) -> AppResult<()> {
    let mut change = customers::switch(ctx, actor, customer_id, version, |form| match flag {
        Flag::TransfersLocked => form.licence_transfer_locked = on,
        Flag::UpdateService => form.update_service = on,
    })
    .await?;
    let day = today();
    if flag == Flag::UpdateService {
        let txn = &change.txn;
        let terms: HashMap<i32, i32> = product::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.update_term_months))
            .collect();
        let licences = licence::Entity::find()
            .filter(licence::Column::CustomerId.eq(customer_id))
            .filter(licence::Column::Status.eq(LicenceStatus::Active.as_str()))
            .all(txn)
            .await?;
        for l in licences {
            let running = l.update_service && l.updates_until.is_some_and(|u| u >= day);
            let mut changes = Vec::new();
            let mut am = l.clone().into_active_model();
            if on && !running {
                let term = terms.get(&l.product_id).copied().unwrap_or(12).max(0) as u32;
                let until = day.checked_add_months(Months::new(term)).unwrap_or(day);
                changes.push(FieldChange {
                    field: "update_service".into(),
                    old: l.update_service.to_string(),
                    new: "true".into(),
                });
                changes.push(FieldChange {
                    field: "updates_until".into(),
                    old: l.updates_until.map(|d| d.to_string()).unwrap_or_default(),
                    new: until.to_string(),
                });
                changes.retain(|c| c.old != c.new);
                am.update_service = Set(true);
                am.updates_until = Set(Some(until));
            } else if !on && l.update_service {
                changes.push(FieldChange {
                    field: "update_service".into(),
                    old: "true".into(),
                    new: "false".into(),
                });
                am.update_service = Set(false);
            }
            if changes.is_empty() {
                continue;
            }
            am.version = Set(l.version + 1);
            am.updated_at = Set(Utc::now());
            am.updated_by = Set(actor.staff_id());
            am.update(txn).await?;
            record_changes(txn, customer_id, ENTITY, l.id, actor, &changes, None).await?;
        }
        change.touched(super::AREA.slug);
    }
    change.commit().await
}
