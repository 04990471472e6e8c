use crate::codec::Json;
use crate::error::AppError;
use crate::mail::model::MailRow;
use leptos::prelude::*;

/// The newest 200 mails to a customer.
#[server(endpoint = "customer_mails", input = Json, output = Json)]
pub async fn customer_mails(id: i32) -> Result<Vec<MailRow>, AppError> {
    let me = crate::auth::require(crate::auth::Permission::EmailsView)?;
    let db = &crate::web::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::mail::outbox::for_customer(db, id, 200, me.can(crate::auth::Permission::RetainedView)).await
}

/// The written mail as it will go out (placeholders filled in).
#[server(endpoint = "preview_mail", input = Json, output = Json)]
pub async fn preview_mail(
    id: i32,
    kind: crate::mail::model::MailKind,
    subject: String,
    body: String,
) -> Result<MailPreview, AppError> {
    crate::auth::require(crate::auth::Permission::EmailsSend)?;
    let db = &crate::web::state::app_state()?.db;
    let p = crate::customers::areas::emails::compose::preview(db, id, kind, &subject, &body).await?;
    Ok(MailPreview { to: p.to, cc: p.cc, subject: p.subject, body: p.body })
}

#[server(endpoint = "send_mail", input = Json, output = Json)]
pub async fn send_mail(
    id: i32,
    kind: crate::mail::model::MailKind,
    subject: String,
    body: String,
) -> Result<i32, AppError> {
    let staff = crate::auth::require(crate::auth::Permission::EmailsSend)?;
    let state = crate::web::state::app_state()?;
    let ctx = state.ctx(&staff.name);
    super::compose::send(&ctx, staff.id, id, kind, &subject, &body).await
}

#[server(endpoint = "resend_mail", input = Json, output = Json)]
pub async fn resend_mail(id: i32, mail: i32) -> Result<i32, AppError> {
    let staff = crate::auth::require(crate::auth::Permission::EmailsSend)?;
    let state = crate::web::state::app_state()?;
    super::compose::resend(&state.ctx(&staff.name), staff.id, id, mail, &state.config.base_url).await
}

/// What the compose form previews.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailPreview {
    pub to: String,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
}
