//! The Domains server functions: reading is `domains.view`, ordering `domains.edit`.
use super::model::{DomainInput, DomainPage, DomainTerms};
use crate::codec::Json;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::{Permission, require};

#[server(endpoint = "customer_domains", input = Json, output = Json)]
pub async fn customer_domains(id: i32, page: u32) -> Result<DomainPage, AppError> {
    require(Permission::DomainsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::service::list(db, id, page).await
}

#[server(endpoint = "add_domain", input = Json, output = Json)]
pub async fn add_domain(id: i32, domain: DomainInput) -> Result<i32, AppError> {
    let staff = require(Permission::DomainsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::add(&ctx, crate::events::actor::Actor::Staff(staff.id), id, &domain).await
}

/// Whether the domain renews on its own, and until when it is paid.
#[server(endpoint = "save_domain_terms", input = Json, output = Json)]
pub async fn save_domain_terms(id: i32, domain: i32, terms: DomainTerms) -> Result<(), AppError> {
    let staff = require(Permission::DomainsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::set_terms(&ctx, crate::events::actor::Actor::Staff(staff.id), id, domain, &terms).await
}
