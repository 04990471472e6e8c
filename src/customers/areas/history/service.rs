//! The Verlauf: field-by-field changes recorded inside the transaction that makes them, and
//! undo, which appends a reversing change through the normal save path (so it is validated,
//! version-checked and recorded like any save).
use super::model::ChangeRow;
use crate::customers::areas::registry;
use crate::customers::areas::server::{AreaServer, TimelineSource, UndoBy};
use crate::customers::areas::timeline::model::TimelineItem;
use crate::customers::model::{CustomerForm, CustomerProfile};
use crate::customers::service::{self as customers, Actor};
use crate::customers::validate::Ymd;
use crate::db::Db;
use crate::db::entities::change;
use crate::error::{AppError, AppResult};
use crate::ui::fields::read;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeSet, HashMap};

/// Every field name of two forms, custom fields included (the Verlauf diffs and the merge
/// preview compare over them).
pub fn field_names(a: &CustomerForm, b: &CustomerForm) -> Vec<String> {
    let mut names: Vec<String> =
        CustomerForm::TEXT_FIELDS.iter().chain(CustomerForm::FLAGS).map(|f| f.to_string()).collect();
    let custom: BTreeSet<&String> = a.custom.keys().chain(b.custom.keys()).collect();
    names.extend(custom.into_iter().map(|k| format!("custom.{k}")));
    names
}

/// One changed field of one record, as stored text.
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// The fields among `fields` whose two readings differ, as the Verlauf records them.
pub fn differing(
    fields: &[&str],
    before: impl Fn(&str) -> Option<String>,
    after: impl Fn(&str) -> Option<String>,
) -> Vec<FieldChange> {
    fields
        .iter()
        .filter_map(|f| {
            let (old, new) = (before(f).unwrap_or_default(), after(f).unwrap_or_default());
            (old != new).then(|| FieldChange { field: f.to_string(), old, new })
        })
        .collect()
}

/// Record each field that differs between `before` and `after`, in the caller's transaction.
pub async fn record_diff<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    actor: Actor,
    before: &CustomerForm,
    after: &CustomerForm,
    reverts: Option<i32>,
) -> AppResult<usize> {
    let changes: Vec<FieldChange> = field_names(before, after)
        .into_iter()
        .map(|field| FieldChange { old: read(before, &field), new: read(after, &field), field })
        .filter(|c| c.old != c.new)
        .collect();
    record_changes(db, customer_id, "customer", customer_id, actor, &changes, reverts).await
}

/// Record changed fields of one record (`entity` names its kind: customer, contact), in the
/// caller's transaction.
pub async fn record_changes<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    entity: &str,
    entity_id: i32,
    actor: Actor,
    changes: &[FieldChange],
    reverts: Option<i32>,
) -> AppResult<usize> {
    let (actor_kind, actor_id, on_behalf_of) = actor.columns();
    let now = Utc::now();
    let mut written = 0;
    for c in changes {
        change::ActiveModel {
            customer_id: Set(customer_id),
            entity: Set(entity.into()),
            entity_id: Set(entity_id),
            field: Set(c.field.clone()),
            old_value: Set(c.old.clone()),
            new_value: Set(c.new.clone()),
            actor_kind: Set(actor_kind.into()),
            actor_id: Set(actor_id),
            on_behalf_of: Set(on_behalf_of),
            at: Set(now),
            reverts_change_id: Set(reverts),
            ..Default::default()
        }
        .insert(db)
        .await?;
        written += 1;
    }
    Ok(written)
}

/// The newest changes first; `who` limits them to one kind of actor.
pub async fn list(db: &Db, customer_id: i32, who: &str, limit: u64) -> AppResult<Vec<ChangeRow>> {
    let mut q = change::Entity::find().filter(change::Column::CustomerId.eq(customer_id));
    if !who.is_empty() {
        q = q.filter(change::Column::ActorKind.eq(who));
    }
    let rows = q.order_by_desc(change::Column::Id).limit(limit).all(db).await?;
    let reverted: HashMap<i32, i32> = change::Entity::find()
        .filter(change::Column::CustomerId.eq(customer_id))
        .filter(change::Column::RevertsChangeId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| c.reverts_change_id.map(|r| (r, c.id)))
        .collect();
    let names = crate::customers::areas::log::service::actor_names(db, customer_id).await?;
    // Whose field changed, for entities with several records per customer (contacts).
    let mut subjects: HashMap<(&str, i32), String> = HashMap::new();
    for entity in registry::history_entities() {
        for (id, name) in entity.subjects(db, customer_id).await? {
            subjects.insert((entity.entity(), id), name);
        }
    }
    Ok(rows
        .into_iter()
        .map(|c| ChangeRow {
            actor_name: names.name(&c.actor_kind, c.actor_id),
            on_behalf_of: c.on_behalf_of.and_then(|id| names.staff.get(&id).cloned()),
            subject: subjects.get(&(c.entity.as_str(), c.entity_id)).cloned(),
            entity: c.entity,
            reverted_by: reverted.get(&c.id).copied(),
            id: c.id,
            at: c.at.to_rfc3339(),
            field: c.field,
            old_value: c.old_value,
            new_value: c.new_value,
            actor_kind: c.actor_kind,
            reverts: c.reverts_change_id,
        })
        .collect())
}

/// Undo one change: the area owning its entity saves the old value back through its normal
/// save path, naming the change it reverts. Refused when the field changed again since
/// (nothing is overwritten); "not found" for an entity no area claims (nothing changes).
pub async fn undo(
    ctx: &crate::write::Ctx,
    staff_id: i32,
    customer_id: i32,
    change_id: i32,
    today: Ymd,
    base_url: &str,
) -> AppResult<CustomerProfile> {
    let c = change::Entity::find_by_id(change_id)
        .filter(change::Column::CustomerId.eq(customer_id))
        .one(&ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The entity's own save path publishes its area's event (the Daten form learns the version).
    let (_, entity) = registry::history_entity(&c.entity).ok_or(AppError::NotFound)?;
    entity.undo(ctx, UndoBy { staff_id, customer_id, today, base_url }, &c).await?;
    customers::profile(&ctx.db, customer_id).await
}

/// The Verlauf in the customer-records registry.
pub const RECORDS: crate::records::registry::Tables = crate::records::registry::Tables {
    area: "history",
    claims: &[crate::records::registry::TableClaim::rows("changes", "customer_id")],
};

pub const SERVER: AreaServer =
    AreaServer { records: &[&RECORDS], timeline: Some(&Timeline), ..AreaServer::NONE };

/// Changes in the Zeitleiste: titled "entity.field", the detail says whose and old → new.
struct Timeline;

#[async_trait::async_trait]
impl TimelineSource for Timeline {
    async fn items(&self, db: &Db, customer_id: i32, limit: u64) -> AppResult<Vec<TimelineItem>> {
        Ok(list(db, customer_id, "", limit)
            .await?
            .into_iter()
            .map(|c| TimelineItem {
                actor: c.on_behalf_of.clone().unwrap_or(c.actor_name.clone()),
                title: format!("{}.{}", c.entity, c.field),
                detail: match &c.subject {
                    Some(subject) => format!("{subject}: {} → {}", c.old_value, c.new_value),
                    None => format!("{} → {}", c.old_value, c.new_value),
                },
                at: c.at,
                kind: "change".into(),
            })
            .collect())
    }
}
