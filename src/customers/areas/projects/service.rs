//! Projects: saved with a version check and every field change in the Verlauf (entity
//! "project"); tasks keep a dense order (1, 2, 3 …) through adds and moves; time entries are
//! added and removed until billed. Open projects past their due date join the warnings row.
use super::model::*;
use crate::customers::areas::history::service::{FieldChange, differing, record_changes};
use crate::db::entities::{change, project, project_task, project_time_entry, staff};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::money::{cents_text, parse_cents};
use crate::text::{Lines, check};
use crate::write::Ctx;
use chrono::{NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The Verlauf's entity name of a project; never renamed.
pub const ENTITY: &str = "project";
/// The longest time entry: one day.
pub const MAX_MINUTES: i32 = 1_440;

fn date_of(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

pub use crate::customers::service::business_day as today;

fn validate(input: &ProjectInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.name.trim().is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    check(&mut errors, "name", input.name.trim(), 200, Lines::One);
    check(&mut errors, "description", &input.description, 20_000, Lines::Many);
    if !input.due_on.trim().is_empty() && date_of(&input.due_on).is_none() {
        errors.push(FieldError::new("due_on", "validation.date"));
    }
    if !input.fee.trim().is_empty() && parse_cents(&input.fee).is_none() {
        errors.push(FieldError::new("fee", "projects.fee_invalid"));
    }
    errors
}

/// As stored and recorded: trimmed, the fee in one spelling.
fn clean(input: &ProjectInput) -> ProjectInput {
    let mut c = input.clone();
    c.name = c.name.trim().into();
    c.due_on = c.due_on.trim().into();
    c.fee = parse_cents(&c.fee).map(|cents| cents_text(cents, ',')).unwrap_or_default();
    c
}

fn to_input(p: &project::Model) -> ProjectInput {
    ProjectInput {
        id: Some(p.id),
        version: p.version,
        name: p.name.clone(),
        staff_id: p.staff_id,
        due_on: p.due_on.map(|d| d.to_string()).unwrap_or_default(),
        status: ProjectStatus::parse(&p.status).unwrap_or_default(),
        fee: p.fee_cents.map(|c| cents_text(c, ',')).unwrap_or_default(),
        description: p.description.clone(),
    }
}

fn overdue(p: &project::Model, today: NaiveDate) -> bool {
    p.status != ProjectStatus::Done.as_str() && p.due_on.is_some_and(|d| d < today)
}

async fn staff_names<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<i32, String>> {
    Ok(staff::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect())
}

async fn rows<C: ConnectionTrait>(db: &C, projects: Vec<project::Model>) -> AppResult<Vec<ProjectRow>> {
    let names = staff_names(db).await?;
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let tasks = project_task::Entity::find()
        .filter(project_task::Column::ProjectId.is_in(ids.clone()))
        .select_only()
        .columns([project_task::Column::ProjectId, project_task::Column::Done])
        .into_tuple::<(i32, bool)>()
        .all(db)
        .await?;
    let time = project_time_entry::Entity::find()
        .filter(project_time_entry::Column::ProjectId.is_in(ids))
        .select_only()
        .columns([project_time_entry::Column::ProjectId, project_time_entry::Column::Minutes])
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?;
    let today = today();
    Ok(projects
        .into_iter()
        .map(|p| ProjectRow {
            staff_name: p.staff_id.and_then(|i| names.get(&i).cloned()),
            tasks_done: tasks.iter().filter(|(id, done)| *id == p.id && *done).count() as u32,
            tasks_total: tasks.iter().filter(|(id, _)| *id == p.id).count() as u32,
            minutes: time.iter().filter(|(id, _)| *id == p.id).map(|(_, m)| i64::from(*m)).sum(),
            overdue: overdue(&p, today),
            input: to_input(&p),
        })
        .collect())
}

/// Page `page` of the customer's projects: open ones first by due date, then done ones.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<ProjectPage> {
    let query = project::Entity::find().filter(project::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let projects = query
        .order_by_desc(project::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let mut staff: Vec<(i32, String)> = staff::Entity::find()
        .filter(staff::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    staff.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(ProjectPage { rows: rows(db, projects).await?, total, page, pages, staff, today: today().to_string() })
}

async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<project::Model> {
    project::Entity::find_by_id(id)
        .filter(project::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A project with its tasks in order and its time entries, newest first.
pub async fn detail<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<OpenProject> {
    let p = find(db, customer_id, id).await?;
    let row = rows(db, vec![p]).await?.remove(0);
    let tasks = project_task::Entity::find()
        .filter(project_task::Column::ProjectId.eq(id))
        .order_by_asc(project_task::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TaskRow { id: t.id, title: t.title, done: t.done })
        .collect();
    let names = staff_names(db).await?;
    let time = project_time_entry::Entity::find()
        .filter(project_time_entry::Column::ProjectId.eq(id))
        .order_by_desc(project_time_entry::Column::WorkedOn)
        .order_by_desc(project_time_entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| TimeRow {
            id: e.id,
            staff_name: names.get(&e.staff_id).cloned().unwrap_or_default(),
            worked_on: e.worked_on.to_string(),
            minutes: e.minutes,
            note: e.note,
            billed: e.invoice_item_id.is_some(),
        })
        .collect();
    Ok(OpenProject { row, tasks, time })
}

fn staff_of(actor: Actor) -> Option<i32> {
    actor.staff_id()
}

/// Create or edit a project. Returns its id.
pub async fn save(ctx: &Ctx, actor: Actor, customer_id: i32, input: &ProjectInput) -> AppResult<i32> {
    save_reverting(ctx, actor, customer_id, input, None).await
}

pub(crate) async fn save_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    input: &ProjectInput,
    reverts: Option<i32>,
) -> AppResult<i32> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let input = clean(input);
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    if let Some(s) = input.staff_id
        && staff::Entity::find_by_id(s).one(txn).await?.is_none()
    {
        return Err(AppError::Validation(vec![FieldError::new("staff_id", "projects.staff_unknown")]));
    }
    let now = Utc::now();
    let by = staff_of(actor);
    let done = input.status == ProjectStatus::Done;
    let (id, changes) = match input.id {
        None => {
            let row = project::ActiveModel {
                customer_id: Set(customer_id),
                name: Set(input.name.clone()),
                staff_id: Set(input.staff_id),
                due_on: Set(date_of(&input.due_on)),
                status: Set(input.status.as_str().into()),
                fee_cents: Set(parse_cents(&input.fee)),
                description: Set(input.description.clone()),
                done_at: Set(done.then_some(now)),
                version: Set(1),
                created_at: Set(now),
                created_by: Set(by),
                updated_at: Set(now),
                updated_by: Set(by),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (row.id, diff(&ProjectInput::default(), &input))
        }
        Some(id) => {
            let current = find(txn, customer_id, id).await?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            let before = to_input(&current);
            let was_done = current.status == ProjectStatus::Done.as_str();
            let mut am = current.into_active_model();
            am.name = Set(input.name.clone());
            am.staff_id = Set(input.staff_id);
            am.due_on = Set(date_of(&input.due_on));
            am.status = Set(input.status.as_str().into());
            am.fee_cents = Set(parse_cents(&input.fee));
            am.description = Set(input.description.clone());
            if done != was_done {
                am.done_at = Set(done.then_some(now));
            }
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            am.updated_by = Set(by);
            am.update(txn).await?;
            (id, diff(&before, &input))
        }
    };
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, reverts).await?;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

fn diff(before: &ProjectInput, after: &ProjectInput) -> Vec<FieldChange> {
    differing(ProjectInput::FIELDS, |f| before.read(f), |f| after.read(f))
}

/// Undo one recorded change of a project through the normal save.
pub async fn undo(ctx: &Ctx, staff_id: i32, customer_id: i32, c: &change::Model) -> AppResult<()> {
    let current = find(&ctx.db, customer_id, c.entity_id).await?;
    let mut input = to_input(&current);
    if input.read(&c.field).as_deref() != Some(c.new_value.as_str()) {
        return Err(AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]));
    }
    if !input.write(&c.field, &c.old_value) {
        return Err(AppError::NotFound);
    }
    save_reverting(ctx, Actor::Staff(staff_id), customer_id, &input, Some(c.id)).await.map(|_| ())
}

/// The customer's projects by id, for the Verlauf's subject.
pub async fn names<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<HashMap<i32, String>> {
    Ok(project::Entity::find()
        .filter(project::Column::CustomerId.eq(customer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// Add a task at the end of the project's list.
pub async fn add_task(ctx: &Ctx, customer_id: i32, project_id: i32, title: &str) -> AppResult<i32> {
    let mut errors = Vec::new();
    if title.trim().is_empty() {
        errors.push(FieldError::new("title", "validation.required"));
    }
    check(&mut errors, "title", title.trim(), 300, Lines::One);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    find(txn, customer_id, project_id).await?;
    let last = project_task::Entity::find()
        .filter(project_task::Column::ProjectId.eq(project_id))
        .count(txn)
        .await?;
    let id = project_task::ActiveModel {
        project_id: Set(project_id),
        customer_id: Set(customer_id),
        title: Set(title.trim().into()),
        done: Set(false),
        done_at: Set(None),
        position: Set(last as i32 + 1),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

async fn task<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<project_task::Model> {
    project_task::Entity::find_by_id(id)
        .filter(project_task::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Tick a task off (or open it again).
pub async fn set_task_done(ctx: &Ctx, customer_id: i32, task_id: i32, done: bool) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let t = task(&change.txn, customer_id, task_id).await?;
    let mut am = t.into_active_model();
    am.done = Set(done);
    am.done_at = Set(done.then(Utc::now));
    am.update(&change.txn).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Move a task one place up or down; the order stays 1, 2, 3 … without gaps.
pub async fn move_task(ctx: &Ctx, customer_id: i32, task_id: i32, up: bool) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let t = task(txn, customer_id, task_id).await?;
    let mut tasks = project_task::Entity::find()
        .filter(project_task::Column::ProjectId.eq(t.project_id))
        .order_by_asc(project_task::Column::Position)
        .order_by_asc(project_task::Column::Id)
        .all(txn)
        .await?;
    let at = tasks.iter().position(|x| x.id == task_id).ok_or(AppError::NotFound)?;
    let to = if up { at.checked_sub(1) } else { Some(at + 1).filter(|i| *i < tasks.len()) };
    if let Some(to) = to {
        tasks.swap(at, to);
    }
    for (i, x) in tasks.into_iter().enumerate() {
        let position = i as i32 + 1;
        if x.position != position {
            let mut am = x.into_active_model();
            am.position = Set(position);
            am.update(txn).await?;
        }
    }
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Record time spent on a project by a staff member.
pub async fn add_time(
    ctx: &Ctx,
    staff_id: i32,
    customer_id: i32,
    project_id: i32,
    input: &TimeInput,
) -> AppResult<i32> {
    let mut errors = Vec::new();
    let worked_on = date_of(&input.worked_on);
    if worked_on.is_none() {
        errors.push(FieldError::new("worked_on", "validation.date"));
    }
    if !(1..=MAX_MINUTES).contains(&input.minutes) {
        errors.push(FieldError::new("minutes", "projects.minutes_range"));
    }
    check(&mut errors, "note", input.note.trim(), 500, Lines::One);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    find(txn, customer_id, project_id).await?;
    let id = project_time_entry::ActiveModel {
        project_id: Set(project_id),
        customer_id: Set(customer_id),
        staff_id: Set(staff_id),
        worked_on: Set(worked_on.expect("checked")),
        minutes: Set(input.minutes),
        note: Set(input.note.trim().into()),
        invoice_item_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

/// Remove a time entry; refused once it has been billed.
pub async fn remove_time(ctx: &Ctx, customer_id: i32, entry_id: i32) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let e = project_time_entry::Entity::find_by_id(entry_id)
        .filter(project_time_entry::Column::CustomerId.eq(customer_id))
        .one(&change.txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if e.invoice_item_id.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("time", "projects.time_billed")]));
    }
    project_time_entry::Entity::delete_by_id(entry_id).exec(&change.txn).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Names of the customer's open projects past their due date, for the warnings row.
pub async fn overdue_names<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<String>> {
    Ok(project::Entity::find()
        .filter(project::Column::CustomerId.eq(customer_id))
        .filter(project::Column::Status.ne(ProjectStatus::Done.as_str()))
        .filter(project::Column::DueOn.lt(today()))
        .order_by_asc(project::Column::DueOn)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect())
}
