//! Server functions of staff management; all need the "manage staff" permission.
use super::model::*;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {crate::auth::Permission, crate::auth::require, crate::staff::service, crate::web::state::app_state};

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
    require(Permission::ManageStaff)?;
    service::create_staff(&app_state()?.db, &input).await
}

#[server(endpoint = "change_staff", input = Json, output = Json)]
pub async fn change_staff(change: StaffChange) -> Result<(), AppError> {
    let me = require(Permission::ManageStaff)?;
    service::change_staff(&app_state()?.db, me.id, &change).await
}

/// Log a member out everywhere; returns how many sessions ended.
#[server(endpoint = "end_staff_sessions", input = Json, output = Json)]
pub async fn end_staff_sessions(id: i32) -> Result<u64, AppError> {
    require(Permission::ManageStaff)?;
    service::end_staff_sessions(&app_state()?.db, id).await
}

#[server(endpoint = "save_role", input = Json, output = Json)]
pub async fn save_role(input: RoleInput) -> Result<i32, AppError> {
    require(Permission::ManageStaff)?;
    service::save_role(&app_state()?.db, &input).await
}

#[server(endpoint = "staff_login_policy", input = Json, output = Json)]
pub async fn staff_login_policy() -> Result<StaffPolicy, AppError> {
    require(Permission::ManageStaff)?;
    service::policy(&app_state()?.db).await
}

#[server(endpoint = "set_staff_policy", input = Json, output = Json)]
pub async fn set_staff_policy(policy: StaffPolicy) -> Result<(), AppError> {
    let me = require(Permission::ManageStaff)?;
    service::set_policy(&app_state()?.db, me.id, &policy).await
}

#[server(endpoint = "reset_staff_two_factor", input = Json, output = Json)]
pub async fn reset_staff_two_factor(id: i32) -> Result<(), AppError> {
    require(Permission::ManageStaff)?;
    service::reset_two_factor(&app_state()?.db, id).await
}
