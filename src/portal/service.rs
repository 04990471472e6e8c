//! Portal sessions and the customer's own data (logins and their set-password links live in
//! auth::portal_logins, below the customer areas that create them).
use super::CustomerIdentity;
use super::own_data::{OwnData, OwnForm};
pub use crate::auth::portal_logins::{
    INVITE_VALID, Link, RESET_VALID, RESETS_PER_HOUR, create_login, create_own_login, display_name,
    end_sessions, issue_link, request_reset, reset_password, staff_send_reset,
};
use crate::auth::service::{IDLE, token_hash};
use crate::customers::areas::contacts::model::PortalRight;
use crate::customers::service as customers;
use crate::db::Db;
use crate::db::entities::{customer, portal_login, session};
use crate::error::{AppError, AppResult};
use crate::events::service::{NewEvent, record};
use chrono::{Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

pub const CUSTOMER_ABSOLUTE: Duration = Duration::hours(12);

/// Check e-mail and password of a portal login; the same work for unknown addresses.
/// Returns the login and its customer, if the password is right and the account may log in.
pub async fn check_login<C: ConnectionTrait>(
    db: &C,
    email: &str,
    password: &str,
) -> AppResult<Option<(portal_login::Model, customer::Model)>> {
    let login = portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?;
    let hash = login.as_ref().and_then(|l| l.password_hash.clone());
    let ok = crate::auth::service::verify_password(
        password,
        hash.as_deref().unwrap_or(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWg",
        ),
    )
    .await;
    let Some(login) = login.filter(|l| ok && l.active && l.password_hash.is_some()) else { return Ok(None) };
    let customer =
        customer::Entity::find_by_id(login.customer_id).one(db).await?.ok_or(AppError::NotFound)?;
    if customer.account_locked {
        return Ok(None);
    }
    Ok(Some((login, customer)))
}

/// The customer id behind an address typed into a login form, for the log of failed logins.
pub async fn customer_of_email<C: ConnectionTrait>(db: &C, email: &str) -> AppResult<Option<i32>> {
    Ok(portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
        .map(|l| l.customer_id))
}

pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    login_id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    crate::auth::service::insert_session(db, "customer", login_id, CUSTOMER_ABSOLUTE, ip, user_agent).await
}

/// The customer behind a portal session, if it is alive and the account may still log in.
/// `staff_idle`: the staff sessions' idle timeout, for the one an impersonation belongs to.
pub async fn resolve_session<C: ConnectionTrait>(
    db: &C,
    token: &str,
    staff_idle: Duration,
) -> AppResult<Option<CustomerIdentity>> {
    let now = Utc::now();
    let Some(sess) = session::Entity::find_by_id(token_hash(token)).one(db).await? else { return Ok(None) };
    if sess.principal_kind != "customer" || sess.expires_at <= now || sess.last_seen_at + IDLE <= now {
        return Ok(None);
    }
    let Some(login) = portal_login::Entity::find_by_id(sess.principal_id).one(db).await?.filter(|l| l.active)
    else {
        return Ok(None);
    };
    let Some(c) =
        customer::Entity::find_by_id(login.customer_id).one(db).await?.filter(|c| !c.account_locked)
    else {
        return Ok(None);
    };
    // Staff acting as the customer: only while the staff session it was opened from lives (it
    // counts as activity there) and passes the same permission test as any request.
    let impersonator = match (sess.impersonator_staff_id, sess.parent_id_hash.as_deref()) {
        (None, _) => None,
        (Some(staff_id), parent) => {
            let staff = match parent {
                Some(parent) => crate::auth::service::resolve_session_hash(db, parent, staff_idle).await?,
                None => None,
            };
            match staff.filter(|s| s.id == staff_id && s.can(crate::auth::Permission::Impersonate)) {
                Some(s) => Some(s),
                None => {
                    session::Entity::delete_by_id(sess.id_hash).exec(db).await?;
                    return Ok(None);
                }
            }
        }
    };
    // A contact's login works only while the contact is active and keeps portal access.
    let (name, rights) = match login.contact_id {
        Some(contact_id) => {
            match crate::customers::areas::contacts::service::for_login(db, contact_id).await? {
                Some(contact) => {
                    let input = crate::customers::areas::contacts::service::to_input(&contact);
                    (input.name(), input.rights)
                }
                None => return Ok(None),
            }
        }
        None => (display_name(&c), PortalRight::ALL.to_vec()),
    };
    let session_ends = sess.expires_at.to_rfc3339();
    if now - sess.last_seen_at > Duration::minutes(1) {
        let mut am = sess.into_active_model();
        am.last_seen_at = Set(now);
        am.update(db).await?;
    }
    Ok(Some(CustomerIdentity {
        login_id: login.id,
        customer_id: c.id,
        number: c.number.clone(),
        name,
        contact_id: login.contact_id,
        rights,
        impersonated_by: impersonator.as_ref().map(|s| s.name.clone()),
        impersonator_id: impersonator.map(|s| s.id),
        session_ends,
        is_reseller: c.is_reseller && login.contact_id.is_none(),
    }))
}

/// The customer's own data, as the portal shows it.
pub async fn own_data(db: &Db, who: &CustomerIdentity) -> AppResult<OwnData> {
    let detail = customers::detail(db, who.customer_id).await?;
    Ok(OwnData::of(&detail.number, detail.version, &detail.form))
}

/// Save what a customer may change of their own data; every other field keeps its stored value.
/// Validated like Daten, with the same version check.
pub async fn save_own(
    ctx: &crate::write::Ctx,
    who: &CustomerIdentity,
    version: i64,
    input: &OwnForm,
) -> AppResult<OwnData> {
    let mut form = customers::detail(&ctx.db, who.customer_id).await?.form;
    input.apply_to(&mut form);
    // The save and its Log entry are one change.
    let defs = customers::validate_form(&ctx.db, &form, customers::today()).await?;
    let mut change = ctx.begin(who.customer_id).await?;
    let saved = customers::update_in(&change, who.actor(), version, &form, &defs, None).await?;
    record(&change.txn, NewEvent::new(who.customer_id, "profile_changed", who.actor(), "")).await?;
    change.touched_at_version(crate::customers::areas::data::AREA.slug, saved.detail.version);
    change.touched(crate::customers::areas::log::AREA.slug);
    change.commit().await?;
    Ok(OwnData::of(&saved.detail.number, saved.detail.version, &saved.detail.form))
}
