//! A hosting's requests as plain forms (provision, suspend, unsuspend, terminate, retry, check):
//! the server function and the form route without JavaScript both queue through `act`, so both
//! are checked and audited alike.
use super::hosting_model::HostingRequest;
use crate::audit::service::{Act, Who};
use crate::auth::{Permission, StaffIdentity};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::web::client_ip::ClientIp;
use crate::web::respond::form_refusal;
use crate::web::state::AppState;
use crate::write::Ctx;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Queue `request` for the customer's hosting (at `version`, as shown) and audit it.
pub async fn act(
    ctx: &Ctx,
    who: &Who,
    staff_id: i32,
    customer_id: i32,
    (hosting, version): (i32, i64),
    request: HostingRequest,
    reason: &str,
) -> AppResult<()> {
    let actor = crate::events::actor::Actor::Staff(staff_id);
    super::hosting::request(ctx, actor, customer_id, (hosting, version), request, reason).await?;
    let act = Act::new("hosting_action", format!("hosting {hosting}"))
        .customer(customer_id)
        .change("", request.as_str());
    crate::audit::service::record(&ctx.db, who, act).await
}

/// The request form as a browser without JavaScript posts it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RequestForm {
    request: String,
    version: i64,
    reason: String,
    /// The "really remove" checkbox of the terminate form.
    confirm: Option<String>,
}

/// `POST /hostings/customers/{id}/{hosting}/request`: 303 back to the Produkte panel; a refusal
/// (no reason, not allowed now, changed meanwhile) is a page with the reason, and nothing is
/// queued.
pub async fn request(
    State(state): State<AppState>,
    Extension(staff): Extension<StaffIdentity>,
    Extension(locale): Extension<Locale>,
    client: ClientIp,
    Path((customer_id, hosting)): Path<(i32, i32)>,
    axum::Form(form): axum::Form<RequestForm>,
) -> Response {
    if !staff.can(Permission::ProductsProvision) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let back = format!("/customers/{customer_id}/products");
    let Some(request) = HostingRequest::parse(&form.request) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if request == HostingRequest::Terminate && form.confirm.is_none() {
        let unconfirmed =
            AppError::Validation(vec![crate::error::FieldError::new("confirm", "hosting.confirm_needed")]);
        return form_refusal(locale, &unconfirmed, "products.conflict", (&back, "hosting.back"));
    }
    let ctx = state.ctx(&staff.name);
    let who = Who::staff(staff.id, &staff.name, Some(client.to_string()));
    let done = act(&ctx, &who, staff.id, customer_id, (hosting, form.version), request, &form.reason).await;
    match done {
        Ok(()) => {
            crate::web::respond::see_other(&format!("/customers/{customer_id}/products?requested=1"), None)
        }
        Err(e) => form_refusal(locale, &e, "products.conflict", (&back, "hosting.back")),
    }
}
