//! Mails staff write to a customer (with placeholders and a preview), and resending a mail.
use crate::db::entities::{customer, mail_outbox};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{Actor, NewEvent, record};
use crate::mail::model::MailKind;
use crate::mail::outbox::{NewMail, enqueue};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// The longest mail text staff may write, in characters.
pub const MAX_BODY: usize = 100_000;

/// A written mail as it will go out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub to: String,
    /// Contacts who get this kind of mail in CC.
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
}

fn fill(text: &str, c: &customer::Model) -> String {
    text.replace("{name}", &crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company))
        .replace("{number}", &c.number)
        .replace("{email}", &c.email)
}

pub async fn preview<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    kind: MailKind,
    subject: &str,
    body: &str,
) -> AppResult<Preview> {
    let c = customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    if !MailKind::WRITABLE.contains(&kind) {
        errors.push(FieldError::new("kind", "validation.choice"));
    }
    if c.email.trim().is_empty() {
        errors.push(FieldError::new("to", "emails.no_address"));
    }
    if subject.trim().is_empty() || body.trim().is_empty() {
        errors.push(FieldError::new("subject", "emails.required"));
    }
    use crate::text::{Lines, check};
    check(&mut errors, "subject", subject.trim(), 200, Lines::One);
    check(&mut errors, "body", body, MAX_BODY, Lines::Many);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let cc = crate::customers::areas::contacts::service::cc_for(db, customer_id, kind).await?;
    Ok(Preview {
        to: c.email.trim().to_string(),
        cc,
        subject: fill(subject.trim(), &c),
        body: fill(body, &c),
    })
}

/// Queue a written mail; returns its outbox id.
pub async fn send(
    ctx: &crate::write::Ctx,
    staff_id: i32,
    customer_id: i32,
    kind: MailKind,
    subject: &str,
    body: &str,
) -> AppResult<i32> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let p = preview(txn, customer_id, kind, subject, body).await?;
    let id = enqueue(
        txn,
        NewMail {
            customer_id: Some(customer_id),
            template: "custom".into(),
            kind,
            to: p.to,
            cc: p.cc,
            subject: p.subject.clone(),
            body: p.body,
            staff_id: Some(staff_id),
            secret: None,
            attachments: Vec::new(),
        },
    )
    .await?;
    record(txn, NewEvent::new(customer_id, "mail_sent", Actor::Staff(staff_id), p.subject)).await?;
    change.touched(super::AREA.slug);
    change.mail_queued();
    change.commit().await?;
    Ok(id)
}

/// Send a mail again as it was (a new outbox entry; the original stays as it was). A mail with
/// a set-password link goes out with a fresh link instead: its stored text has no usable one.
pub async fn resend(
    ctx: &crate::write::Ctx,
    staff_id: i32,
    customer_id: i32,
    mail_id: i32,
    base_url: &str,
) -> AppResult<i32> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let original = mail_outbox::Entity::find_by_id(mail_id)
        .filter(mail_outbox::Column::CustomerId.eq(customer_id))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = original.subject.clone();
    let attachments = crate::mail::outbox::attachments_of(&original);
    let id = if original.body.contains(crate::mail::REDACTED_TOKEN) {
        let (template, to) = (original.template, original.to_addr);
        crate::auth::portal_logins::reissue(txn, customer_id, &template, &to, base_url, Some(staff_id))
            .await?
    } else {
        enqueue(
            txn,
            NewMail {
                customer_id: Some(customer_id),
                template: original.template,
                kind: MailKind::parse(&original.kind).unwrap_or(MailKind::Legacy),
                to: original.to_addr,
                cc: original.cc.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                subject: original.subject,
                body: original.body,
                staff_id: Some(staff_id),
                secret: None,
                attachments,
            },
        )
        .await?
    };
    record(txn, NewEvent::new(customer_id, "mail_resent", Actor::Staff(staff_id), subject)).await?;
    change.touched(super::AREA.slug);
    change.mail_queued();
    change.commit().await?;
    Ok(id)
}
