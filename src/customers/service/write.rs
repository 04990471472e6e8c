//! Creating and saving customers: validate, then write in one transaction; a stale version
//! is a conflict and changes nothing.
use super::convert::apply_form;
use super::read::{active_custom_fields, def_view, profile};
use crate::customers::model::{CustomerForm, CustomerProfile};
use crate::customers::validate::{Ymd, validate};
use crate::db::entities::{custom_field_def, custom_field_value, customer, customer_group};
use crate::db::{Db, next_counter, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::write::{Change, Ctx};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter,
};

pub use crate::events::actor::Actor;

/// References in the form (group, reseller) resolved to ids, or field errors.
async fn resolve_refs(
    txn: &DatabaseTransaction,
    form: &CustomerForm,
    own_id: Option<i32>,
) -> AppResult<(Option<i32>, Option<i32>)> {
    let mut errors = Vec::new();
    let group_id = match form.group_id.parse::<i32>() {
        Ok(id) => {
            if customer_group::Entity::find_by_id(id).one(txn).await?.is_none() {
                errors.push(FieldError::new("group_id", "validation.choice"));
            }
            Some(id)
        }
        Err(_) => None,
    };
    let number = form.reseller_number.trim().to_uppercase();
    let reseller_id = if number.is_empty() {
        None
    } else {
        match customer::Entity::find().filter(customer::Column::Number.eq(number)).one(txn).await? {
            Some(r) if r.is_reseller && Some(r.id) != own_id => Some(r.id),
            _ => {
                errors.push(FieldError::new("reseller_number", "validation.reseller"));
                None
            }
        }
    };
    if errors.is_empty() { Ok((group_id, reseller_id)) } else { Err(AppError::Validation(errors)) }
}

/// Replace the values of the active custom fields (`defs`, as validated) with the form's.
async fn write_custom_values(
    txn: &DatabaseTransaction,
    customer_id: i32,
    form: &CustomerForm,
    defs: &[custom_field_def::Model],
) -> AppResult<()> {
    // Only the active fields are in the form; values of deactivated fields stay untouched.
    custom_field_value::Entity::delete_many()
        .filter(custom_field_value::Column::CustomerId.eq(customer_id))
        .filter(custom_field_value::Column::FieldId.is_in(defs.iter().map(|d| d.id)))
        .exec(txn)
        .await?;
    let values: Vec<custom_field_value::ActiveModel> = defs
        .iter()
        .filter_map(|d| {
            let v = form.custom.get(&d.key)?.trim();
            (!v.is_empty()).then(|| custom_field_value::ActiveModel {
                customer_id: Set(customer_id),
                field_id: Set(d.id),
                value: Set(v.to_string()),
            })
        })
        .collect();
    if !values.is_empty() {
        custom_field_value::Entity::insert_many(values).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Validate the form; returns the active custom field definitions it was checked against, so
/// the write uses the same ones without loading them again.
async fn check<C: ConnectionTrait>(
    db: &C,
    form: &CustomerForm,
    today: Ymd,
) -> AppResult<Vec<custom_field_def::Model>> {
    let defs = active_custom_fields(db).await?;
    let views: Vec<_> = defs.iter().map(def_view).collect();
    let mut errors = validate(form, &views, today);
    // The EAS code list lives on the server: an address the form took is checked against it.
    if let Some(address) = crate::billing::einvoice_rules::parse_address(&form.einvoice_address)
        && !errors.iter().any(|e| e.field == "einvoice_address")
        && !crate::billing::einvoice::address_known(&address)
    {
        errors.push(crate::error::FieldError::new("einvoice_address", "validation.einvoice_scheme"));
    }
    if errors.is_empty() { Ok(defs) } else { Err(AppError::Validation(errors)) }
}

/// Create a customer; returns its id. The number comes from the customer-number counter.
pub async fn create(db: &Db, _actor: Actor, form: &CustomerForm, source: &str, today: Ymd) -> AppResult<i32> {
    let defs = check(db, form, today).await?;
    let txn = crate::db::begin_write(db).await?;
    let (group_id, reseller_id) = resolve_refs(&txn, form, None).await?;
    let number = format!("K-{}", next_counter(&txn, "customer_number", 10001).await?);
    let now = chrono::Utc::now();
    let mut am = customer::ActiveModel {
        number: Set(number.clone()),
        api_key_hash: Set(None),
        pending_email: Set(None),
        source: Set(source.to_string()),
        last_login_at: Set(None),
        last_ip: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply_form(&mut am, &number, form, group_id, reseller_id);
    let model = am.insert(&txn).await?;
    write_custom_values(&txn, model.id, form, &defs).await?;
    txn.commit().await?;
    Ok(model.id)
}

/// Save the form over the customer at `expected_version`. If anyone saved since, nothing is
/// written and the caller gets `Conflict` with the version the record is at now. Returns the
/// saved profile, read inside the same transaction.
pub async fn update(
    ctx: &Ctx,
    actor: Actor,
    id: i32,
    expected_version: i64,
    form: &CustomerForm,
    today: Ymd,
) -> AppResult<CustomerProfile> {
    update_reverting(ctx, actor, id, expected_version, form, today, None).await
}

/// `update`, recording the changes as the undo of change `reverts` when given.
pub async fn update_reverting(
    ctx: &Ctx,
    actor: Actor,
    id: i32,
    expected_version: i64,
    form: &CustomerForm,
    today: Ymd,
    reverts: Option<i32>,
) -> AppResult<CustomerProfile> {
    // Validated before the transaction: on SQLite its first statement must be the write.
    let defs = check(&ctx.db, form, today).await?;
    let mut change = ctx.begin(id).await?;
    let before = customer::Entity::find_by_id(id).one(&change.txn).await?.ok_or(AppError::NotFound)?.email;
    let saved = update_in(&change, actor, expected_version, form, &defs, reverts).await?;
    // A new address: the customer's portal login follows it (with a fresh link to it).
    if !before.trim().eq_ignore_ascii_case(saved.detail.form.email.trim()) {
        let staff_id = actor.staff_id();
        let (base_url, email) = (ctx.base_url().to_string(), saved.detail.form.email.clone());
        let portal_logins = crate::auth::portal_logins::own_address_changed;
        if portal_logins(&change.txn, id, &email, &base_url, staff_id).await? {
            change.touched(crate::mail::AREA);
            change.mail_queued();
        }
    }
    change.touched_at_version(crate::customers::areas::data::AREA.slug, saved.detail.version);
    change.commit().await?;
    Ok(saved)
}

/// Validate a form for saving; returns the custom field definitions it was checked against.
pub async fn validate_form<C: ConnectionTrait>(
    db: &C,
    form: &CustomerForm,
    today: Ymd,
) -> AppResult<Vec<custom_field_def::Model>> {
    check(db, form, today).await
}

/// The write of `update_reverting` inside an open change of the customer, for a form already
/// validated (a merge saves the kept customer so). The caller says what it touched.
pub async fn update_in(
    change: &Change<'_>,
    actor: Actor,
    expected_version: i64,
    form: &CustomerForm,
    defs: &[custom_field_def::Model],
    reverts: Option<i32>,
) -> AppResult<CustomerProfile> {
    let (txn, id) = (&change.txn, change.customer_id());
    change.claim_version(expected_version).await?;
    let current = customer::Entity::find_by_id(id).one(txn).await?.ok_or(AppError::NotFound)?;
    let (group_id, reseller_id) = resolve_refs(txn, form, Some(id)).await?;
    let before = super::read::detail(txn, id).await?.form;
    let number = current.number.clone();
    let mut am = current.into_active_model();
    apply_form(&mut am, &number, form, group_id, reseller_id);
    let aliases = super::convert::alias_numbers(txn, id).await?;
    if !aliases.is_empty() {
        am.search_text = Set(super::convert::search_text_with(&number, &aliases, form));
    }
    am.updated_at = Set(chrono::Utc::now());
    am.update(txn).await?;
    write_custom_values(txn, id, form, defs).await?;
    let saved = profile(txn, id).await?;
    // The Verlauf records what was stored, field by field, in the same transaction.
    crate::customers::areas::history::service::record_diff(
        txn,
        id,
        actor,
        &before,
        &saved.detail.form,
        reverts,
    )
    .await?;
    Ok(saved)
}

/// Replace the customer's API key; returns the new key (only its hash is stored).
/// Refused while API access is off. The form's version is not touched: the key is not in it.
pub async fn regenerate_api_key(ctx: &Ctx, _actor: Actor, id: i32) -> AppResult<String> {
    use rand::RngCore;
    let mut change = ctx.begin(id).await?;
    let db = &change.txn;
    let current = customer::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !current.api_access {
        return Err(AppError::Validation(vec![FieldError::new("api_access", "validation.api_access_off")]));
    }
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = format!("cdk_{}", hex::encode(bytes));
    db.execute_raw(stmt(
        db,
        "UPDATE customers SET api_key_hash = $1 WHERE id = $2",
        vec![crate::auth::service::token_hash(&key).into(), id.into()],
    ))
    .await?;
    change.touched(crate::customers::areas::data::AREA.slug);
    change.commit().await?;
    Ok(key)
}

/// Open a change of customer `id` that switches flags of its form (as `apply` sets them) at the
/// version the staff member saw; the Verlauf records them like any Daten change. The caller may
/// write more in the change (an area's own rows) before it commits.
pub async fn switch<'a>(
    ctx: &'a Ctx,
    actor: Actor,
    id: i32,
    version: i64,
    apply: impl FnOnce(&mut CustomerForm),
) -> AppResult<Change<'a>> {
    let mut form = super::read::detail(&ctx.db, id).await?.form;
    apply(&mut form);
    let defs = check(&ctx.db, &form, super::today()).await?;
    let mut change = ctx.begin(id).await?;
    let saved = update_in(&change, actor, version, &form, &defs, None).await?;
    change.touched_at_version(crate::customers::areas::data::AREA.slug, saved.detail.version);
    Ok(change)
}
