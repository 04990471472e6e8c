//! Contacts: saved with a version check, every field change recorded in the Verlauf in the same
//! transaction, and the contact's own portal login kept in step (created with an invitation
//! link when access is granted, disabled with its sessions ended when it is taken away).
use super::model::*;
use crate::auth::portal_logins::{INVITE_VALID, Link, issue_link};
use crate::choice::{Choice, join, split};
use crate::customers::areas::history::service::{FieldChange, differing, record_changes};
use crate::customers::model::{LANGUAGES, Salutation};
use crate::customers::service::Actor;
use crate::customers::validate::{email_valid, phone_valid};
use crate::db::entities::{change, contact, customer, portal_login};
use crate::error::{AppError, AppResult, FieldError};
use crate::mail::model::MailKind;
use crate::write::Ctx;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

/// The entity name of contact rows in the Verlauf.
pub const ENTITY: &str = "contact";

/// A list of choices, deduplicated, in display order.
fn normalise<T: Choice>(values: &[T]) -> Vec<T> {
    T::all().iter().copied().filter(|a| values.contains(a)).collect()
}

pub fn to_input(c: &contact::Model) -> ContactInput {
    ContactInput {
        id: Some(c.id),
        version: c.version,
        salutation: c.salutation.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        position: c.position.clone(),
        language: c.language.clone(),
        cc: split(&c.cc_kinds),
        portal_access: c.portal_access,
        rights: split(&c.portal_rights),
    }
}

fn validate(input: &ContactInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !input.salutation.is_empty() && Salutation::parse(&input.salutation).is_none() {
        errors.push(FieldError::new("salutation", "validation.choice"));
    }
    if input.first_name.trim().is_empty() && input.last_name.trim().is_empty() {
        errors.push(FieldError::new("last_name", "contacts.name_required"));
    }
    let email = input.email.trim();
    if email.is_empty() {
        errors.push(FieldError::new("email", "validation.required"));
    } else if !email_valid(email) {
        errors.push(FieldError::new("email", "validation.email"));
    }
    if !input.phone.trim().is_empty() && !phone_valid(&input.phone) {
        errors.push(FieldError::new("phone", "validation.phone"));
    }
    if !LANGUAGES.contains(&input.language.as_str()) {
        errors.push(FieldError::new("language", "validation.choice"));
    }
    use crate::text::{Lines, check};
    for (field, value, max) in [
        ("first_name", &input.first_name, 100),
        ("last_name", &input.last_name, 100),
        ("email", &input.email, 200),
        ("phone", &input.phone, 50),
        ("position", &input.position, 100),
    ] {
        check(&mut errors, field, value, max, Lines::One);
    }
    errors
}

/// The input as it is stored: trimmed, e-mail in lower case, choices in a fixed order.
fn clean(input: &ContactInput) -> ContactInput {
    ContactInput {
        salutation: input.salutation.clone(),
        first_name: input.first_name.trim().into(),
        last_name: input.last_name.trim().into(),
        email: input.email.trim().to_lowercase(),
        phone: input.phone.trim().into(),
        position: input.position.trim().into(),
        cc: normalise(&input.cc),
        rights: normalise(&input.rights),
        ..input.clone()
    }
}

/// The fields that differ, as the Verlauf records them.
fn diff(before: &ContactInput, after: &ContactInput, active: Option<(bool, bool)>) -> Vec<FieldChange> {
    let mut changes = differing(ContactInput::FIELDS, |f| before.read(f), |f| after.read(f));
    if let Some((old, new)) = active.filter(|(o, n)| o != n) {
        changes.push(FieldChange { field: "active".into(), old: old.to_string(), new: new.to_string() });
    }
    changes
}

pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<ContactRow>> {
    let contacts = contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(customer_id))
        .order_by_desc(contact::Column::Active)
        .order_by_asc(contact::Column::LastName)
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?;
    let logins = portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(customer_id))
        .filter(portal_login::Column::ContactId.is_not_null())
        .all(db)
        .await?;
    Ok(contacts
        .into_iter()
        .map(|c| {
            let login = logins.iter().find(|l| l.contact_id == Some(c.id));
            let status = match login {
                Some(l) if !l.active => LoginState::Disabled,
                Some(l) if l.password_hash.is_none() => LoginState::Invited,
                Some(_) => LoginState::Active,
                None => LoginState::NoLogin,
            };
            ContactRow {
                input: to_input(&c),
                active: c.active,
                login: status,
                updated_at: c.updated_at.to_rfc3339(),
            }
        })
        .collect())
}

/// Create or edit a contact. Returns its id.
pub async fn save(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    input: &ContactInput,
    base_url: &str,
) -> AppResult<i32> {
    save_reverting(ctx, actor, customer_id, input, base_url, None).await
}

pub(crate) async fn save_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    input: &ContactInput,
    base_url: &str,
    reverts: Option<i32>,
) -> AppResult<i32> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let input = clean(input);
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let (saved, changes) = match input.id {
        None => {
            let row = contact::ActiveModel {
                customer_id: Set(customer_id),
                salutation: Set(input.salutation.clone()),
                first_name: Set(input.first_name.clone()),
                last_name: Set(input.last_name.clone()),
                email: Set(input.email.clone()),
                phone: Set(input.phone.clone()),
                position: Set(input.position.clone()),
                language: Set(input.language.clone()),
                cc_kinds: Set(join(&input.cc)),
                portal_access: Set(input.portal_access),
                portal_rights: Set(join(&input.rights)),
                active: Set(true),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (row, diff(&ContactInput::default(), &input, Some((false, true))))
        }
        Some(id) => {
            let current = find(txn, customer_id, id).await?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            let changes = diff(&to_input(&current), &input, None);
            let mut am = current.into_active_model();
            am.salutation = Set(input.salutation.clone());
            am.first_name = Set(input.first_name.clone());
            am.last_name = Set(input.last_name.clone());
            am.email = Set(input.email.clone());
            am.phone = Set(input.phone.clone());
            am.position = Set(input.position.clone());
            am.language = Set(input.language.clone());
            am.cc_kinds = Set(join(&input.cc));
            am.portal_access = Set(input.portal_access);
            am.portal_rights = Set(join(&input.rights));
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            (am.update(txn).await?, changes)
        }
    };
    record_changes(txn, customer_id, ENTITY, saved.id, actor, &changes, reverts).await?;
    sync_login(txn, &c, &saved, actor, base_url).await?;
    change.touched(super::AREA.slug);
    change.mail_queued();
    change.commit().await?;
    Ok(saved.id)
}

async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<contact::Model> {
    contact::Entity::find_by_id(id)
        .filter(contact::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Remove (or, from the Verlauf's undo, restore) a contact, given as (id, version the change is
/// based on). A removed contact keeps its row and history but gets no mail and its login stops
/// working at once.
pub async fn set_active(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    (id, version): (i32, i64),
    active: bool,
    base_url: &str,
    reverts: Option<i32>,
) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let current = find(txn, customer_id, id).await?;
    if current.version != version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    let changes = diff(&to_input(&current), &to_input(&current), Some((current.active, active)));
    let mut am = current.into_active_model();
    am.active = Set(active);
    am.version = Set(version + 1);
    am.updated_at = Set(Utc::now());
    let saved = am.update(txn).await?;
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, reverts).await?;
    sync_login(txn, &c, &saved, actor, base_url).await?;
    change.touched(super::AREA.slug);
    change.mail_queued();
    change.commit().await?;
    Ok(())
}

/// Keep the contact's portal login in step with the contact: same address, active only while
/// the contact is active and has access; a new login gets an invitation link by mail.
async fn sync_login<C: ConnectionTrait>(
    db: &C,
    c: &customer::Model,
    contact: &contact::Model,
    actor: Actor,
    base_url: &str,
) -> AppResult<()> {
    let existing =
        portal_login::Entity::find().filter(portal_login::Column::ContactId.eq(contact.id)).one(db).await?;
    let wanted = contact.active && contact.portal_access;
    if !wanted {
        if let Some(login) = existing.filter(|l| l.active) {
            let id = login.id;
            let mut am = login.into_active_model();
            am.active = Set(false);
            am.update(db).await?;
            crate::auth::portal_logins::end_sessions(db, id).await?;
        }
        return Ok(());
    }
    let taken = portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(&contact.email))
        .one(db)
        .await?
        .filter(|l| l.contact_id != Some(contact.id));
    if taken.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("email", "portal.email_in_use")]));
    }
    let name = to_input(contact).name();
    let staff_id = actor.staff_id();
    let login = match existing {
        Some(l) if l.active && l.email == contact.email => return Ok(()),
        Some(l) => {
            let address_changed = l.email != contact.email;
            let mut am = l.into_active_model();
            am.active = Set(true);
            let login = am.update(db).await?;
            // A new address: the password and earlier links stop working, a fresh link goes
            // to the new address (follow_address).
            let who = (name.clone(), contact.language.clone());
            let (login, mailed) = if address_changed {
                crate::auth::portal_logins::follow_address(
                    db,
                    login,
                    c,
                    &contact.email,
                    base_url,
                    staff_id,
                    who,
                )
                .await?
            } else {
                (login, false)
            };
            if mailed || login.password_hash.is_some() {
                return Ok(());
            }
            login
        }
        None => crate::auth::portal_logins::create_login(db, c.id, Some(contact.id), &contact.email).await?,
    };
    let link = Link { template: "contact_invite", name, language: contact.language.clone() };
    issue_link(db, &login, c, base_url, staff_id, link, INVITE_VALID).await?;
    Ok(())
}

/// Undo one recorded change of a contact through the normal save (validated, version-checked,
/// recorded with a link to the change it reverts). Refused when the field changed since.
pub async fn undo(
    ctx: &Ctx,
    staff_id: i32,
    customer_id: i32,
    c: &change::Model,
    base_url: &str,
) -> AppResult<()> {
    let current = find(&ctx.db, customer_id, c.entity_id).await?;
    let changed_since =
        || AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]);
    if c.field == "active" {
        if current.active.to_string() != c.new_value {
            return Err(changed_since());
        }
        let version = current.version;
        return set_active(
            ctx,
            Actor::Staff(staff_id),
            customer_id,
            (current.id, version),
            c.old_value == "true",
            base_url,
            Some(c.id),
        )
        .await;
    }
    let mut input = to_input(&current);
    if input.read(&c.field).as_deref() != Some(c.new_value.as_str()) {
        return Err(changed_since());
    }
    if !input.write(&c.field, &c.old_value) {
        return Err(AppError::NotFound);
    }
    save_reverting(ctx, Actor::Staff(staff_id), customer_id, &input, base_url, Some(c.id)).await.map(|_| ())
}

/// The addresses of the customer's active contacts who get mail of this kind in CC.
pub async fn cc_for<C: ConnectionTrait>(db: &C, customer_id: i32, kind: MailKind) -> AppResult<Vec<String>> {
    Ok(contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(customer_id))
        .filter(contact::Column::Active.eq(true))
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| split::<CcKind>(&c.cc_kinds).iter().any(|k| k.covers(kind)))
        .map(|c| c.email)
        .collect())
}

/// The contact behind a portal login, if it may still log in.
pub async fn for_login<C: ConnectionTrait>(db: &C, contact_id: i32) -> AppResult<Option<contact::Model>> {
    Ok(contact::Entity::find_by_id(contact_id).one(db).await?.filter(|c| c.active && c.portal_access))
}

/// Names of a customer's contacts by portal login id, for the Verlauf and the Log.
pub async fn names_by_login<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
) -> AppResult<std::collections::HashMap<i32, String>> {
    let contacts =
        contact::Entity::find().filter(contact::Column::CustomerId.eq(customer_id)).all(db).await?;
    Ok(portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(customer_id))
        .filter(portal_login::Column::ContactId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|l| {
            let c = contacts.iter().find(|c| Some(c.id) == l.contact_id)?;
            Some((l.id, to_input(c).name()))
        })
        .collect())
}

/// Names of a customer's contacts by contact id, for the Verlauf's subject column.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
) -> AppResult<std::collections::HashMap<i32, String>> {
    Ok(contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(customer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, to_input(&c).name()))
        .collect())
}

/// Kontakte in the customer-records registry.
pub const RECORDS: crate::records::registry::Tables = crate::records::registry::Tables {
    area: "contacts",
    claims: &[crate::records::registry::TableClaim::rows("contacts", "customer_id")],
};
