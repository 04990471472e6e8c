use crate::customers::model::CustomerProfile;
use crate::error::AppError;
use crate::records::model::{MergeCandidate, MergeChoice, MergePreview};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// Likely duplicates of customer `id`.
#[server(endpoint = "merge_candidates", input = Json)]
pub async fn merge_candidates(id: i32) -> Result<Vec<MergeCandidate>, AppError> {
    require(Permission::CustomersMerge)?;
    let db = &crate::server::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::records::merge::candidates(db, id).await
}

/// What merging the customer numbered `duplicate` into `id` would do.
#[server(endpoint = "preview_merge", input = Json)]
pub async fn preview_merge(id: i32, duplicate: String) -> Result<MergePreview, AppError> {
    require(Permission::CustomersMerge)?;
    let db = &crate::server::state::app_state()?.db;
    let Some(duplicate_id) = crate::records::merge::id_by_number(db, &duplicate).await? else {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("duplicate", "merge.unknown")]));
    };
    crate::records::merge::preview(db, id, duplicate_id).await
}

#[server(endpoint = "merge_customers", input = Json)]
pub async fn merge_customers(choice: MergeChoice) -> Result<CustomerProfile, AppError> {
    let staff = require(Permission::CustomersMerge)?;
    let state = crate::server::state::app_state()?;
    let today = crate::customers::service::today();
    let progress =
        crate::records::progress::Progress::live(state.live.clone(), choice.keep_id, "merge", &staff.name);
    let saved = crate::records::merge::merge(&state.db, staff.id, &choice, today, &progress).await?;
    state.live.publish(crate::live::LiveEvent::data(choice.keep_id, &staff.name, saved.detail.version)).await;
    // Every area of both changed: every panel refetches.
    for id in [choice.keep_id, choice.duplicate_id] {
        state
            .live
            .publish(crate::live::LiveEvent::new(id, crate::live::client::EVERYTHING, &staff.name))
            .await;
    }
    Ok(saved)
}
