use crate::codec::Json;
use crate::customers::model::CustomerProfile;
use crate::error::AppError;
use crate::records::model::{MergeCandidate, MergeChoice, MergePreview};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

/// Likely duplicates of customer `id`.
#[server(endpoint = "merge_candidates", input = Json, output = Json)]
pub async fn merge_candidates(id: i32) -> Result<Vec<MergeCandidate>, AppError> {
    require(Permission::CustomersMerge)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::customers::areas::merge::service::candidates(db, id).await
}

/// What merging the customer numbered `duplicate` into `id` would do.
#[server(endpoint = "preview_merge", input = Json, output = Json)]
pub async fn preview_merge(id: i32, duplicate: String) -> Result<MergePreview, AppError> {
    require(Permission::CustomersMerge)?;
    let db = &crate::web::state::app_state()?.db;
    let Some(duplicate_id) = crate::customers::areas::merge::service::id_by_number(db, &duplicate).await?
    else {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("duplicate", "merge.unknown")]));
    };
    crate::customers::areas::merge::service::preview(db, id, duplicate_id).await
}

#[server(endpoint = "merge_customers", input = Json, output = Json)]
pub async fn merge_customers(choice: MergeChoice) -> Result<CustomerProfile, AppError> {
    let staff = require(Permission::CustomersMerge)?;
    let state = crate::web::state::app_state()?;
    let today = crate::customers::service::today();
    let progress =
        crate::records::progress::Progress::live(state.live.clone(), choice.keep_id, "merge", &staff.name);
    let number = |id| crate::customers::service::detail(&state.db, id);
    let (keep, duplicate) = (number(choice.keep_id).await?.number, number(choice.duplicate_id).await?.number);
    let merged = super::service::merge(&state.ctx(&staff.name), staff.id, &choice, today, &progress).await?;
    let act = crate::audit::service::Act::new("customers_merged", format!("{keep} ← {duplicate}"))
        .customer(choice.keep_id);
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(merged)
}
