//! Licences: added with a generated key, edited with a version check, every field change in the
//! Verlauf (entity "licence"); listed in pages, newest first.
use super::model::*;
use crate::customers::areas::history::service::{FieldChange, differing, record_changes};
use crate::customers::validate::parse_date;
use crate::db::entities::{change, customer, licence, licence_binding, product};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::text::{Lines, check};
use crate::write::Ctx;
use chrono::{Months, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The Verlauf's entity name of a licence; never renamed.
pub const ENTITY: &str = "licence";

fn date_of(value: &str) -> Option<NaiveDate> {
    parse_date(value).and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

fn validate(input: &LicenceInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, value) in
        [("version_bought", &input.version_bought), ("current_version", &input.current_version)]
    {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, "validation.required"));
        }
        check(&mut errors, field, value.trim(), 40, Lines::One);
    }
    if date_of(&input.contract_date).is_none() {
        errors.push(FieldError::new("contract_date", "validation.date"));
    }
    if !input.updates_until.trim().is_empty() && date_of(&input.updates_until).is_none() {
        errors.push(FieldError::new("updates_until", "validation.date"));
    }
    check(&mut errors, "lock_reason", input.lock_reason.trim(), 500, Lines::One);
    match input.status {
        LicenceStatus::Locked if input.lock_reason.trim().is_empty() => {
            errors.push(FieldError::new("lock_reason", "products.lock_reason_required"))
        }
        LicenceStatus::Cancelled if date_of(&input.cancelled_on).is_none() => {
            errors.push(FieldError::new("cancelled_on", "products.cancelled_on_required"))
        }
        _ => {}
    }
    errors
}

/// The input as saved: trimmed, a lock reason only while locked, an end date only once cancelled,
/// and a first term of update service counted from the contract date when none is given.
fn clean(input: &LicenceInput, term_months: i32) -> LicenceInput {
    let mut c = input.clone();
    c.version_bought = c.version_bought.trim().into();
    c.current_version = c.current_version.trim().into();
    c.contract_date = c.contract_date.trim().into();
    c.lock_reason =
        if c.status == LicenceStatus::Locked { c.lock_reason.trim().into() } else { String::new() };
    c.cancelled_on =
        if c.status == LicenceStatus::Cancelled { c.cancelled_on.trim().into() } else { String::new() };
    c.updates_until = c.updates_until.trim().into();
    if c.update_service
        && c.updates_until.is_empty()
        && let Some(until) = date_of(&c.contract_date)
            .and_then(|d| d.checked_add_months(Months::new(term_months.max(0) as u32)))
    {
        c.updates_until = until.to_string();
    }
    c
}

fn to_input(l: &licence::Model) -> LicenceInput {
    LicenceInput {
        id: Some(l.id),
        version: l.version,
        product_id: l.product_id,
        version_bought: l.version_bought.clone(),
        current_version: l.current_version.clone(),
        contract_date: l.contract_date.to_string(),
        status: LicenceStatus::parse(&l.status).unwrap_or_default(),
        lock_reason: l.lock_reason.clone(),
        cancelled_on: l.cancelled_on.map(|d| d.to_string()).unwrap_or_default(),
        billing_cycle: BillingCycle::parse(&l.billing_cycle).unwrap_or_default(),
        update_service: l.update_service,
        updates_until: l.updates_until.map(|d| d.to_string()).unwrap_or_default(),
    }
}

fn diff(before: &LicenceInput, after: &LicenceInput) -> Vec<FieldChange> {
    let fields: Vec<&str> = LicenceInput::FIELDS.iter().copied().filter(|f| *f != "product").collect();
    differing(&fields, |f| before.read(f), |f| after.read(f))
}

/// Is the licence's update service over (booked, but its last day has passed)?
pub fn updates_expired(l: &LicenceInput, today: NaiveDate) -> bool {
    l.update_service && date_of(&l.updates_until).is_some_and(|until| until < today)
}

pub use crate::customers::service::business_day as today;

async fn product_names<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<i32, String>> {
    Ok(product::Entity::find()
        .select_only()
        .columns([product::Column::Id, product::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

fn row(l: licence::Model, names: &HashMap<i32, String>, today: NaiveDate) -> LicenceRow {
    let input = to_input(&l);
    LicenceRow {
        key: crate::licensing::key::display(&l.key_norm),
        product_name: names.get(&l.product_id).cloned().unwrap_or_default(),
        updates_expired: updates_expired(&input, today),
        locked_at: l.locked_at.map(|t| t.to_rfc3339()),
        updated_at: l.updated_at.to_rfc3339(),
        input,
    }
}

/// Page `page` (from 1) of a customer's licences, newest first, with the total count.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<LicencePage> {
    let query = licence::Entity::find().filter(licence::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(licence::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let names = product_names(db).await?;
    let today = today();
    Ok(LicencePage { rows: rows.into_iter().map(|l| row(l, &names, today)).collect(), total, page, pages })
}

/// The self-service area's page `page` of the customer's licences (not those still being
/// set up), with the offers waiting for the customer's answer.
pub async fn for_portal<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<PortalProductPage> {
    let query = licence::Entity::find()
        .filter(licence::Column::CustomerId.eq(customer_id))
        .filter(licence::Column::Status.ne(LicenceStatus::InProgress.as_str()));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(licence::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let names = product_names(db).await?;
    let today = today();
    let ids: Vec<i32> = rows.iter().map(|l| l.id).collect();
    let mut downloads = crate::catalogue::downloads::newest_per_licence(db, &ids).await?;
    let licences = rows
        .into_iter()
        .map(|l| {
            let download = downloads.remove(&l.id).map(|d| PortalDownload {
                release_id: d.release_id,
                version: d.version,
                file_name: d.file_name,
            });
            let r = row(l, &names, today);
            PortalLicence {
                download,
                product: r.product_name,
                key: r.key,
                current_version: r.input.current_version,
                status: r.input.status,
                updates_until: if r.input.update_service { r.input.updates_until } else { String::new() },
                updates_expired: r.updates_expired,
            }
        })
        .collect();
    let offers = super::transfers::offers(db, customer_id, true).await?;
    Ok(PortalProductPage { licences, total, page, pages, offers })
}

/// One licence of the customer (another customer's is "not found").
pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<licence::Model> {
    licence::Entity::find_by_id(id)
        .filter(licence::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Add a licence (its key is generated) or edit one. Returns its id.
pub async fn save(ctx: &Ctx, actor: Actor, customer_id: i32, input: &LicenceInput) -> AppResult<i32> {
    save_reverting(ctx, actor, customer_id, input, None).await
}

pub(crate) async fn save_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    input: &LicenceInput,
    reverts: Option<i32>,
) -> AppResult<i32> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let product = product::Entity::find_by_id(input.product_id).one(txn).await?;
    let Some(product) = product.filter(|p| p.active || input.id.is_some()) else {
        return Err(AppError::Validation(vec![FieldError::new("product_id", "products.product_unknown")]));
    };
    let input = clean(input, product.update_term_months);
    let staff = actor.staff_id();
    let now = Utc::now();
    let date = |v: &str| date_of(v);
    let (id, changes) = match input.id {
        None => {
            let row = licence::ActiveModel {
                customer_id: Set(customer_id),
                product_id: Set(product.id),
                key_norm: Set(crate::licensing::key::generate()),
                version_bought: Set(input.version_bought.clone()),
                current_version: Set(input.current_version.clone()),
                contract_date: Set(date(&input.contract_date).expect("validated")),
                status: Set(input.status.as_str().into()),
                lock_reason: Set(input.lock_reason.clone()),
                locked_at: Set((input.status == LicenceStatus::Locked).then_some(now)),
                cancelled_on: Set(date(&input.cancelled_on)),
                billing_cycle: Set(input.billing_cycle.as_str().into()),
                update_service: Set(input.update_service),
                updates_until: Set(date(&input.updates_until)),
                reseller_id: Set(c.reseller_id),
                version: Set(1),
                created_at: Set(now),
                created_by: Set(staff),
                updated_at: Set(now),
                updated_by: Set(staff),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (row.id, diff(&LicenceInput::default(), &input))
        }
        Some(id) => {
            let current = find(txn, customer_id, id).await?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            if current.product_id != input.product_id {
                return Err(AppError::Validation(vec![FieldError::new(
                    "product_id",
                    "products.product_fixed",
                )]));
            }
            let before = to_input(&current);
            let was_locked = current.status == LicenceStatus::Locked.as_str();
            let mut am = current.into_active_model();
            am.version_bought = Set(input.version_bought.clone());
            am.current_version = Set(input.current_version.clone());
            am.contract_date = Set(date(&input.contract_date).expect("validated"));
            am.status = Set(input.status.as_str().into());
            am.lock_reason = Set(input.lock_reason.clone());
            match (was_locked, input.status == LicenceStatus::Locked) {
                (false, true) => am.locked_at = Set(Some(now)),
                (_, false) => am.locked_at = Set(None),
                (true, true) => {}
            }
            am.cancelled_on = Set(date(&input.cancelled_on));
            am.billing_cycle = Set(input.billing_cycle.as_str().into());
            am.update_service = Set(input.update_service);
            am.updates_until = Set(date(&input.updates_until));
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            am.updated_by = Set(staff);
            am.update(txn).await?;
            (id, diff(&before, &input))
        }
    };
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, reverts).await?;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

/// The hosts a licence of the customer is bound to, first bound first.
pub async fn bindings<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    licence_id: i32,
) -> AppResult<Vec<BindingRow>> {
    find(db, customer_id, licence_id).await?;
    Ok(licence_binding::Entity::find()
        .filter(licence_binding::Column::LicenceId.eq(licence_id))
        .order_by_asc(licence_binding::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|b| BindingRow {
            host: b.host,
            path: b.path,
            ip: b.ip,
            first_seen_at: b.first_seen_at.to_rfc3339(),
            last_seen_at: b.last_seen_at.to_rfc3339(),
            checks: b.checks,
        })
        .collect())
}

/// Release all hosts of a licence (the customer moved the software); the next checks bind anew.
pub async fn reset_bindings(ctx: &Ctx, actor: Actor, customer_id: i32, licence_id: i32) -> AppResult<u64> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let l = find(txn, customer_id, licence_id).await?;
    let gone = licence_binding::Entity::delete_many()
        .filter(licence_binding::Column::LicenceId.eq(licence_id))
        .exec(txn)
        .await?
        .rows_affected;
    let what = format!("{} · {gone}", crate::licensing::key::display(&l.key_norm));
    crate::events::service::record(
        txn,
        crate::events::service::NewEvent::new(customer_id, "licence_bindings_reset", actor, what),
    )
    .await?;
    change.touched(super::AREA.slug);
    change.touched(crate::customers::areas::log::AREA.slug);
    change.commit().await?;
    Ok(gone)
}

/// Undo one recorded change of a licence through the normal save (validated, version-checked,
/// recorded as reverting it). Refused when the field changed since.
pub async fn undo(ctx: &Ctx, staff_id: i32, customer_id: i32, c: &change::Model) -> AppResult<()> {
    let current = find(&ctx.db, customer_id, c.entity_id).await?;
    let mut input = to_input(&current);
    if input.read(&c.field).as_deref() != Some(c.new_value.as_str()) {
        return Err(AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]));
    }
    if c.field == "product" || !input.write(&c.field, &c.old_value) {
        return Err(AppError::NotFound);
    }
    save_reverting(ctx, Actor::Staff(staff_id), customer_id, &input, Some(c.id)).await.map(|_| ())
}

/// The customer's licences by id as the Verlauf names them: product and key.
pub async fn names<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<HashMap<i32, String>> {
    let products = product_names(db).await?;
    Ok(licence::Entity::find()
        .filter(licence::Column::CustomerId.eq(customer_id))
        .select_only()
        .columns([licence::Column::Id, licence::Column::ProductId, licence::Column::KeyNorm])
        .into_tuple::<(i32, i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, p, key)| {
            let name = products.get(&p).cloned().unwrap_or_default();
            (id, format!("{name} {}", crate::licensing::key::display(&key)))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        date_of(s).unwrap()
    }

    #[test]
    fn a_first_update_term_counts_from_the_contract_date_to_the_same_day() {
        let input = LicenceInput {
            contract_date: "2026-01-31".into(),
            update_service: true,
            version_bought: "1.0".into(),
            current_version: "1.0".into(),
            ..Default::default()
        };
        // 12 months from 31 January: the last day of the month where the day does not exist.
        assert_eq!(clean(&input, 12).updates_until, "2027-01-31");
        assert_eq!(clean(&input, 1).updates_until, "2026-02-28");
        let given = LicenceInput { updates_until: "2026-06-30".into(), ..input.clone() };
        assert_eq!(clean(&given, 12).updates_until, "2026-06-30", "a given date stays");
        let without = LicenceInput { update_service: false, ..input };
        assert_eq!(clean(&without, 12).updates_until, "");
    }

    #[test]
    fn update_service_is_expired_the_day_after_its_last_day() {
        let l =
            LicenceInput { update_service: true, updates_until: "2026-12-03".into(), ..Default::default() };
        assert!(!updates_expired(&l, d("2026-12-03")));
        assert!(updates_expired(&l, d("2026-12-04")));
        assert!(!updates_expired(&LicenceInput { update_service: false, ..l }, d("2027-01-01")));
    }

    #[test]
    fn locked_needs_a_reason_and_cancelled_a_date() {
        let base = LicenceInput {
            version_bought: "1.0".into(),
            current_version: "1.0".into(),
            contract_date: "2026-01-01".into(),
            ..Default::default()
        };
        assert!(validate(&base).is_empty());
        let locked = LicenceInput { status: LicenceStatus::Locked, ..base.clone() };
        assert_eq!(validate(&locked)[0].key, "products.lock_reason_required");
        let cancelled = LicenceInput { status: LicenceStatus::Cancelled, ..base.clone() };
        assert_eq!(validate(&cancelled)[0].key, "products.cancelled_on_required");
        let bad_date = LicenceInput { contract_date: "2026-02-30".into(), ..base };
        assert_eq!(validate(&bad_date)[0].field, "contract_date");
    }
}
