use super::model::{NoteInput, NoteRow};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_notes", input = Json, output = Json)]
pub async fn customer_notes(id: i32) -> Result<Vec<NoteRow>, AppError> {
    require(Permission::NotesView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id).await
}

#[server(endpoint = "save_note", input = Json, output = Json)]
pub async fn save_note(id: i32, note: NoteInput) -> Result<i32, AppError> {
    let staff = require(Permission::NotesEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::save(&ctx, staff.id, id, &note).await
}
