//! Files: registered once their bytes are stored, released to the customer and given an expiry
//! at any time (both in the Verlauf, entity "file"), deleted with their object. Every step is in
//! the Log; the daily job removes expired files. The object store itself is reached only by the
//! routes (handlers.rs) and the clean-up worker: here an orphaned object is put on the clean-up
//! list in the same transaction as its row change, so none is forgotten and none goes early.
use super::model::*;
use crate::customers::areas::history::service::{differing, record_changes};
use crate::db::entities::{change, customer_file, staff};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::storage::cleanup;
use crate::storage::upload::Upload;
use crate::write::Ctx;
use chrono::{NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The Verlauf's entity name of a file; never renamed.
pub const ENTITY: &str = "file";

/// Today in Germany: a file expiring today is still there today.
pub use crate::customers::service::business_day as today;

/// An expiry as typed: empty for none, else a date not before today.
pub fn parse_expiry(value: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| FieldError::new("expires_on", "validation.date"))?;
    if date < today {
        return Err(FieldError::new("expires_on", "files.expiry_past"));
    }
    Ok(Some(date))
}

fn flags_of(f: &customer_file::Model) -> FileFlags {
    FileFlags {
        customer_may_download: f.customer_may_download,
        expires_on: f.expires_on.map(|d| d.to_string()).unwrap_or_default(),
        version: f.version,
    }
}

pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<customer_file::Model> {
    customer_file::Entity::find_by_id(id)
        .filter(customer_file::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Page `page` of the customer's files, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
    limits: UploadLimits,
) -> AppResult<FilePage> {
    let query = customer_file::Entity::find().filter(customer_file::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let files = query
        .order_by_desc(customer_file::Column::UploadedAt)
        .order_by_desc(customer_file::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = staff::Entity::find()
        .filter(staff::Column::Id.is_in(files.iter().filter_map(|f| f.uploaded_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let rows = files
        .into_iter()
        .map(|f| FileRow {
            id: f.id,
            uploaded_by: f.uploaded_by.and_then(|s| names.get(&s).cloned()).unwrap_or_default(),
            uploaded_at: f.uploaded_at.to_rfc3339(),
            customer_may_download: f.customer_may_download,
            expires_on: f.expires_on.map(|d| d.to_string()).unwrap_or_default(),
            version: f.version,
            name: f.name,
            size: f.size,
            content_type: f.content_type,
        })
        .collect();
    Ok(FilePage { rows, page, pages, total, limits, today: today().to_string() })
}

/// The customer's files by id, for the Verlauf's subject.
pub async fn names<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<HashMap<i32, String>> {
    Ok(customer_file::Entity::find()
        .filter(customer_file::Column::CustomerId.eq(customer_id))
        .select_only()
        .columns([customer_file::Column::Id, customer_file::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Give stored objects their rows, all in one transaction: they appear together or not at all
/// (then the caller deletes the objects). Returns the new ids.
pub async fn register(
    ctx: &Ctx,
    staff_id: i32,
    customer_id: i32,
    uploads: &[Upload],
    may_download: bool,
    expires_on: Option<NaiveDate>,
) -> AppResult<Vec<i32>> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let now = Utc::now();
    let mut ids = Vec::with_capacity(uploads.len());
    for u in uploads {
        let row = customer_file::ActiveModel {
            customer_id: Set(customer_id),
            storage_key: Set(u.key.clone()),
            name: Set(u.name.clone()),
            size: Set(u.size),
            content_type: Set(u.content_type.clone()),
            sha256: Set(u.sha256.clone()),
            customer_may_download: Set(may_download),
            expires_on: Set(expires_on),
            uploaded_by: Set(Some(staff_id)),
            uploaded_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        cleanup::keep(txn, &u.key).await?;
        let payload = serde_json::json!({ "name": u.name, "size": u.size, "released": may_download });
        record(txn, NewEvent::new(customer_id, "file_uploaded", Actor::Staff(staff_id), payload.to_string()))
            .await?;
        ids.push(row.id);
    }
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(ids)
}

/// Release or withdraw a file and set or clear its expiry, based on the version the staff
/// member saw.
pub async fn set_flags(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    flags: &FileFlags,
) -> AppResult<()> {
    set_flags_reverting(ctx, actor, customer_id, id, flags, None).await
}

async fn set_flags_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    flags: &FileFlags,
    reverts: Option<i32>,
) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let current = find(txn, customer_id, id).await?;
    if current.version != flags.version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    let before = flags_of(&current);
    // An expiry already stored may stay as it is even once past; a new one must lie ahead.
    let expires_on = if flags.expires_on.trim() == before.expires_on {
        current.expires_on
    } else {
        parse_expiry(&flags.expires_on, today()).map_err(|e| AppError::Validation(vec![e]))?
    };
    let after = FileFlags {
        customer_may_download: flags.customer_may_download,
        expires_on: expires_on.map(|d| d.to_string()).unwrap_or_default(),
        version: current.version + 1,
    };
    let changes = differing(FileFlags::FIELDS, |f| before.read(f), |f| after.read(f));
    if changes.is_empty() {
        return Ok(());
    }
    let released = before.customer_may_download != after.customer_may_download;
    let name = current.name.clone();
    let mut am = current.into_active_model();
    am.customer_may_download = Set(after.customer_may_download);
    am.expires_on = Set(expires_on);
    am.version = Set(after.version);
    am.update(txn).await?;
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, reverts).await?;
    if released {
        let kind = if after.customer_may_download { "file_released" } else { "file_withdrawn" };
        record(txn, NewEvent::new(customer_id, kind, actor, name)).await?;
    }
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Undo one recorded change of a file's flags through the normal change.
pub async fn undo(ctx: &Ctx, staff_id: i32, customer_id: i32, c: &change::Model) -> AppResult<()> {
    let current = find(&ctx.db, customer_id, c.entity_id).await?;
    let mut flags = flags_of(&current);
    if flags.read(&c.field).as_deref() != Some(c.new_value.as_str()) {
        return Err(AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]));
    }
    if !flags.write(&c.field, &c.old_value) {
        return Err(AppError::NotFound);
    }
    set_flags_reverting(ctx, Actor::Staff(staff_id), customer_id, c.entity_id, &flags, Some(c.id)).await
}

/// Delete a file: the row now, its object through the clean-up list.
pub async fn delete(ctx: &Ctx, staff_id: i32, customer_id: i32, id: i32) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let file = find(txn, customer_id, id).await?;
    cleanup::schedule(txn, &file.storage_key, Utc::now(), "deleted").await?;
    customer_file::Entity::delete_by_id(id).exec(txn).await?;
    record(txn, NewEvent::new(customer_id, "file_deleted", Actor::Staff(staff_id), file.name)).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// The daily job: files whose expiry date has passed are deleted (their objects listed for the
/// clean-up worker), each with a Log entry. Runs in the job's transaction. One statement deletes
/// and returns the rows, so an expiry moved meanwhile keeps both its row and its object.
pub async fn expire_due<C: ConnectionTrait>(txn: &C, today: NaiveDate) -> AppResult<u64> {
    let sql = "DELETE FROM customer_files WHERE expires_on < $1 RETURNING customer_id, name, storage_key";
    let gone = txn.query_all_raw(crate::db::stmt(txn, sql, vec![today.into()])).await?;
    let now = Utc::now();
    for row in &gone {
        let customer_id: i32 = row.try_get("", "customer_id")?;
        let name: String = row.try_get("", "name")?;
        let key: String = row.try_get("", "storage_key")?;
        cleanup::schedule(txn, &key, now, "deleted").await?;
        record(txn, NewEvent::new(customer_id, "file_expired", Actor::System, name)).await?;
    }
    Ok(gone.len() as u64)
}

/// A file the customer may download now: released and not expired; anything else is "not
/// found", so the self-service area does not tell which files exist.
pub async fn portal_file<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    id: i32,
    today: NaiveDate,
) -> AppResult<customer_file::Model> {
    let file = find(db, customer_id, id).await?;
    if !file.customer_may_download || file.expires_on.is_some_and(|d| d < today) {
        return Err(AppError::NotFound);
    }
    Ok(file)
}

/// Page `page` of the files the customer may download, newest first.
pub async fn for_portal<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<PortalFilePage> {
    let today = today();
    let query = customer_file::Entity::find()
        .filter(customer_file::Column::CustomerId.eq(customer_id))
        .filter(customer_file::Column::CustomerMayDownload.eq(true))
        .filter(
            sea_orm::Condition::any()
                .add(customer_file::Column::ExpiresOn.is_null())
                .add(customer_file::Column::ExpiresOn.gte(today)),
        );
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(customer_file::Column::UploadedAt)
        .order_by_desc(customer_file::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(|f| PortalFile {
            id: f.id,
            name: f.name,
            size: f.size,
            uploaded_at: f.uploaded_at.to_rfc3339(),
            expires_on: f.expires_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    Ok(PortalFilePage { rows, page, pages })
}

/// The customer downloaded a file: in the Log, with the address.
pub async fn record_download(
    ctx: &Ctx,
    customer_id: i32,
    actor: Actor,
    name: &str,
    ip: &str,
) -> AppResult<()> {
    let change = ctx.begin_append(customer_id).await?;
    let event = NewEvent { ip: Some(ip), ..NewEvent::new(customer_id, "file_downloaded", actor, name) };
    record(&change.txn, event).await?;
    change.commit().await
}

/// The largest file sent by mail: many mail servers refuse more.
pub const MAIL_ATTACH_MAX: i64 = 10 * 1024 * 1024;

/// Send a file to the customer by mail (through the outbox; the sender attaches the stored
/// bytes at delivery). Returns the mail's outbox id.
pub async fn send_by_mail(ctx: &Ctx, staff_id: i32, customer_id: i32, id: i32) -> AppResult<i32> {
    use crate::db::entities::customer;
    use crate::mail::model::{Attachment, MailKind};
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let file = find(txn, customer_id, id).await?;
    if file.size > MAIL_ATTACH_MAX {
        let max = (MAIL_ATTACH_MAX / 1024 / 1024).to_string();
        return Err(AppError::Validation(vec![
            FieldError::new("file", "files.too_large_for_mail").with("max", max),
        ]));
    }
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    if c.email.trim().is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("to", "emails.no_address")]));
    }
    let locale = crate::i18n::Locale::from_code(&c.language).unwrap_or_default();
    let name = crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company);
    let text = crate::mail::templates::render(locale, "file_sent", &[("name", &name), ("file", &file.name)]);
    let cc = crate::customers::areas::contacts::service::cc_for(txn, customer_id, MailKind::General).await?;
    let mail = crate::mail::outbox::NewMail {
        customer_id: Some(customer_id),
        template: "file_sent".into(),
        kind: MailKind::General,
        to: c.email.trim().to_string(),
        cc,
        subject: text.subject,
        body: text.body,
        staff_id: Some(staff_id),
        secret: None,
        attachments: vec![Attachment {
            name: file.name.clone(),
            content_type: file.content_type.clone(),
            size: file.size,
            key: file.storage_key.clone(),
            sha256: file.sha256.clone(),
        }],
    };
    let mail_id = crate::mail::outbox::enqueue(txn, mail).await?;
    record(txn, NewEvent::new(customer_id, "file_sent", Actor::Staff(staff_id), file.name)).await?;
    change.touched(super::AREA.slug);
    change.touched(crate::mail::AREA);
    change.mail_queued();
    change.commit().await?;
    Ok(mail_id)
}
