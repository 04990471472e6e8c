//! The outbox: mails are queued inside the transaction of what caused them and delivered by the
//! sender afterwards. Claiming a mail is one conditional UPDATE, so several app instances never
//! send the same mail twice.
use super::model::{MailKind, MailRow, MailStatus};
use crate::db::entities::mail_outbox;
use crate::db::stmt;
use crate::error::AppResult;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};

/// How often delivery is tried before a mail counts as failed.
pub const MAX_ATTEMPTS: i32 = 3;

pub struct NewMail {
    pub customer_id: Option<i32>,
    pub template: String,
    pub kind: MailKind,
    pub to: String,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub staff_id: Option<i32>,
    /// A link's token: the body holds `REDACTED_TOKEN` in its place until delivery.
    pub secret: Option<String>,
    /// Stored files to send along.
    pub attachments: Vec<super::model::Attachment>,
}

pub async fn enqueue<C: ConnectionTrait>(db: &C, mail: NewMail) -> AppResult<i32> {
    let row = mail_outbox::ActiveModel {
        customer_id: Set(mail.customer_id),
        template: Set(mail.template),
        kind: Set(mail.kind.as_str().into()),
        to_addr: Set(mail.to),
        cc: Set(mail.cc.join(", ")),
        subject: Set(mail.subject),
        body: Set(mail.body),
        status: Set(MailStatus::Queued.as_str().into()),
        attempts: Set(0),
        last_error: Set(String::new()),
        staff_id: Set(mail.staff_id),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        secret: Set(mail.secret),
        attachments: Set(
            serde_json::to_string(&mail.attachments).map_err(|_| crate::error::AppError::Internal)?
        ),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The files a stored mail carries.
pub fn attachments_of(m: &mail_outbox::Model) -> Vec<super::model::Attachment> {
    serde_json::from_str(&m.attachments).unwrap_or_default()
}

pub fn to_row(m: mail_outbox::Model) -> MailRow {
    let attachments = attachments_of(&m).into_iter().map(|a| a.name).collect();
    MailRow {
        attachments,
        id: m.id,
        template: m.template,
        to_addr: m.to_addr,
        cc: m.cc,
        subject: m.subject,
        body: m.body,
        status: MailStatus::parse(&m.status).unwrap_or_default(),
        attempts: m.attempts,
        last_error: m.last_error,
        created_at: m.created_at.to_rfc3339(),
        sent_at: m.sent_at.map(|t| t.to_rfc3339()),
        blocked_until: None,
    }
}

/// The newest mails of a customer first. Mails blocked for a retention duty after an erasure
/// are included only for those who may see them (`with_blocked`).
pub async fn for_customer<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    limit: u64,
    with_blocked: bool,
) -> AppResult<Vec<MailRow>> {
    let blocked: std::collections::HashMap<i32, String> = db
        .query_all_raw(stmt(
            db,
            "SELECT row_id, blocked_until FROM retention WHERE table_name = 'mail_outbox' AND customer_id = $1",
            vec![customer_id.into()],
        ))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get::<i32>("", "row_id")?, r.try_get::<chrono::NaiveDate>("", "blocked_until")?.to_string())))
        .collect::<AppResult<_>>()?;
    let mut query = mail_outbox::Entity::find().filter(mail_outbox::Column::CustomerId.eq(customer_id));
    if !with_blocked && !blocked.is_empty() {
        query = query.filter(mail_outbox::Column::Id.is_not_in(blocked.keys().copied()));
    }
    Ok(query
        .order_by_desc(mail_outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let until = blocked.get(&m.id).cloned();
            MailRow { blocked_until: until, ..to_row(m) }
        })
        .collect())
}

/// How long a sender holds a mail it took; longer than any delivery takes (SMTP timeouts are
/// shorter), so only a sender that died leaves a mail to be taken again.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// Take the oldest mail due for delivery: queued, or left in `sending` by a sender whose lease
/// ran out. None when there is nothing to send. The conditional update decides between
/// instances: only one takes a mail.
pub async fn claim_next<C: ConnectionTrait>(db: &C) -> AppResult<Option<mail_outbox::Model>> {
    claim_next_at(db, Utc::now()).await
}

pub async fn claim_next_at<C: ConnectionTrait>(
    db: &C,
    now: chrono::DateTime<Utc>,
) -> AppResult<Option<mail_outbox::Model>> {
    let due = Condition::any().add(mail_outbox::Column::Status.eq(MailStatus::Queued.as_str())).add(
        Condition::all().add(mail_outbox::Column::Status.eq(MailStatus::Sending.as_str())).add(
            Condition::any()
                .add(mail_outbox::Column::LeaseUntil.is_null())
                .add(mail_outbox::Column::LeaseUntil.lt(now)),
        ),
    );
    let Some(candidate) =
        mail_outbox::Entity::find().filter(due).order_by_asc(mail_outbox::Column::Id).one(db).await?
    else {
        return Ok(None);
    };
    let claimed = db
        .query_one_raw(stmt(
            db,
            "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, lease_until = $2 \
             WHERE id = $1 AND (status = 'queued' \
               OR (status = 'sending' AND (lease_until IS NULL OR lease_until < $3))) RETURNING *",
            vec![candidate.id.into(), (now + LEASE).into(), now.into()],
        ))
        .await?;
    match claimed {
        Some(row) => {
            let mail = mail_outbox::Model::from_query_result(&row, "")?;
            // Taken again after senders died with it too often: it fails instead of looping.
            if mail.attempts > MAX_ATTEMPTS {
                mark_failed(db, mail.id, mail.attempts, "interrupted").await?;
                return Box::pin(claim_next_at(db, now)).await;
            }
            Ok(Some(mail))
        }
        // Another instance took it first: look again.
        None => Box::pin(claim_next_at(db, now)).await,
    }
}

/// The sender's take of a mail: its id and the attempt it holds. A sender whose lease ran out
/// (and whose mail another sender took, a later attempt) changes nothing when it reports back.
#[derive(Clone, Copy, Debug)]
pub struct Take {
    pub id: i32,
    pub attempt: i32,
}

impl From<&mail_outbox::Model> for Take {
    fn from(mail: &mail_outbox::Model) -> Take {
        Take { id: mail.id, attempt: mail.attempts }
    }
}

/// Mark a mail sent (seeding and tests; the sender uses `sent`).
pub async fn mark_sent<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<()> {
    set_sent(db, id, None).await
}

/// The sender delivered the mail it took.
pub async fn sent<C: ConnectionTrait>(db: &C, take: Take) -> AppResult<()> {
    set_sent(db, take.id, Some(take.attempt)).await
}

async fn set_sent<C: ConnectionTrait>(db: &C, id: i32, attempt: Option<i32>) -> AppResult<()> {
    db.execute_raw(stmt(
        db,
        "UPDATE mail_outbox SET status = 'sent', sent_at = $2, last_error = '', secret = NULL, lease_until = NULL \
         WHERE id = $1 AND ($3 IS NULL OR (status = 'sending' AND attempts = $3))",
        vec![id.into(), Utc::now().into(), attempt.into()],
    ))
    .await?;
    Ok(())
}

/// A failed try: queued again until the attempts are used up, then failed with the reason.
pub async fn mark_failed<C: ConnectionTrait>(db: &C, id: i32, attempts: i32, error: &str) -> AppResult<()> {
    set_failed(db, id, attempts, error, false).await
}

/// The sender's try of the mail it took failed (see `mark_failed`).
pub async fn failed<C: ConnectionTrait>(db: &C, take: Take, error: &str) -> AppResult<()> {
    set_failed(db, take.id, take.attempt, error, true).await
}

async fn set_failed<C: ConnectionTrait>(
    db: &C,
    id: i32,
    attempts: i32,
    error: &str,
    fenced: bool,
) -> AppResult<()> {
    let status = if attempts >= MAX_ATTEMPTS { MailStatus::Failed } else { MailStatus::Queued }.as_str();
    db.execute_raw(stmt(
        db,
        // A link that will never be delivered is forgotten.
        "UPDATE mail_outbox SET status = $2, last_error = $3, lease_until = NULL, \
         secret = CASE WHEN $2 = 'failed' THEN NULL ELSE secret END \
         WHERE id = $1 AND (NOT $4 OR (status = 'sending' AND attempts = $5))",
        vec![
            id.into(),
            status.into(),
            error.chars().take(500).collect::<String>().into(),
            fenced.into(),
            attempts.into(),
        ],
    ))
    .await?;
    Ok(())
}
