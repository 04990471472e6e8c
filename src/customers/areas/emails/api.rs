use crate::error::AppError;
use crate::mail::model::MailRow;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The newest 200 mails to a customer.
#[server(endpoint = "customer_mails", input = Json)]
pub async fn customer_mails(id: i32) -> Result<Vec<MailRow>, AppError> {
    crate::auth::require(crate::auth::Permission::EmailsView)?;
    let db = &crate::server::state::app_state()?.db;
    crate::customers::service::detail(db, id).await?;
    crate::mail::outbox::for_customer(db, id, 200).await
}
