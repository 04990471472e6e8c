//! The Domains server functions: reading is `domains.view`, ordering `domains.edit`.
use super::model::{
    CustomerPriceInput, CustomerPricePage, DomainConfirm, DomainFlag, DomainInput, DomainJobAction,
    DomainPage, DomainTerms, DomainView,
};
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

/// The active endings with their list prices and the customer's own, own ones first.
#[server(endpoint = "customer_domain_prices", input = Json, output = Json)]
pub async fn customer_domain_prices(id: i32, page: u32) -> Result<CustomerPricePage, AppError> {
    require(Permission::DomainsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    super::prices::page(db, id, page).await
}

/// "Preise bearbeiten": the customer's own prices for one ending.
#[server(endpoint = "save_customer_domain_price", input = Json, output = Json)]
pub async fn save_customer_domain_price(id: i32, price: CustomerPriceInput) -> Result<(), AppError> {
    let staff = require(Permission::DomainsPrices)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    crate::customers::service::detail(&ctx.db, id).await?;
    super::prices::save(&ctx, crate::events::actor::Actor::Staff(staff.id), id, &price).await?;
    let act = crate::audit::service::Act::new("domain_price_saved", format!("tld {}", price.tld_id))
        .customer(id)
        .change("", price.own.join(" / "));
    crate::auth::audit_trail::record(&staff, act).await
}

/// A domain's auth code for staff: audited and in the customer's Log.
#[server(endpoint = "reveal_domain_authcode", input = Json, output = Json)]
pub async fn reveal_domain_authcode(id: i32, domain: i32) -> Result<String, AppError> {
    use super::authcode::{Asker, reveal};
    let staff = require(Permission::DomainsAuthcode)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let ip = crate::web::client_ip::current().map(|ip| ip.to_string()).unwrap_or_default();
    let (name, code) = reveal(&ctx, id, domain, Asker::Staff { id: staff.id, ip: &ip }).await?;
    let act = crate::audit::service::Act::new("domain_authcode_shown", name).customer(id);
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(code)
}

/// One of the customer's domain switches, at the customer's version shown.
#[server(endpoint = "set_domain_flag", input = Json, output = Json)]
pub async fn set_domain_flag(id: i32, version: i64, flag: DomainFlag, on: bool) -> Result<(), AppError> {
    let staff = require(Permission::DomainsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::set_flag(&ctx, crate::events::actor::Actor::Staff(staff.id), id, version, flag, on).await
}

/// The manual registrar: staff confirm a domain they registered by hand, with its dates.
#[server(endpoint = "confirm_domain", input = Json, output = Json)]
pub async fn confirm_domain(id: i32, domain: i32, confirm: DomainConfirm) -> Result<(), AppError> {
    let staff = require(Permission::DomainsEdit)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    super::service::confirm(&ctx, crate::events::actor::Actor::Staff(staff.id), id, domain, &confirm).await
}

/// A domain's own view with its registrar jobs and their logs.
#[server(endpoint = "open_domain", input = Json, output = Json)]
pub async fn open_domain(id: i32, domain: i32, page: u32) -> Result<DomainView, AppError> {
    require(Permission::DomainsView)?;
    let db = &crate::web::state::app_state()?.db;
    super::service::view(db, id, domain, page).await
}

/// Ask the domain's registrar to renew, sync, delete or retry (audited).
#[server(endpoint = "request_domain_job", input = Json, output = Json)]
pub async fn request_domain_job(
    id: i32,
    domain: i32,
    version: i64,
    action: DomainJobAction,
    years: u8,
) -> Result<i32, AppError> {
    let staff = require(Permission::DomainsRegistrar)?;
    let ctx = crate::web::state::app_state()?.ctx(&staff.name);
    let actor = crate::events::actor::Actor::Staff(staff.id);
    let job = super::service::request(&ctx, actor, id, domain, version, action, years).await?;
    let act = crate::audit::service::Act::new("domain_requested", format!("domain {domain}"))
        .customer(id)
        .change("", format!("{} {years}", action.as_str()));
    crate::auth::audit_trail::record(&staff, act).await?;
    Ok(job)
}
