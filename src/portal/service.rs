//! Portal logins, their sessions, single-use reset links, and the customer's own data.
use super::{CustomerIdentity, SELF_SERVICE_FIELDS, SELF_SERVICE_FLAGS};
use crate::auth::service::{IDLE, MIN_PASSWORD_CHARS, hash_password, token_hash};
use crate::customers::areas::contacts::model::PORTAL_RIGHTS;
use crate::customers::model::{CustomerForm, CustomerProfile};
use crate::customers::service as customers;
use crate::db::Db;
use crate::db::entities::{customer, password_reset, portal_login, session, staff};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{ActorRef, NewEvent, record};
use crate::i18n::Locale;
use crate::mail::outbox::{NewMail, enqueue};
use crate::mail::templates::render;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

/// How long a reset link works.
pub const RESET_VALID: Duration = Duration::hours(1);
/// Reset mails per login per hour, whoever asks: no mail bombing through the form.
pub const RESETS_PER_HOUR: u64 = 3;
pub const CUSTOMER_ABSOLUTE: Duration = Duration::hours(12);

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn display_name(c: &customer::Model) -> String {
    crate::customers::model::display_name(&c.first_name, &c.last_name, &c.company)
}

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
    );
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
pub async fn resolve_session<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<Option<CustomerIdentity>> {
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
    // Staff acting as the customer: only while they are active and still hold the permission.
    let impersonator = match sess.impersonator_staff_id {
        Some(staff_id) => {
            let member = staff::Entity::find_by_id(staff_id).one(db).await?.filter(|m| m.active);
            let identity = match member {
                Some(m) => Some(crate::auth::service::identity(db, m).await?),
                None => None,
            };
            match identity.filter(|s| s.permissions.contains(&crate::auth::Permission::Impersonate)) {
                Some(s) => Some(s),
                None => {
                    session::Entity::delete_by_id(sess.id_hash).exec(db).await?;
                    return Ok(None);
                }
            }
        }
        None => None,
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
        None => (display_name(&c), PORTAL_RIGHTS.iter().map(|r| r.to_string()).collect()),
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
    }))
}

pub async fn end_sessions<C: ConnectionTrait>(db: &C, login_id: i32) -> AppResult<()> {
    crate::auth::service::end_sessions_of(db, "customer", login_id).await?;
    Ok(())
}

/// The customer's own portal login, without a password until one is set through a reset link.
pub async fn create_own_login<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    email: &str,
) -> AppResult<portal_login::Model> {
    create_login(db, customer_id, None, email).await
}

/// A portal login of the customer or of one of its contacts, without a password yet.
pub async fn create_login<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    contact_id: Option<i32>,
    email: &str,
) -> AppResult<portal_login::Model> {
    Ok(portal_login::ActiveModel {
        customer_id: Set(customer_id),
        contact_id: Set(contact_id),
        email: Set(email.to_string()),
        password_hash: Set(None),
        totp_secret: Set(None),
        totp_last_step: Set(0),
        active: Set(true),
        created_at: Set(Utc::now()),
        last_login_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// How long the link of an invitation to a contact's new login works.
pub const INVITE_VALID: Duration = Duration::hours(72);

/// Issue a reset link for a login and queue the mail, in the caller's transaction.
async fn issue_reset<C: ConnectionTrait>(
    db: &C,
    login: &portal_login::Model,
    c: &customer::Model,
    base_url: &str,
    staff_id: Option<i32>,
) -> AppResult<()> {
    let link = Link { template: "password_reset", name: display_name(c), language: c.language.clone() };
    issue_link(db, login, c, base_url, staff_id, link, RESET_VALID).await
}

/// Which mail carries a set-password link, to whom by name, in which language.
pub struct Link {
    pub template: &'static str,
    pub name: String,
    pub language: String,
}

/// Issue a single-use set-password link for a login and queue its mail, in the caller's
/// transaction: a reset for the customer, an invitation for a contact's new login.
pub async fn issue_link<C: ConnectionTrait>(
    db: &C,
    login: &portal_login::Model,
    c: &customer::Model,
    base_url: &str,
    staff_id: Option<i32>,
    mail: Link,
    valid: Duration,
) -> AppResult<()> {
    let token = random_token();
    let now = Utc::now();
    password_reset::ActiveModel {
        token_hash: Set(token_hash(&token)),
        login_id: Set(login.id),
        customer_id: Set(c.id),
        created_at: Set(now),
        expires_at: Set(now + valid),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    let locale = Locale::from_code(&mail.language).unwrap_or_default();
    let link = format!("{}/portal/reset?token={token}", base_url.trim_end_matches('/'));
    let text = render(locale, mail.template, &[("name", &mail.name), ("link", &link), ("number", &c.number)]);
    enqueue(
        db,
        NewMail {
            customer_id: Some(c.id),
            template: mail.template.into(),
            to: login.email.clone(),
            cc: Vec::new(),
            subject: text.subject,
            body: text.body,
            staff_id,
        },
    )
    .await?;
    Ok(())
}

async fn recent_resets<C: ConnectionTrait>(db: &C, login_id: i32) -> AppResult<u64> {
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::LoginId.eq(login_id))
        .filter(password_reset::Column::CreatedAt.gt(Utc::now() - Duration::hours(1)))
        .count(db)
        .await?)
}

/// "Forgot password" in the portal: a link to the login's address if it exists and may log in.
/// The answer never tells whether it does.
pub async fn request_reset(db: &Db, email: &str, base_url: &str, ip: Option<&str>) -> AppResult<()> {
    let txn = db.begin().await?;
    let Some(login) = portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(email.trim().to_lowercase()))
        .one(&txn)
        .await?
        .filter(|l| l.active)
    else {
        return Ok(());
    };
    let c = customer::Entity::find_by_id(login.customer_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if c.account_locked || recent_resets(&txn, login.id).await? >= RESETS_PER_HOUR {
        return Ok(());
    }
    issue_reset(&txn, &login, &c, base_url, None).await?;
    record(
        &txn,
        NewEvent {
            customer_id: c.id,
            kind: "password_reset_requested",
            actor: ActorRef::Customer(login.id),
            impersonator_staff_id: None,
            ip,
            user_agent: None,
            payload: String::new(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// "Neues Passwort zusenden": staff send the customer a reset link (creating the customer's
/// portal login with their e-mail address if there is none yet). Returns the address.
pub async fn staff_send_reset(db: &Db, staff_id: i32, customer_id: i32, base_url: &str) -> AppResult<String> {
    let txn = db.begin().await?;
    let c = customer::Entity::find_by_id(customer_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if c.account_locked {
        return Err(invalid("email", "portal.locked"));
    }
    let email = c.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(invalid("email", "portal.no_email"));
    }
    let taken = portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(&email))
        .one(&txn)
        .await?
        .filter(|l| l.customer_id != customer_id || l.contact_id.is_some());
    if taken.is_some() {
        return Err(invalid("email", "portal.email_in_use"));
    }
    let existing = portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(customer_id))
        .filter(portal_login::Column::ContactId.is_null())
        .one(&txn)
        .await?;
    let login = match existing {
        Some(l) if l.email == email => l,
        Some(l) => {
            // The customer's address changed since: the login follows it.
            let mut am = l.into_active_model();
            am.email = Set(email.clone());
            am.update(&txn).await?
        }
        None => create_own_login(&txn, customer_id, &email).await?,
    };
    if recent_resets(&txn, login.id).await? >= RESETS_PER_HOUR {
        return Err(invalid("email", "portal.too_many_resets"));
    }
    issue_reset(&txn, &login, &c, base_url, Some(staff_id)).await?;
    record(
        &txn,
        NewEvent {
            customer_id,
            kind: "password_reset_sent",
            actor: ActorRef::Staff(staff_id),
            impersonator_staff_id: None,
            ip: None,
            user_agent: None,
            payload: email.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(email)
}

/// Set a new password through a reset link. The link works once and for an hour; afterwards
/// every other open link of the login and all its sessions end.
pub async fn reset_password(db: &Db, token: &str, password: &str, ip: Option<&str>) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("password", "validation.password_short"));
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    let Some(reset) = password_reset::Entity::find_by_id(token_hash(token)).one(&txn).await? else {
        return Err(invalid("token", "portal.reset_invalid"));
    };
    if reset.used_at.is_some() {
        return Err(invalid("token", "portal.reset_used"));
    }
    if reset.expires_at <= now {
        return Err(invalid("token", "portal.reset_expired"));
    }
    let login =
        portal_login::Entity::find_by_id(reset.login_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut am = login.into_active_model();
    am.password_hash = Set(Some(hash_password(password)));
    let login = am.update(&txn).await?;
    txn.execute_raw(crate::db::stmt(
        &txn,
        "UPDATE password_resets SET used_at = $2 WHERE login_id = $1 AND used_at IS NULL",
        vec![login.id.into(), now.into()],
    ))
    .await?;
    end_sessions(&txn, login.id).await?;
    record(
        &txn,
        NewEvent {
            customer_id: login.customer_id,
            kind: "password_reset",
            actor: ActorRef::Customer(login.id),
            impersonator_staff_id: None,
            ip,
            user_agent: None,
            payload: String::new(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The customer's own profile.
pub async fn own_profile(db: &Db, who: &CustomerIdentity) -> AppResult<CustomerProfile> {
    customers::profile(db, who.customer_id).await
}

/// Save what a customer may change of their own data; every other field keeps its stored value
/// whatever the request carries. Validated like Daten, with the same version check.
pub async fn save_own(
    db: &Db,
    who: &CustomerIdentity,
    version: i64,
    input: &CustomerForm,
) -> AppResult<CustomerProfile> {
    let mut form = customers::detail(db, who.customer_id).await?.form;
    for name in SELF_SERVICE_FIELDS {
        if let (Some(target), Some(value)) = (form.text_mut(name), input.text(name)) {
            *target = value.to_string();
        }
    }
    for name in SELF_SERVICE_FLAGS {
        if let (Some(target), Some(value)) = (form.flag_mut(name), input.flag(name)) {
            *target = value;
        }
    }
    let saved =
        customers::update(db, who.actor(), who.customer_id, version, &form, customers::today()).await?;
    record(
        db,
        NewEvent {
            customer_id: who.customer_id,
            kind: "profile_changed",
            actor: who.event_actor(),
            impersonator_staff_id: who.impersonator_id,
            ip: None,
            user_agent: None,
            payload: String::new(),
        },
    )
    .await?;
    Ok(saved)
}

/// Self-service logins and their reset links in the customer-records registry; secrets stay.
pub struct PortalRecords;
pub const RECORDS: PortalRecords = PortalRecords;

#[async_trait::async_trait]
impl crate::records::registry::CustomerRecords for PortalRecords {
    fn area(&self) -> &'static str {
        "portal"
    }
    fn claims(&self) -> &'static [crate::records::registry::TableClaim] {
        PORTAL_CLAIMS
    }

    /// Logins move with their links. A customer has one own login: when both have one, the
    /// duplicate's is disabled and its sessions end (its contacts' logins stay as they are).
    async fn merge(&self, txn: &sea_orm::DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        let own = |id: i32| {
            portal_login::Entity::find()
                .filter(portal_login::Column::CustomerId.eq(id))
                .filter(portal_login::Column::ContactId.is_null())
                .one(txn)
        };
        if let (Some(_), Some(theirs)) = (own(keep).await?, own(duplicate).await?) {
            let id = theirs.id;
            let mut am = theirs.into_active_model();
            am.active = Set(false);
            am.update(txn).await?;
            end_sessions(txn, id).await?;
        }
        for claim in PORTAL_CLAIMS {
            crate::records::registry::move_rows(txn, claim, duplicate, keep).await?;
        }
        Ok(())
    }
}

const PORTAL_CLAIMS: &[crate::records::registry::TableClaim] = &[
    crate::records::registry::TableClaim {
        table: "portal_logins",
        column: "customer_id",
        export: crate::records::registry::Export::Rows {
            withheld: &["password_hash", "totp_secret", "totp_pending", "recovery_codes"],
        },
    },
    crate::records::registry::TableClaim {
        table: "password_resets",
        column: "customer_id",
        export: crate::records::registry::Export::Rows { withheld: &["token_hash"] },
    },
];
