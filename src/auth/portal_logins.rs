//! Portal logins (the customer's own and its contacts') and their single-use set-password
//! links: "Passwort vergessen?", "Neues Passwort zusenden", and the invitation of a contact's
//! new login. A link works once; setting the password ends the login's other links and
//! sessions. They sit in auth, below the customer areas that create and end them.
use crate::auth::service::{MIN_PASSWORD_CHARS, hash_password, token_hash};
use crate::db::Db;
use crate::db::entities::{contact, customer, password_reset, portal_login};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{Actor, NewEvent, record};
use crate::i18n::Locale;
use crate::mail::outbox::{NewMail, enqueue};
use crate::mail::templates::render;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
};

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

pub fn display_name(c: &customer::Model) -> String {
    crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company)
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

/// How long a reset link works.
pub const RESET_VALID: Duration = Duration::hours(1);
/// Reset mails per login per hour, whoever asks: no mail bombing through the form.
pub const RESETS_PER_HOUR: u64 = 3;

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
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
) -> AppResult<i32> {
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
/// transaction: a reset for the customer, an invitation for a contact's new login. Returns the
/// queued mail's id.
pub async fn issue_link<C: ConnectionTrait>(
    db: &C,
    login: &portal_login::Model,
    c: &customer::Model,
    base_url: &str,
    staff_id: Option<i32>,
    mail: Link,
    valid: Duration,
) -> AppResult<i32> {
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
    // The stored text shows the link without its token; the sender puts it in at delivery.
    let link =
        format!("{}/portal/reset?token={}", base_url.trim_end_matches('/'), crate::mail::REDACTED_TOKEN);
    let text = render(locale, mail.template, &[("name", &mail.name), ("link", &link), ("number", &c.number)]);
    enqueue(
        db,
        NewMail {
            customer_id: Some(c.id),
            template: mail.template.into(),
            kind: crate::mail::model::MailKind::System,
            to: login.email.clone(),
            cc: Vec::new(),
            subject: text.subject,
            body: text.body,
            staff_id,
            secret: Some(token),
            attachments: Vec::new(),
        },
    )
    .await
}

/// A set-password mail sent again gets a fresh link for the login it went to (its stored text
/// holds no usable token to send twice): an invitation stays an invitation, anything else is a
/// reset, addressed to the contact or the customer the login belongs to. Refused when that login
/// is gone or deactivated. Returns the new mail's id.
pub async fn reissue<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    template: &str,
    to: &str,
    base_url: &str,
    staff_id: Option<i32>,
) -> AppResult<i32> {
    let gone = || AppError::Validation(vec![FieldError::new("mail", "emails.link_login_gone")]);
    let login = portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(customer_id))
        .filter(portal_login::Column::Email.eq(to.trim().to_lowercase()))
        .one(db)
        .await?
        .filter(|l| l.active)
        .ok_or_else(gone)?;
    let c = customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)?;
    let (name, language) = match login.contact_id {
        Some(id) => {
            let p = contact::Entity::find_by_id(id).one(db).await?.ok_or_else(gone)?;
            (crate::ui::format::display_name(&p.first_name, &p.last_name, ""), p.language)
        }
        None => (display_name(&c), c.language.clone()),
    };
    let invite = template == "contact_invite" && login.contact_id.is_some();
    let (template, valid) =
        if invite { ("contact_invite", INVITE_VALID) } else { ("password_reset", RESET_VALID) };
    issue_link(db, &login, &c, base_url, staff_id, Link { template, name, language }, valid).await
}

/// Staff changed the address of a login's owner (the customer or a contact): the login follows
/// it, its password stops working, the links issued before are revoked and its sessions end. If
/// the login was in use (a password, or an open link), a fresh set-password link goes to the new
/// address. An address removed, or one another login already has, deactivates the login (two
/// logins cannot share an address). Returns the login as it is now and whether a mail was
/// queued.
#[allow(clippy::too_many_arguments)]
pub async fn follow_address<C: ConnectionTrait>(
    db: &C,
    login: portal_login::Model,
    c: &customer::Model,
    email: &str,
    base_url: &str,
    staff_id: Option<i32>,
    (name, language): (String, String),
) -> AppResult<(portal_login::Model, bool)> {
    let email = email.trim().to_lowercase();
    if login.email == email {
        return Ok((login, false));
    }
    let mut taken = portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(&email))
        .filter(portal_login::Column::Id.ne(login.id))
        .one(db)
        .await?;
    // A deactivated login gives its address up to an active one.
    if let Some(idle) = taken.take_if(|l| !l.active) {
        release(db, idle).await?;
    }
    let revoked = revoke_links(db, login.id).await?;
    end_sessions(db, login.id).await?;
    let in_use = login.active && (login.password_hash.is_some() || revoked > 0);
    if email.is_empty() || taken.is_some() {
        return Ok((release(db, login).await?, false));
    }
    let mut am = login.into_active_model();
    am.password_hash = Set(None);
    am.email = Set(email);
    let login = am.update(db).await?;
    if !in_use {
        return Ok((login, false));
    }
    let link = Link { template: "address_changed", name, language };
    issue_link(db, &login, c, base_url, staff_id, link, INVITE_VALID).await?;
    Ok((login, true))
}

/// End a login's open set-password links; returns how many were open.
async fn revoke_links<C: ConnectionTrait>(db: &C, login_id: i32) -> AppResult<u64> {
    let sql =
        "UPDATE password_resets SET used_at = $2 WHERE login_id = $1 AND used_at IS NULL AND expires_at > $2";
    Ok(db
        .execute_raw(crate::db::stmt(db, sql, vec![login_id.into(), Utc::now().into()]))
        .await?
        .rows_affected())
}

/// Where a released login's address went: nowhere (a reserved domain), so the real address is
/// free for another login.
pub const RELEASED_DOMAIN: &str = "released.invalid";

/// Deactivate a login that has no address of its own any more (removed, or now another
/// login's), without password, and give the address up.
async fn release<C: ConnectionTrait>(db: &C, login: portal_login::Model) -> AppResult<portal_login::Model> {
    let id = login.id;
    let mut am = login.into_active_model();
    am.active = Set(false);
    am.password_hash = Set(None);
    am.email = Set(format!("login-{id}@{RELEASED_DOMAIN}"));
    Ok(am.update(db).await?)
}

/// The customer's own portal login: the active one if a merge left two.
pub async fn own_login<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
) -> AppResult<Option<portal_login::Model>> {
    use sea_orm::QueryOrder;
    Ok(portal_login::Entity::find()
        .filter(portal_login::Column::CustomerId.eq(customer_id))
        .filter(portal_login::Column::ContactId.is_null())
        .order_by_desc(portal_login::Column::Active)
        .order_by_desc(portal_login::Column::Id)
        .one(db)
        .await?)
}

/// The customer's own address changed (a save of Daten): its portal login follows
/// (`follow_address`). Returns whether a mail was queued.
pub async fn own_address_changed<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    email: &str,
    base_url: &str,
    staff_id: Option<i32>,
) -> AppResult<bool> {
    let Some(login) = own_login(db, customer_id).await? else { return Ok(false) };
    let c = customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)?;
    let who = (display_name(&c), c.language.clone());
    Ok(follow_address(db, login, &c, email, base_url, staff_id, who).await?.1)
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
    let txn = crate::db::begin_write(db).await?;
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
            actor: Actor::Customer { login_id: login.id, by_staff: None },
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
pub async fn staff_send_reset(
    ctx: &crate::write::Ctx,
    staff_id: i32,
    customer_id: i32,
    base_url: &str,
) -> AppResult<String> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer::Entity::find_by_id(customer_id).one(txn).await?.ok_or(AppError::NotFound)?;
    if c.account_locked {
        return Err(invalid("email", "portal.locked"));
    }
    let email = c.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(invalid("email", "portal.no_email"));
    }
    let taken = portal_login::Entity::find()
        .filter(portal_login::Column::Email.eq(&email))
        .one(txn)
        .await?
        .filter(|l| l.customer_id != customer_id || l.contact_id.is_some());
    if taken.is_some() {
        return Err(invalid("email", "portal.email_in_use"));
    }
    let existing = own_login(txn, customer_id).await?;
    // A login released because its address went may start again at the customer's address now;
    // one deactivated otherwise stays so.
    let released = |l: &portal_login::Model| l.email.ends_with(&format!("@{RELEASED_DOMAIN}"));
    if existing.as_ref().is_some_and(|l| !l.active && !released(l)) {
        return Err(invalid("email", "portal.login_inactive"));
    }
    let login = match existing {
        Some(l) if l.email == email => l,
        Some(l) => {
            // The login does not have the customer's address: it starts over at that address,
            // without its password, links or sessions.
            revoke_links(txn, l.id).await?;
            end_sessions(txn, l.id).await?;
            let mut am = l.into_active_model();
            am.email = Set(email.clone());
            am.active = Set(true);
            am.password_hash = Set(None);
            am.update(txn).await?
        }
        None => create_own_login(txn, customer_id, &email).await?,
    };
    if recent_resets(txn, login.id).await? >= RESETS_PER_HOUR {
        return Err(invalid("email", "portal.too_many_resets"));
    }
    issue_reset(txn, &login, &c, base_url, Some(staff_id)).await?;
    record(txn, NewEvent::new(customer_id, "password_reset_sent", Actor::Staff(staff_id), email.clone()))
        .await?;
    change.touched(crate::mail::AREA);
    change.mail_queued();
    change.commit().await?;
    Ok(email)
}

/// Set a new password through a reset link. The link works once and for its time: a
/// conditional update takes it, so of requests at the same moment only one does. Afterwards every
/// other open link of the login and all its sessions end. Refused for a deactivated login or a
/// locked customer.
pub async fn reset_password(db: &Db, token: &str, password: &str, ip: Option<&str>) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("password", "validation.password_short"));
    }
    // Hashed before the transaction: on SQLite it holds the write lock.
    let hash = hash_password(password).await;
    let txn = crate::db::begin_write(db).await?;
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
    let taken = txn
        .execute_raw(crate::db::stmt(
            &txn,
            "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            vec![reset.token_hash.clone().into(), now.into()],
        ))
        .await?
        .rows_affected();
    if taken != 1 {
        return Err(invalid("token", "portal.reset_used"));
    }
    let login =
        portal_login::Entity::find_by_id(reset.login_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let c = customer::Entity::find_by_id(login.customer_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if !login.active || c.account_locked || c.erased_at.is_some() {
        return Err(invalid("token", "portal.reset_invalid"));
    }
    let mut am = login.into_active_model();
    am.password_hash = Set(Some(hash));
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
            actor: Actor::Customer { login_id: login.id, by_staff: None },
            ip,
            user_agent: None,
            payload: String::new(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
