//! Writing and reading the audit log.
use super::model::{ACTIONS, AuditPage, AuditQuery, AuditRow, PAGE_SIZE};
use crate::db::entities::{audit_log, staff};
use crate::error::AppResult;
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Who acted: a staff member (id and name), or nobody known (a failed login to an unknown
/// address).
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub staff: Option<(i32, String)>,
    pub ip: Option<String>,
}

impl Who {
    pub fn staff(id: i32, name: &str, ip: Option<String>) -> Who {
        Who { staff: Some((id, name.to_string())), ip }
    }
}

/// One act to record.
#[derive(Clone, Debug, Default)]
pub struct Act {
    pub action: &'static str,
    pub target: String,
    pub customer_id: Option<i32>,
    pub before: String,
    pub after: String,
}

impl Act {
    pub fn new(action: &'static str, target: impl Into<String>) -> Act {
        debug_assert!(ACTIONS.contains(&action), "unknown audit action {action}");
        Act { action, target: target.into(), ..Default::default() }
    }

    pub fn customer(mut self, id: i32) -> Act {
        self.customer_id = Some(id);
        self
    }

    pub fn change(mut self, before: impl Into<String>, after: impl Into<String>) -> Act {
        self.before = before.into();
        self.after = after.into();
        self
    }
}

pub async fn record<C: ConnectionTrait>(db: &C, who: &Who, act: Act) -> AppResult<()> {
    let (staff_id, staff_name) = match &who.staff {
        Some((id, name)) => (Some(*id), name.clone()),
        None => (None, String::new()),
    };
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        staff_id: Set(staff_id),
        staff_name: Set(staff_name),
        ip: Set(who.ip.clone()),
        action: Set(act.action.to_string()),
        target: Set(act.target.chars().take(200).collect()),
        customer_id: Set(act.customer_id),
        before: Set(act.before.chars().take(2000).collect()),
        after: Set(act.after.chars().take(2000).collect()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Midnight in Berlin at the start of `day`, in UTC.
fn berlin_midnight(day: NaiveDate) -> Option<chrono::DateTime<Utc>> {
    chrono_tz::Europe::Berlin
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// One page of the log, newest first, filtered; with the total.
pub async fn list<C: ConnectionTrait>(db: &C, q: &AuditQuery) -> AppResult<AuditPage> {
    let mut select = audit_log::Entity::find();
    if ACTIONS.contains(&q.action.as_str()) {
        select = select.filter(audit_log::Column::Action.eq(q.action.as_str()));
    }
    if let Ok(id) = q.staff.parse::<i32>() {
        select = select.filter(audit_log::Column::StaffId.eq(id));
    }
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    if let Some(from) = day(&q.from).and_then(berlin_midnight) {
        select = select.filter(audit_log::Column::At.gte(from));
    }
    if let Some(to) = day(&q.to).and_then(|d| d.succ_opt()).and_then(berlin_midnight) {
        select = select.filter(audit_log::Column::At.lt(to));
    }
    let text = q.q.trim().to_lowercase();
    if !text.is_empty() {
        let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        select = select.filter(sea_orm::sea_query::ExprTrait::like(
            Expr::expr(Func::lower(Expr::col(audit_log::Column::Target))),
            sea_orm::sea_query::LikeExpr::new(pattern).escape('\\'),
        ));
    }
    let total = select.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = q.page.clamp(1, pages);
    let rows = select
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .limit(PAGE_SIZE)
        .offset((page as u64 - 1) * PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(|r| AuditRow {
            id: r.id,
            at: r.at.to_rfc3339(),
            staff_name: r.staff_name,
            ip: r.ip,
            action: r.action,
            target: r.target,
            customer_id: r.customer_id,
            before: r.before,
            after: r.after,
        })
        .collect();
    let staff = staff::Entity::find()
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(AuditPage { rows, total, page, pages, staff })
}

/// The audit log in the customer-records registry: it names the customer an act concerned, but
/// it is the operator's record of what staff did, so it is neither part of the customer's data
/// report nor moved by a merge, and an erasure keeps it (the customer number it states is kept
/// with the anonymised record anyway).
pub struct AuditRecords;
pub const RECORDS: AuditRecords = AuditRecords;

const CLAIMS: &[crate::records::registry::TableClaim] = &[crate::records::registry::TableClaim {
    table: "audit_log",
    column: "customer_id",
    export: crate::records::registry::Export::Omitted(
        "the staff audit log: what staff did, not the customer's data",
    ),
}];

#[async_trait::async_trait]
impl crate::records::registry::CustomerRecords for AuditRecords {
    fn area(&self) -> &'static str {
        "audit"
    }
    fn claims(&self) -> &'static [crate::records::registry::TableClaim] {
        CLAIMS
    }
    async fn merge(&self, _txn: &sea_orm::DatabaseTransaction, _duplicate: i32, _keep: i32) -> AppResult<()> {
        Ok(())
    }
    async fn erase(&self, _eraser: &mut crate::records::registry::Eraser<'_>) -> AppResult<()> {
        Ok(())
    }
}
