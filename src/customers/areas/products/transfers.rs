//! Licence transfers. Staff offer a licence to another customer (refused while the owner has
//! transfers locked, while the licence is not active, or while another offer is open); the
//! recipient is told by mail and accepts or declines in the self-service area. Accepting moves
//! the licence in one change of both customers, locked in id order, and records the move in both
//! Verläufe and both Logs. Offers end unanswered after 14 days (the daily job marks them).
use super::model::{LicenceStatus, TransferOffer, TransferStatus};
use super::service::{ENTITY, find};
use crate::customers::areas::history::service::{FieldChange, record_changes};
use crate::db::entities::{customer, licence, licence_transfer, product};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::mail::model::MailKind;
use crate::write::Ctx;
use chrono::{Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// How long an offer waits for its answer.
pub const OFFER_VALID_DAYS: i64 = 14;

fn refused(field: &str, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// Why this licence of this owner may not move now, if it may not.
fn transfer_blocked(owner: &customer::Model, l: &licence::Model) -> Option<AppError> {
    if owner.licence_transfer_locked {
        return Some(refused("licence", "products.transfer_locked"));
    }
    if l.status != LicenceStatus::Active.as_str() {
        return Some(refused("licence", "products.transfer_not_active"));
    }
    None
}

/// The open offer of a licence, if any (an expired one counts as none).
async fn open_offer<C: ConnectionTrait>(
    db: &C,
    licence_id: i32,
) -> AppResult<Option<licence_transfer::Model>> {
    Ok(licence_transfer::Entity::find()
        .filter(licence_transfer::Column::LicenceId.eq(licence_id))
        .filter(licence_transfer::Column::Status.eq(TransferStatus::Offered.as_str()))
        .one(db)
        .await?)
}

/// Offer licence `(id, version)` of customer `from` to the customer numbered `to_number`.
pub async fn offer(
    ctx: &Ctx,
    staff_id: i32,
    from: i32,
    (licence_id, version): (i32, i64),
    to_number: &str,
) -> AppResult<i32> {
    let to_number = to_number.trim().to_uppercase();
    let to = customer::Entity::find()
        .filter(customer::Column::Number.eq(&to_number))
        .filter(customer::Column::ErasedAt.is_null())
        .one(&ctx.db)
        .await?
        .filter(|c| c.id != from)
        .ok_or_else(|| refused("to", "products.transfer_recipient_unknown"))?;
    let mut change = ctx.begin_pair(from, to.id).await?;
    let txn = &change.txn;
    let owner = customer::Entity::find_by_id(from).one(txn).await?.ok_or(AppError::NotFound)?;
    let l = find(txn, from, licence_id).await?;
    if l.version != version {
        return Err(AppError::Conflict { current_version: l.version });
    }
    if let Some(blocked) = transfer_blocked(&owner, &l) {
        return Err(blocked);
    }
    let now = Utc::now();
    if let Some(open) = open_offer(txn, licence_id).await? {
        if open.expires_at > now {
            return Err(refused("licence", "products.transfer_open"));
        }
        // Ran out unanswered: it ends here, so the new offer is the only open one.
        let mut am = open.into_active_model();
        am.status = Set(TransferStatus::Expired.as_str().into());
        am.decided_at = Set(Some(now));
        am.update(txn).await?;
    }
    let row = licence_transfer::ActiveModel {
        licence_id: Set(licence_id),
        from_customer_id: Set(from),
        to_customer_id: Set(to.id),
        status: Set(TransferStatus::Offered.as_str().into()),
        offered_at: Set(now),
        offered_by: Set(Some(staff_id)),
        expires_at: Set(now + Duration::days(OFFER_VALID_DAYS)),
        decided_at: Set(None),
        decided_by_login: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let what = describe(txn, &l).await?;
    let actor = Actor::Staff(staff_id);
    record(txn, NewEvent::new(from, "licence_transfer_offered", actor, format!("{what} → {}", to.number)))
        .await?;
    record(
        txn,
        NewEvent::new(to.id, "licence_transfer_offered", actor, format!("{what} ← {}", owner.number)),
    )
    .await?;
    tell_recipient(txn, &to, &owner, &what, ctx.base_url(), staff_id).await?;
    touched_both(&mut change, from, to.id);
    change.touched_other(to.id, crate::mail::AREA);
    change.mail_queued();
    change.commit().await?;
    Ok(row.id)
}

/// Both customers' Produkte panels and Logs refetch after commit.
fn touched_both(change: &mut crate::write::Change<'_>, a: i32, b: i32) {
    for customer in [a, b] {
        change.touched_other(customer, super::AREA.slug);
        change.touched_other(customer, crate::customers::areas::log::AREA.slug);
    }
}

/// "ShopX 7K3QD-…": the product and the key, as the Log and the mail name a licence.
async fn describe<C: ConnectionTrait>(db: &C, l: &licence::Model) -> AppResult<String> {
    let name = product::Entity::find_by_id(l.product_id).one(db).await?.map(|p| p.name).unwrap_or_default();
    Ok(format!("{name} {}", crate::licensing::key::display(&l.key_norm)))
}

async fn tell_recipient<C: ConnectionTrait>(
    db: &C,
    to: &customer::Model,
    from: &customer::Model,
    what: &str,
    base_url: &str,
    staff_id: i32,
) -> AppResult<()> {
    let locale = crate::i18n::Locale::from_code(&to.language).unwrap_or_default();
    let name = crate::ui::format::display_name(&to.first_name, &to.last_name, &to.company);
    let link = format!("{}/portal/products", base_url.trim_end_matches('/'));
    let days = OFFER_VALID_DAYS.to_string();
    let args = [
        ("name", name.as_str()),
        ("licence", what),
        ("from", from.number.as_str()),
        ("link", &link),
        ("days", &days),
    ];
    let text = crate::mail::templates::render(locale, "licence_transfer_offered", &args);
    let cc = crate::customers::areas::contacts::service::cc_for(db, to.id, MailKind::Products).await?;
    crate::mail::outbox::enqueue(
        db,
        crate::mail::outbox::NewMail {
            customer_id: Some(to.id),
            template: "licence_transfer_offered".into(),
            kind: MailKind::Products,
            to: to.email.clone(),
            cc,
            subject: text.subject,
            body: text.body,
            staff_id: Some(staff_id),
            secret: None,
            attachments: Vec::new(),
        },
    )
    .await?;
    Ok(())
}

/// Withdraw an open offer of one of the customer's licences.
pub async fn withdraw(ctx: &Ctx, staff_id: i32, from: i32, transfer_id: i32) -> AppResult<()> {
    let t = licence_transfer::Entity::find_by_id(transfer_id)
        .filter(licence_transfer::Column::FromCustomerId.eq(from))
        .one(&ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut change = ctx.begin_pair(from, t.to_customer_id).await?;
    let txn = &change.txn;
    // Taken by a conditional update: an answer that came first wins.
    let sql = "UPDATE licence_transfers SET status = $1, decided_at = $2 WHERE id = $3 AND status = $4";
    let values = vec![
        TransferStatus::Withdrawn.as_str().into(),
        Utc::now().into(),
        transfer_id.into(),
        TransferStatus::Offered.as_str().into(),
    ];
    if txn.execute_raw(crate::db::stmt(txn, sql, values)).await?.rows_affected() != 1 {
        return Err(refused("transfer", "products.transfer_answered"));
    }
    let l = licence::Entity::find_by_id(t.licence_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let what = describe(txn, &l).await?;
    for customer in [from, t.to_customer_id] {
        record(
            txn,
            NewEvent::new(customer, "licence_transfer_withdrawn", Actor::Staff(staff_id), what.clone()),
        )
        .await?;
    }
    touched_both(&mut change, from, t.to_customer_id);
    change.commit().await
}

/// The recipient's answer. Accepting re-checks the rules (the owner may have locked transfers
/// or the licence may have changed since the offer) and moves the licence with its history
/// recorded under both customers; its bindings to hosts were the old owner's and are dropped,
/// so the new owner's installation binds anew.
pub async fn answer(
    ctx: &Ctx,
    actor: Actor,
    login_id: i32,
    to: i32,
    transfer_id: i32,
    accept: bool,
) -> AppResult<()> {
    let t = licence_transfer::Entity::find_by_id(transfer_id)
        .filter(licence_transfer::Column::ToCustomerId.eq(to))
        .one(&ctx.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = t.from_customer_id;
    let mut change = ctx.begin_pair(to, from).await?;
    let txn = &change.txn;
    let now = Utc::now();
    if t.expires_at <= now {
        return Err(refused("transfer", "products.transfer_expired"));
    }
    let status = if accept { TransferStatus::Accepted } else { TransferStatus::Declined };
    let sql = "UPDATE licence_transfers SET status = $1, decided_at = $2, decided_by_login = $3 \
               WHERE id = $4 AND status = $5";
    let values = vec![
        status.as_str().into(),
        now.into(),
        login_id.into(),
        transfer_id.into(),
        TransferStatus::Offered.as_str().into(),
    ];
    if txn.execute_raw(crate::db::stmt(txn, sql, values)).await?.rows_affected() != 1 {
        return Err(refused("transfer", "products.transfer_answered"));
    }
    let l = licence::Entity::find_by_id(t.licence_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let what = describe(txn, &l).await?;
    if accept {
        let owner = customer::Entity::find_by_id(from).one(txn).await?.ok_or(AppError::NotFound)?;
        if l.customer_id != from {
            return Err(refused("transfer", "products.transfer_answered"));
        }
        if let Some(blocked) = transfer_blocked(&owner, &l) {
            return Err(blocked);
        }
        let recipient = customer::Entity::find_by_id(to).one(txn).await?.ok_or(AppError::NotFound)?;
        let mut am = l.clone().into_active_model();
        am.customer_id = Set(to);
        am.reseller_id = Set(recipient.reseller_id);
        am.version = Set(l.version + 1);
        am.updated_at = Set(now);
        am.updated_by = Set(None);
        am.update(txn).await?;
        let moved = [FieldChange {
            field: "customer".into(),
            old: owner.number.clone(),
            new: recipient.number.clone(),
        }];
        let unbind = "DELETE FROM licence_bindings WHERE licence_id = $1";
        txn.execute_raw(crate::db::stmt(txn, unbind, vec![l.id.into()])).await?;
        record_changes(txn, from, ENTITY, l.id, actor, &moved, None).await?;
        record_changes(txn, to, ENTITY, l.id, actor, &moved, None).await?;
    }
    let kind = if accept { "licence_transfer_accepted" } else { "licence_transfer_declined" };
    for customer in [from, to] {
        record(txn, NewEvent::new(customer, kind, actor, what.clone())).await?;
    }
    touched_both(&mut change, from, to);
    change.commit().await
}

/// The daily job: offers left unanswered past their time end as expired.
pub async fn expire_due<C: ConnectionTrait>(db: &C, now: chrono::DateTime<Utc>) -> AppResult<u64> {
    let sql =
        "UPDATE licence_transfers SET status = $1, decided_at = $2 WHERE status = $3 AND expires_at <= $2";
    let values =
        vec![TransferStatus::Expired.as_str().into(), now.into(), TransferStatus::Offered.as_str().into()];
    Ok(db.execute_raw(crate::db::stmt(db, sql, values)).await?.rows_affected())
}

/// The open offers of a customer's licences (staff view) or to a customer (portal), newest first.
pub async fn offers<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    incoming: bool,
) -> AppResult<Vec<TransferOffer>> {
    let column = if incoming {
        licence_transfer::Column::ToCustomerId
    } else {
        licence_transfer::Column::FromCustomerId
    };
    let now = Utc::now();
    let rows = licence_transfer::Entity::find()
        .filter(column.eq(customer_id))
        .filter(licence_transfer::Column::Status.eq(TransferStatus::Offered.as_str()))
        .filter(licence_transfer::Column::ExpiresAt.gt(now))
        .order_by_desc(licence_transfer::Column::Id)
        .all(db)
        .await?;
    // Three reads for the whole list, whatever its length.
    let licences: HashMap<i32, licence::Model> = licence::Entity::find()
        .filter(licence::Column::Id.is_in(rows.iter().map(|t| t.licence_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let other = |t: &licence_transfer::Model| if incoming { t.from_customer_id } else { t.to_customer_id };
    let numbers: HashMap<i32, String> = customer::Entity::find()
        .filter(customer::Column::Id.is_in(rows.iter().map(other)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number))
        .collect();
    let products: HashMap<i32, String> =
        product::Entity::find().all(db).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let mut out = Vec::new();
    for t in rows {
        let Some(l) = licences.get(&t.licence_id) else { continue };
        out.push(TransferOffer {
            id: t.id,
            licence_id: l.id,
            product: products.get(&l.product_id).cloned().unwrap_or_default(),
            // The recipient sees the key only once the licence is theirs.
            key: if incoming { String::new() } else { crate::licensing::key::display(&l.key_norm) },
            other_number: numbers.get(&other(&t)).cloned().unwrap_or_default(),
            offered_at: t.offered_at.to_rfc3339(),
            expires_at: t.expires_at.to_rfc3339(),
        });
    }
    Ok(out)
}
