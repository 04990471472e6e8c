//! Notes: created and edited with a version check; every edit first keeps the previous version
//! with its author and time. Pinned notes feed the warnings row; visible ones the portal.
use super::model::*;
use crate::customers::areas::server::{AreaServer, Figure, TimelineSource, WarningSource};
use crate::customers::areas::timeline::model::TimelineItem;
use crate::customers::model::{CustomerDetail, FigureKind, Warning};
use crate::db::Db;
use crate::db::entities::{note, note_version, staff};
use crate::error::{AppError, AppResult, FieldError};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// The longest note text, in characters.
pub const MAX_BODY: usize = 20_000;

fn validate(input: &NoteInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let title = input.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "validation.required"));
    }
    use crate::text::{Lines, check};
    check(&mut errors, "title", title, 200, Lines::One);
    check(&mut errors, "body", &input.body, MAX_BODY, Lines::Many);
    errors
}

async fn names<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<i32, String>> {
    Ok(staff::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect())
}

pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<NoteRow>> {
    let names = names(db).await?;
    let name = |id: Option<i32>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    let notes = note::Entity::find()
        .filter(note::Column::CustomerId.eq(customer_id))
        .order_by_desc(note::Column::Pinned)
        .order_by_desc(note::Column::UpdatedAt)
        .all(db)
        .await?;
    let mut versions: HashMap<i32, Vec<NoteVersion>> = HashMap::new();
    for v in note_version::Entity::find()
        .filter(note_version::Column::CustomerId.eq(customer_id))
        .order_by_desc(note_version::Column::Id)
        .all(db)
        .await?
    {
        versions.entry(v.note_id).or_default().push(NoteVersion {
            version: v.version,
            title: v.title,
            body: v.body,
            edited_at: v.edited_at.to_rfc3339(),
            edited_by: name(v.edited_by),
        });
    }
    Ok(notes
        .into_iter()
        .map(|n| NoteRow {
            assigned_name: n.assigned_staff_id.and_then(|i| names.get(&i).cloned()),
            created_at: n.created_at.to_rfc3339(),
            created_by: name(n.created_by),
            updated_at: n.updated_at.to_rfc3339(),
            updated_by: name(n.updated_by),
            versions: versions.remove(&n.id).unwrap_or_default(),
            input: NoteInput {
                id: Some(n.id),
                version: n.version,
                title: n.title,
                body: n.body,
                priority: Priority::parse(&n.priority).unwrap_or_default(),
                assigned_staff_id: n.assigned_staff_id,
                visibility: Visibility::parse(&n.visibility).unwrap_or_default(),
                pinned: n.pinned,
            },
        })
        .collect())
}

/// Create or edit a note; an edit based on an old version is a conflict.
pub async fn save(
    ctx: &crate::write::Ctx,
    staff_id: i32,
    customer_id: i32,
    input: &NoteInput,
) -> AppResult<i32> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let now = Utc::now();
    let id = match input.id {
        None => {
            note::ActiveModel {
                customer_id: Set(customer_id),
                title: Set(input.title.trim().into()),
                body: Set(input.body.clone()),
                priority: Set(input.priority.as_str().into()),
                assigned_staff_id: Set(input.assigned_staff_id),
                visibility: Set(input.visibility.as_str().into()),
                pinned: Set(input.pinned),
                version: Set(1),
                created_at: Set(now),
                created_by: Set(Some(staff_id)),
                updated_at: Set(now),
                updated_by: Set(Some(staff_id)),
                ..Default::default()
            }
            .insert(txn)
            .await?
            .id
        }
        Some(id) => {
            let current = note::Entity::find_by_id(id)
                .filter(note::Column::CustomerId.eq(customer_id))
                .one(txn)
                .await?
                .ok_or(AppError::NotFound)?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            // The previous version stays, with who wrote it and when.
            note_version::ActiveModel {
                note_id: Set(id),
                customer_id: Set(customer_id),
                title: Set(current.title.clone()),
                body: Set(current.body.clone()),
                priority: Set(current.priority.clone()),
                assigned_staff_id: Set(current.assigned_staff_id),
                visibility: Set(current.visibility.clone()),
                pinned: Set(current.pinned),
                version: Set(current.version),
                edited_at: Set(current.updated_at),
                edited_by: Set(current.updated_by),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let version = current.version + 1;
            let mut am = current.into_active_model();
            am.title = Set(input.title.trim().into());
            am.body = Set(input.body.clone());
            am.priority = Set(input.priority.as_str().into());
            am.assigned_staff_id = Set(input.assigned_staff_id);
            am.visibility = Set(input.visibility.as_str().into());
            am.pinned = Set(input.pinned);
            am.version = Set(version);
            am.updated_at = Set(now);
            am.updated_by = Set(Some(staff_id));
            am.update(txn).await?;
            id
        }
    };
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

/// Titles of the pinned notes, for the warnings row.
pub async fn pinned<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<(String, Priority)>> {
    Ok(note::Entity::find()
        .filter(note::Column::CustomerId.eq(customer_id))
        .filter(note::Column::Pinned.eq(true))
        .order_by_desc(note::Column::UpdatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.title, Priority::parse(&n.priority).unwrap_or_default()))
        .collect())
}

/// The notes the customer may see in the self-service area.
pub async fn for_portal<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<PortalNote>> {
    Ok(note::Entity::find()
        .filter(note::Column::CustomerId.eq(customer_id))
        .filter(note::Column::Visibility.ne(Visibility::Hidden.as_str()))
        .order_by_desc(note::Column::UpdatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|n| PortalNote {
            title: n.title,
            body: n.body,
            visibility: Visibility::parse(&n.visibility).unwrap_or_default(),
        })
        .collect())
}

/// Notizen and their earlier versions in the customer-records registry.
pub const RECORDS: crate::records::registry::Tables = crate::records::registry::Tables {
    area: "notes",
    claims: &[
        crate::records::registry::TableClaim::rows("notes", "customer_id"),
        crate::records::registry::TableClaim::rows("note_versions", "customer_id"),
    ],
};

pub const SERVER: AreaServer = AreaServer {
    records: &[&RECORDS],
    timeline: Some(&Timeline),
    warnings: Some(&Pinned),
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM notes WHERE customer_id = $1",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoNotes),
    ..AreaServer::NONE
};

/// A note for every demo customer, by alternating staff; every fourth also has a pinned one
/// (which shows in the warnings row), every fifth a note the customer sees in the portal.
struct DemoNotes;

#[async_trait::async_trait]
impl crate::customers::areas::server::DemoSeed for DemoNotes {
    async fn seed(&self, db: &Db, demo: &crate::customers::areas::server::Demo) -> AppResult<()> {
        let quiet = crate::write::Ctx::quiet(db);
        for (i, &id) in demo.customers.iter().enumerate() {
            let first = NoteInput {
                title: "Rückrufwunsch".into(),
                body: "Möchte zu einem größeren Paket beraten werden, am besten vormittags.".into(),
                priority: Priority::ALL[i % 3],
                visibility: if i % 5 == 0 { Visibility::Info } else { Visibility::Hidden },
                assigned_staff_id: Some(demo.staff_for(i + 1)),
                ..Default::default()
            };
            save(&quiet, demo.staff_for(i), id, &first).await?;
            if i % 4 == 0 {
                let pinned = NoteInput {
                    title: "Zahlt nur per Überweisung".into(),
                    body: "Keine Lastschrift einrichten; Rechnungen bitte an die Buchhaltung.".into(),
                    priority: if i % 8 == 0 { Priority::Critical } else { Priority::High },
                    pinned: true,
                    ..Default::default()
                };
                save(&quiet, demo.staff_for(i + 1), id, &pinned).await?;
            }
        }
        Ok(())
    }
}

/// Notes in the Zeitleiste, at their last edit.
struct Timeline;

#[async_trait::async_trait]
impl TimelineSource for Timeline {
    async fn items(&self, db: &Db, customer_id: i32, _limit: u64) -> AppResult<Vec<TimelineItem>> {
        Ok(list(db, customer_id)
            .await?
            .into_iter()
            .map(|n| TimelineItem {
                at: n.updated_at,
                kind: "note".into(),
                title: n.input.title,
                detail: n.input.body,
                actor: n.updated_by,
            })
            .collect())
    }
}

/// Pinned notes join the warnings row, the critical ones as dangers.
struct Pinned;

#[async_trait::async_trait]
impl WarningSource for Pinned {
    async fn warnings(
        &self,
        txn: &DatabaseTransaction,
        customer: &CustomerDetail,
    ) -> AppResult<Vec<Warning>> {
        Ok(pinned(txn, customer.id)
            .await?
            .into_iter()
            .map(|(title, priority)| Warning {
                key: "warning.pinned_note".into(),
                tone: if priority == Priority::Critical { "danger" } else { "info" }.into(),
                args: vec![("title".into(), title)],
            })
            .collect())
    }
}
