//! A domain's own view: the domain, its registrar and its registrar jobs with their logs.
use super::model::*;
use super::service::{find, row};
use crate::error::AppResult;
use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A domain's own view with its registrar jobs (newest first, in pages) and their logs.
pub async fn view<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32, page: u32) -> AppResult<DomainView> {
    use crate::db::entities::{domain_job, domain_log, registrar};
    let d = find(db, customer_id, id).await?;
    let reg = match d.registrar_id {
        Some(r) => registrar::Entity::find_by_id(r).one(db).await?,
        None => None,
    };
    let jobs = domain_job::Entity::find().filter(domain_job::Column::DomainId.eq(id));
    let job_total = jobs.clone().count(db).await?;
    let job_pages = job_total.div_ceil(JOB_PAGE_SIZE).max(1) as u32;
    let job_page = page.clamp(1, job_pages);
    let shown = jobs
        .order_by_desc(domain_job::Column::Id)
        .offset(u64::from(job_page - 1) * JOB_PAGE_SIZE)
        .limit(JOB_PAGE_SIZE)
        .all(db)
        .await?;
    let ids: Vec<i32> = shown.iter().map(|j| j.id).collect();
    let lines = domain_log::Entity::find()
        .filter(domain_log::Column::JobId.is_in(ids))
        .order_by_asc(domain_log::Column::Id)
        .all(db)
        .await?;
    let at = |t: chrono::DateTime<Utc>| t.to_rfc3339();
    let jobs = shown
        .into_iter()
        .map(|j| JobRow {
            id: j.id,
            action: DomainJobAction::parse(&j.action).unwrap_or_default(),
            status: j.status,
            attempts: j.attempts,
            created_at: at(j.created_at),
            finished_at: j.finished_at.map(at).unwrap_or_default(),
            last_error: j.last_error,
            lines: lines
                .iter()
                .filter(|l| l.job_id == j.id)
                .map(|l| JobLine {
                    at: at(l.at),
                    attempt: l.attempt,
                    level: l.level.clone(),
                    step: l.step.clone(),
                    message: l.message.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(DomainView {
        registrar: reg.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        automatic: reg.is_some_and(|r| r.active && r.module != "manual"),
        registered_on: d.registered_on.map(|x| x.to_string()).unwrap_or_default(),
        registry_status: d.registry_status.clone(),
        synced_at: d.synced_at.map(at).unwrap_or_default(),
        nameservers: super::service::hosts(&d.nameservers),
        handles: [
            d.owner_handle.clone(),
            d.admin_handle.clone(),
            d.tech_handle.clone(),
            d.zone_handle.clone(),
        ],
        row: row(d),
        jobs,
        job_total,
        job_page,
        job_pages,
    })
}
