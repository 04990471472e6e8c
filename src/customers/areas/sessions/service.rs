//! The customer's live portal sessions; staff end one or all of them (a new login follows).
use super::model::SessionRow;
use crate::auth::service::IDLE;
use crate::db::entities::{portal_login, session, staff};
use crate::error::{AppError, AppResult};
use crate::events::service::{Actor, NewEvent, record};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

async fn logins<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<HashMap<i32, String>> {
    Ok(portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(customer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.email))
        .collect())
}

async fn alive<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<session::Model>> {
    let logins = logins(db, customer_id).await?;
    let now = Utc::now();
    Ok(session::Entity::find()
        .filter(session::Column::PrincipalKind.eq("customer"))
        .filter(session::Column::PrincipalId.is_in(logins.keys().copied()))
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::LastSeenAt.gt(now - IDLE))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await?)
}

pub async fn for_customer<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<SessionRow>> {
    let emails = logins(db, customer_id).await?;
    let names: HashMap<i32, String> =
        staff::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    Ok(alive(db, customer_id)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            login_email: emails.get(&s.principal_id).cloned().unwrap_or_default(),
            created_at: s.created_at.to_rfc3339(),
            last_seen_at: s.last_seen_at.to_rfc3339(),
            expires_at: s.expires_at.to_rfc3339(),
            impersonated_by: s.impersonator_staff_id.and_then(|id| names.get(&id).cloned()),
            id: s.id_hash,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect())
}

/// End one session (`Some(id)`) or all of the customer's sessions; returns how many ended.
pub async fn end(
    ctx: &crate::write::Ctx,
    staff_id: i32,
    customer_id: i32,
    id: Option<&str>,
) -> AppResult<u64> {
    let mut change = ctx.begin(customer_id).await?;
    let db = &change.txn;
    let targets: Vec<String> = alive(db, customer_id)
        .await?
        .into_iter()
        .map(|s| s.id_hash)
        .filter(|h| id.is_none_or(|wanted| wanted == h))
        .collect();
    if id.is_some() && targets.is_empty() {
        return Err(AppError::NotFound);
    }
    let ended =
        session::Entity::delete_many().filter(session::Column::IdHash.is_in(targets)).exec(db).await?;
    record(
        db,
        NewEvent::new(customer_id, "sessions_ended", Actor::Staff(staff_id), ended.rows_affected.to_string()),
    )
    .await?;
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(ended.rows_affected)
}

/// Sessions reference a portal login, not the customer: exported through the logins.
pub struct SessionRecords;

#[async_trait::async_trait]
impl crate::records::registry::CustomerRecords for SessionRecords {
    fn area(&self) -> &'static str {
        "sessions"
    }
    fn claims(&self) -> &'static [crate::records::registry::TableClaim] {
        &[]
    }
    /// Every session of the customer's and its contacts' logins ends at once.
    async fn erase(&self, eraser: &mut crate::records::registry::Eraser<'_>) -> AppResult<()> {
        let condition = "principal_kind = 'customer' AND principal_id IN \
                         (SELECT id FROM portal_logins WHERE customer_id = $1)";
        eraser.delete("sessions", "sessions", condition).await?;
        Ok(())
    }
    async fn export(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        customer_id: i32,
    ) -> AppResult<Vec<crate::records::model::ReportSection>> {
        use sea_orm::{FromQueryResult, JsonValue};
        let sql = "SELECT created_at, last_seen_at, expires_at, ip, user_agent, impersonator_staff_id, reason \
                   FROM sessions WHERE principal_kind = 'customer' AND principal_id IN \
                   (SELECT id FROM portal_logins WHERE customer_id = $1) ORDER BY created_at";
        let rows = JsonValue::find_by_statement(crate::db::stmt(txn, sql, vec![customer_id.into()]))
            .all(txn)
            .await?;
        Ok(vec![crate::records::model::ReportSection {
            area: "sessions".into(),
            table: "sessions".into(),
            rows: rows.into_iter().filter_map(|r| r.as_object().cloned()).collect(),
            withheld: vec!["id_hash".into()],
        }])
    }
}

pub const SERVER: crate::customers::areas::server::AreaServer = crate::customers::areas::server::AreaServer {
    // The portal logins with the sessions that use them (erasure walks back: sessions first).
    records: &[&super::logins::RECORDS, &SessionRecords],
    ..crate::customers::areas::server::AreaServer::NONE
};
