//! Staff members and roles. Every change keeps one invariant: at least one active member can
//! still manage staff, so nobody locks the office out of its own system.
use super::model::*;
use crate::auth::Permission;
use crate::auth::permissions::BuiltinRole;
use crate::auth::service::{IDLE, MIN_PASSWORD_CHARS, end_sessions_of, hash_password, role_permissions};
use crate::db::Db;
use crate::db::entities::{role, role_permission, session, staff};
use crate::error::{AppError, AppResult, FieldError};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

async fn roles_with_permissions<C: ConnectionTrait>(
    db: &C,
) -> AppResult<Vec<(role::Model, Vec<Permission>)>> {
    let roles = role::Entity::find()
        .order_by_desc(role::Column::Builtin)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(roles.len());
    for r in roles {
        let perms = role_permissions(db, &r).await?;
        out.push((r, perms));
    }
    Ok(out)
}

pub async fn list_roles<C: ConnectionTrait>(db: &C) -> AppResult<Vec<RoleRow>> {
    let members: HashMap<i32, u64> =
        staff::Entity::find().all(db).await?.iter().fold(HashMap::new(), |mut m, s| {
            if let Some(r) = s.role_id {
                *m.entry(r).or_default() += 1;
            }
            m
        });
    Ok(roles_with_permissions(db)
        .await?
        .into_iter()
        .map(|(r, permissions)| RoleRow {
            id: r.id,
            members: members.get(&r.id).copied().unwrap_or(0),
            key: r.key,
            name: r.name,
            builtin: r.builtin,
            permissions,
        })
        .collect())
}

pub async fn list_staff<C: ConnectionTrait>(db: &C) -> AppResult<Vec<StaffRow>> {
    let names: HashMap<i32, String> =
        role::Entity::find().all(db).await?.into_iter().map(|r| (r.id, r.name)).collect();
    let now = Utc::now();
    let alive = session::Entity::find()
        .filter(session::Column::PrincipalKind.eq("staff"))
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::LastSeenAt.gt(now - IDLE))
        .all(db)
        .await?;
    let mut sessions: HashMap<i32, u64> = HashMap::new();
    for s in alive {
        *sessions.entry(s.principal_id).or_default() += 1;
    }
    Ok(staff::Entity::find()
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| StaffRow {
            role_name: s.role_id.and_then(|r| names.get(&r).cloned()).unwrap_or_default(),
            sessions: sessions.get(&s.id).copied().unwrap_or(0),
            totp: s.totp_secret.is_some(),
            created_at: s.created_at.to_rfc3339(),
            id: s.id,
            email: s.email,
            name: s.name,
            role_id: s.role_id,
            active: s.active,
        })
        .collect())
}

/// Ids of the active members whose role lets them manage staff.
async fn active_managers<C: ConnectionTrait>(db: &C) -> AppResult<Vec<i32>> {
    let managing: Vec<i32> = roles_with_permissions(db)
        .await?
        .into_iter()
        .filter(|(_, p)| p.contains(&Permission::ManageStaff))
        .map(|(r, _)| r.id)
        .collect();
    Ok(staff::Entity::find()
        .filter(staff::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.role_id.is_some_and(|r| managing.contains(&r)))
        .map(|s| s.id)
        .collect())
}

/// After a change (inside its transaction): refuse it if it took away the last active member
/// able to manage staff. `before` is whether there was one before the change.
async fn ensure_someone_manages<C: ConnectionTrait>(db: &C, before: bool, field: &str) -> AppResult<()> {
    if before && active_managers(db).await?.is_empty() {
        return Err(invalid(field, "staff.last_manager"));
    }
    Ok(())
}

/// Add a staff member with a role given by id.
pub async fn create_staff(db: &Db, input: &NewStaff) -> AppResult<i32> {
    let email = input.email.trim().to_lowercase();
    let mut errors = Vec::new();
    if !crate::customers::validate::email_valid(&email) {
        errors.push(FieldError::new("email", "validation.email"));
    }
    if input.name.trim().is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    use crate::text::{Lines, check};
    check(&mut errors, "name", input.name.trim(), 100, Lines::One);
    if input.password.chars().count() < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new("password", "validation.password_short"));
    }
    if staff::Entity::find().filter(staff::Column::Email.eq(&email)).one(db).await?.is_some() {
        errors.push(FieldError::new("email", "validation.email_taken"));
    }
    if role::Entity::find_by_id(input.role_id).one(db).await?.is_none() {
        errors.push(FieldError::new("role_id", "validation.required"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let model = staff::ActiveModel {
        email: Set(email),
        name: Set(input.name.trim().to_string()),
        password_hash: Set(hash_password(&input.password).await),
        active: Set(true),
        created_at: Set(Utc::now()),
        role_id: Set(Some(input.role_id)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Add a staff member with a role given by key (the CLI, demo data, tests).
pub async fn add_staff(db: &Db, email: &str, name: &str, password: &str, role_key: &str) -> AppResult<i32> {
    let Some(role) = role::Entity::find().filter(role::Column::Key.eq(role_key)).one(db).await? else {
        return Err(invalid("role_id", "validation.required"));
    };
    create_staff(
        db,
        &NewStaff { email: email.into(), name: name.into(), password: password.into(), role_id: role.id },
    )
    .await
}

/// Change a member's role or activation. `actor` is who asks: nobody deactivates themselves.
pub async fn change_staff(db: &Db, actor: i32, change: &StaffChange) -> AppResult<()> {
    if actor == change.id && !change.active {
        return Err(invalid("active", "staff.not_yourself"));
    }
    let txn = crate::db::begin_write(db).await?;
    let member = staff::Entity::find_by_id(change.id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if role::Entity::find_by_id(change.role_id).one(&txn).await?.is_none() {
        return Err(invalid("role_id", "validation.required"));
    }
    let was_active = member.active;
    let managed_before = !active_managers(&txn).await?.is_empty();
    let mut am = member.into_active_model();
    am.role_id = Set(Some(change.role_id));
    am.active = Set(change.active);
    am.update(&txn).await?;
    ensure_someone_manages(&txn, managed_before, "role_id").await?;
    if was_active && !change.active {
        end_sessions_of(&txn, "staff", change.id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// End every session of a member ("log out everywhere"); returns how many ended.
pub async fn end_staff_sessions(db: &Db, id: i32) -> AppResult<u64> {
    staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    end_sessions_of(db, "staff", id).await
}

/// Create or change an operator-defined role. Built-in roles are fixed.
pub async fn save_role(db: &Db, input: &RoleInput) -> AppResult<i32> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(invalid("name", "validation.required"));
    }
    if let Some(error) = crate::text::problem("name", name, 60, crate::text::Lines::One) {
        return Err(AppError::Validation(vec![error]));
    }
    let txn = crate::db::begin_write(db).await?;
    let managed_before = !active_managers(&txn).await?.is_empty();
    let clash = role::Entity::find().all(&txn).await?.into_iter().any(|r| {
        Some(r.id) != input.id && r.name.to_lowercase() == name.to_lowercase()
            || BuiltinRole::from_key(&r.key).is_some() && r.key == name.to_lowercase()
    });
    if clash {
        return Err(invalid("name", "staff.role_name_taken"));
    }
    let id = match input.id {
        Some(id) => {
            let existing = role::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            if existing.builtin {
                return Err(invalid("name", "staff.role_builtin"));
            }
            let mut am = existing.into_active_model();
            am.name = Set(name.to_string());
            am.update(&txn).await?;
            role_permission::Entity::delete_many()
                .filter(role_permission::Column::RoleId.eq(id))
                .exec(&txn)
                .await?;
            id
        }
        None => {
            let n = crate::db::next_counter(&txn, "role", 1).await?;
            role::ActiveModel {
                key: Set(format!("role-{n}")),
                name: Set(name.to_string()),
                builtin: Set(false),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    let mut permissions = input.permissions.clone();
    permissions.sort();
    permissions.dedup();
    for p in permissions {
        role_permission::ActiveModel { role_id: Set(id), permission: Set(p.key().to_string()) }
            .insert(&txn)
            .await?;
    }
    ensure_someone_manages(&txn, managed_before, "permissions").await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn policy(db: &Db) -> AppResult<StaffPolicy> {
    Ok(StaffPolicy {
        require_2fa: crate::db::settings::flag(db, crate::db::settings::REQUIRE_STAFF_2FA).await?,
    })
}

/// From the next request on, members without two-factor login can only reach their account page.
/// Whoever turns the requirement on must have set up their own second factor first.
pub async fn set_policy(db: &Db, actor: i32, policy: &StaffPolicy) -> AppResult<()> {
    let me = staff::Entity::find_by_id(actor).one(db).await?.ok_or(AppError::NotFound)?;
    if policy.require_2fa && me.totp_secret.is_none() {
        return Err(invalid("require_2fa", "staff.enrol_first"));
    }
    let value = if policy.require_2fa { "true" } else { "false" };
    crate::db::settings::set(db, crate::db::settings::REQUIRE_STAFF_2FA, value).await?;
    Ok(())
}

/// Remove a member's second factor (lost phone); their sessions end so they log in afresh.
pub async fn reset_two_factor(db: &Db, id: i32) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    crate::auth::two_factor::reset(&txn, id).await?;
    end_sessions_of(&txn, "staff", id).await?;
    txn.commit().await?;
    Ok(())
}

/// A role's name and permissions (NotFound for an unknown role).
pub async fn role_grants<C: ConnectionTrait>(db: &C, role_id: i32) -> AppResult<(String, Vec<Permission>)> {
    let role = role::Entity::find_by_id(role_id).one(db).await?.ok_or(AppError::NotFound)?;
    let permissions = role_permissions(db, &role).await?;
    Ok((role.name, permissions))
}

/// A member's address, role and activation as the audit log states them.
pub async fn member_summary<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<(String, Option<i32>, String)> {
    let member = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let role = match member.role_id {
        Some(role_id) => role_grants(db, role_id).await?.0,
        None => String::new(),
    };
    Ok((
        member.email,
        member.role_id,
        format!("{role}, {}", if member.active { "active" } else { "inactive" }),
    ))
}

/// Nobody grants what they do not hold: a role given to anyone (oneself included) or saved may
/// carry only permissions the granting member has.
pub fn ensure_within(
    granter: &crate::auth::StaffIdentity,
    field: &str,
    permissions: &[Permission],
) -> AppResult<()> {
    if permissions.iter().all(|p| granter.can(*p)) {
        Ok(())
    } else {
        Err(invalid(field, "staff.above_own_rights"))
    }
}
