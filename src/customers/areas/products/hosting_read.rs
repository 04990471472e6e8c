//! Reading hostings: the panel's pages with each hosting's latest job, a hosting's job log, the
//! packages the form offers and the self-service area's view. Writes are in `hosting`.
use super::hosting::find;
use super::hosting_model::*;
use super::model::BillingCycle;
use super::service::today;
use crate::db::entities::{hosting, hosting_package, provisioning_job, provisioning_log, server};
use crate::error::AppResult;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

fn job_row(j: &provisioning_job::Model) -> JobRow {
    JobRow {
        id: j.id,
        action: JobAction::parse(&j.action).unwrap_or_default(),
        status: JobStatus::parse(&j.status).unwrap_or_default(),
        attempts: j.attempts,
        last_error: j.last_error.clone(),
        created_at: j.created_at.to_rfc3339(),
        finished_at: j.finished_at.map(|t| t.to_rfc3339()),
    }
}

/// Page `page` (from 1) of a customer's hostings, newest first, each with its latest job.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<HostingPage> {
    let query = hosting::Entity::find().filter(hosting::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(HOSTING_PAGE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(hosting::Column::Id)
        .offset(u64::from(page - 1) * HOSTING_PAGE)
        .limit(HOSTING_PAGE)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|h| h.id).collect();
    // The latest job of each hosting on the page, in one statement.
    let jobs: HashMap<i32, provisioning_job::Model> = provisioning_job::Entity::find()
        .filter(provisioning_job::Column::HostingId.is_in(ids.clone()))
        .filter(
            provisioning_job::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .expr(provisioning_job::Column::Id.max())
                    .from(provisioning_job::Entity)
                    .and_where(provisioning_job::Column::HostingId.is_in(ids))
                    .group_by_col(provisioning_job::Column::HostingId)
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|j| (j.hosting_id, j))
        .collect();
    let packages: HashMap<i32, String> = hosting_package::Entity::find()
        .select_only()
        .columns([hosting_package::Column::Id, hosting_package::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let servers: HashMap<i32, (String, String)> = server::Entity::find()
        .select_only()
        .columns([server::Column::Id, server::Column::Name, server::Column::Module])
        .into_tuple::<(i32, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, module)| (id, (name, module)))
        .collect();
    let rows = rows
        .into_iter()
        .map(|h| {
            let (server, module) = servers.get(&h.server_id).cloned().unwrap_or_default();
            HostingRow {
                id: h.id,
                version: h.version,
                package: packages.get(&h.package_id).cloned().unwrap_or_default(),
                server,
                module,
                status: HostingStatus::parse(&h.status).unwrap_or_default(),
                suspend_reason: h.suspend_reason,
                suspended_at: h.suspended_at.map(|t| t.to_rfc3339()),
                terminated_at: h.terminated_at.map(|t| t.to_rfc3339()),
                external_ref: h.external_ref,
                contract_date: h.contract_date.to_string(),
                billing_cycle: BillingCycle::parse(&h.billing_cycle).unwrap_or_default(),
                last_job: jobs.get(&h.id).map(job_row),
                remote_state: h.remote_state,
                checked_at: h.checked_at.map(|t| t.to_rfc3339()),
                username: h.username,
                domain: h.domain,
            }
        })
        .collect();
    Ok(HostingPage { rows, total, page, pages })
}

/// Page `page` of the log of the customer's hosting `id`, newest first.
pub async fn log<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32, page: u32) -> AppResult<LogPage> {
    find(db, customer_id, id).await?;
    let query = provisioning_log::Entity::find().filter(provisioning_log::Column::HostingId.eq(id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(LOG_PAGE).max(1) as u32;
    let page = page.clamp(1, pages);
    let lines = query
        .order_by_desc(provisioning_log::Column::Id)
        .offset(u64::from(page - 1) * LOG_PAGE)
        .limit(LOG_PAGE)
        .all(db)
        .await?;
    let actions: HashMap<i32, JobAction> = provisioning_job::Entity::find()
        .filter(provisioning_job::Column::Id.is_in(lines.iter().map(|l| l.job_id).collect::<Vec<_>>()))
        .select_only()
        .columns([provisioning_job::Column::Id, provisioning_job::Column::Action])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, a)| (id, JobAction::parse(&a).unwrap_or_default()))
        .collect();
    let rows = lines
        .into_iter()
        .map(|l| LogRow {
            at: l.at.to_rfc3339(),
            job_id: l.job_id,
            action: actions.get(&l.job_id).copied().unwrap_or_default(),
            attempt: l.attempt,
            step: l.step,
            level: l.level,
            message: l.message,
        })
        .collect();
    Ok(LogPage { rows, total, page, pages })
}

/// What the hosting form offers: the active packages.
pub async fn choices<C: ConnectionTrait>(db: &C) -> AppResult<HostingChoices> {
    let modules = crate::provisioning::Modules::standard();
    let servers: HashMap<i32, String> = server::Entity::find()
        .select_only()
        .columns([server::Column::Id, server::Column::Module])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let packages = hosting_package::Entity::find()
        .filter(hosting_package::Column::Active.eq(true))
        .order_by_asc(hosting_package::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PackageChoice {
            id: p.id,
            needs_domain: servers
                .get(&p.server_id)
                .and_then(|m| modules.get(m))
                .is_some_and(|m| m.needs_domain()),
            name: p.name,
        })
        .collect();
    Ok(HostingChoices { packages, today: today().to_string() })
}

/// Page `page` of the customer's hostings for the self-service area.
pub async fn for_portal<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<PortalHostingPage> {
    let HostingPage { rows, total, page, pages } = list(db, customer_id, page).await?;
    let rows = rows
        .into_iter()
        .map(|h| PortalHosting {
            since: match h.status {
                HostingStatus::Suspended => h.suspended_at,
                HostingStatus::Terminated => h.terminated_at,
                _ => None,
            },
            name: if h.domain.is_empty() { h.username } else { h.domain },
            package: h.package,
            status: h.status,
            reason: h.suspend_reason,
        })
        .collect();
    Ok(PortalHostingPage { rows, total, page, pages })
}
