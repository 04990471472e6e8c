//! Server functions of staff management; all need the "manage staff" permission.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::audit::service::Act, crate::auth::Permission, crate::auth::audit_trail::record,
    crate::auth::require, crate::staff::service, crate::web::state::app_state,
};

#[server(endpoint = "list_staff", input = Json, output = Json)]
pub async fn list_staff() -> Result<Vec<StaffRow>, AppError> {
    require(Permission::ManageStaff)?;
    service::list_staff(&app_state()?.db).await
}

#[server(endpoint = "list_roles", input = Json, output = Json)]
pub async fn list_roles() -> Result<Vec<RoleRow>, AppError> {
    require(Permission::ManageStaff)?;
    service::list_roles(&app_state()?.db).await
}

#[server(endpoint = "create_staff", input = Json, output = Json)]
pub async fn create_staff(input: NewStaff) -> Result<i32, AppError> {
    let me = require(Permission::ManageStaff)?;
    let db = app_state()?.db;
    let (role, permissions) = service::role_grants(&db, input.role_id).await?;
    service::ensure_within(&me, "role_id", &permissions)?;
    let id = service::create_staff(&db, &input).await?;
    record(&me, Act::new("staff_created", input.email.trim().to_lowercase()).change("", role)).await?;
    Ok(id)
}

#[server(endpoint = "change_staff", input = Json, output = Json)]
pub async fn change_staff(change: StaffChange) -> Result<(), AppError> {
    let me = require(Permission::ManageStaff)?;
    let db = app_state()?.db;
    // Neither a member who holds more than oneself nor a role that does is within reach.
    let (email, before) = within_reach(&db, &me, change.id).await?;
    service::ensure_within(&me, "role_id", &service::role_grants(&db, change.role_id).await?.1)?;
    service::change_staff(&db, me.id, &change).await?;
    let after = service::member_summary(&db, change.id).await?.2;
    record(&me, Act::new("staff_changed", email).change(before, after)).await
}

/// Log a member out everywhere; returns how many sessions ended.
#[server(endpoint = "end_staff_sessions", input = Json, output = Json)]
pub async fn end_staff_sessions(id: i32) -> Result<u64, AppError> {
    let me = require(Permission::ManageStaff)?;
    let db = app_state()?.db;
    let (email, _) = within_reach(&db, &me, id).await?;
    let ended = service::end_staff_sessions(&db, id).await?;
    record(&me, Act::new("staff_sessions_ended", email).change("", ended.to_string())).await?;
    Ok(ended)
}

#[server(endpoint = "save_role", input = Json, output = Json)]
pub async fn save_role(input: RoleInput) -> Result<i32, AppError> {
    let me = require(Permission::ManageStaff)?;
    let db = app_state()?.db;
    let keys = |ps: &[Permission]| ps.iter().map(|p| p.key()).collect::<Vec<_>>().join(", ");
    let before = match input.id {
        Some(id) => {
            let (_, held) = service::role_grants(&db, id).await?;
            service::ensure_within(&me, "permissions", &held)?;
            keys(&held)
        }
        None => String::new(),
    };
    service::ensure_within(&me, "permissions", &input.permissions)?;
    let id = service::save_role(&db, &input).await?;
    let (name, after) = service::role_grants(&db, id).await?;
    record(&me, Act::new("role_saved", name).change(before, keys(&after))).await?;
    Ok(id)
}

#[server(endpoint = "staff_login_policy", input = Json, output = Json)]
pub async fn staff_login_policy() -> Result<StaffPolicy, AppError> {
    require(Permission::ManageStaff)?;
    service::policy(&app_state()?.db).await
}

#[server(endpoint = "set_staff_policy", input = Json, output = Json)]
pub async fn set_staff_policy(policy: StaffPolicy) -> Result<(), AppError> {
    let me = require(Permission::ManageStaff)?;
    let db = app_state()?.db;
    let before = service::policy(&db).await?;
    service::set_policy(&db, me.id, &policy).await?;
    let state = |p: &StaffPolicy| format!("require_2fa: {}", p.require_2fa);
    record(&me, Act::new("policy_changed", "").change(state(&before), state(&policy))).await
}

#[server(endpoint = "reset_staff_two_factor", input = Json, output = Json)]
pub async fn reset_staff_two_factor(id: i32) -> Result<(), AppError> {
    let me = require(Permission::ManageStaff)?;
    let db = app_state()?.db;
    let (email, _) = within_reach(&db, &me, id).await?;
    service::reset_two_factor(&db, id).await?;
    record(&me, Act::new("two_factor_reset", email)).await
}

/// A member the asking one may act on: holding nothing the asker lacks (so nobody resets the
/// second factor of, logs out or changes someone above them). Returns their address and how the
/// audit log states their role and activation.
#[cfg(feature = "ssr")]
async fn within_reach(
    db: &crate::db::Db,
    me: &crate::auth::StaffIdentity,
    id: i32,
) -> Result<(String, String), AppError> {
    let (email, role, summary) = service::member_summary(db, id).await?;
    if let Some(role_id) = role {
        service::ensure_within(me, "id", &service::role_grants(db, role_id).await?.1)?;
    }
    Ok((email, summary))
}
