use super::model::{OpenProject, ProjectInput, ProjectPage, TimeInput};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_projects", input = Json, output = Json)]
pub async fn customer_projects(id: i32, page: u32) -> Result<ProjectPage, AppError> {
    require(Permission::ProjectsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, page).await
}

#[server(endpoint = "project_detail", input = Json, output = Json)]
pub async fn project_detail(id: i32, project: i32) -> Result<OpenProject, AppError> {
    require(Permission::ProjectsView)?;
    super::service::detail(&crate::web::state::app_state()?.db, id, project).await
}

#[server(endpoint = "save_project", input = Json, output = Json)]
pub async fn save_project(id: i32, project: ProjectInput) -> Result<i32, AppError> {
    let staff = require(Permission::ProjectsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::save(&ctx, crate::events::actor::Actor::Staff(staff.id), id, &project).await
}

#[server(endpoint = "add_project_task", input = Json, output = Json)]
pub async fn add_project_task(id: i32, project: i32, title: String) -> Result<i32, AppError> {
    let staff = require(Permission::ProjectsEdit)?;
    super::service::add_task(&crate::web::state::app_state()?.ctx(&staff.name), id, project, &title).await
}

#[server(endpoint = "set_project_task_done", input = Json, output = Json)]
pub async fn set_project_task_done(id: i32, task: i32, done: bool) -> Result<(), AppError> {
    let staff = require(Permission::ProjectsEdit)?;
    super::service::set_task_done(&crate::web::state::app_state()?.ctx(&staff.name), id, task, done).await
}

#[server(endpoint = "move_project_task", input = Json, output = Json)]
pub async fn move_project_task(id: i32, task: i32, up: bool) -> Result<(), AppError> {
    let staff = require(Permission::ProjectsEdit)?;
    super::service::move_task(&crate::web::state::app_state()?.ctx(&staff.name), id, task, up).await
}

/// Time spent by the staff member asking.
#[server(endpoint = "add_project_time", input = Json, output = Json)]
pub async fn add_project_time(id: i32, project: i32, time: TimeInput) -> Result<i32, AppError> {
    let staff = require(Permission::ProjectsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::add_time(&ctx, staff.id, id, project, &time).await
}

#[server(endpoint = "remove_project_time", input = Json, output = Json)]
pub async fn remove_project_time(id: i32, entry: i32) -> Result<(), AppError> {
    let staff = require(Permission::ProjectsEdit)?;
    super::service::remove_time(&crate::web::state::app_state()?.ctx(&staff.name), id, entry).await
}
