use super::model::TimelineItem;
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

/// The merged timeline; `kind` "" for all, else one of the kinds. Each kind appears only for
/// staff who may see its own area.
#[server(endpoint = "customer_timeline", input = Json, output = Json)]
pub async fn customer_timeline(id: i32, kind: String) -> Result<Vec<TimelineItem>, AppError> {
    let me = crate::auth::require(crate::auth::Permission::CustomersView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    let allowed: Vec<&str> = crate::customers::areas::registry::timeline_kinds()
        .filter(|(area, k)| me.can(area.view) && (kind.is_empty() || kind == k.kind))
        .map(|(_, k)| k.kind)
        .collect();
    super::service::timeline(db, id, &allowed, 300).await
}
