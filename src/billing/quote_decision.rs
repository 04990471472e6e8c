//! The answer to a sent quote, and its end. The customer accepts or declines in the
//! self-service area (logged with their address), or staff do it on their behalf with a reason.
//! Accepting turns the quote into a draft invoice in the same transaction: one-time lines as
//! they are, each recurring line a new recurring item from the day of acceptance with its first
//! period on the draft (the billing run passes it by until the draft is finalised). Never a
//! final invoice: staff check the draft first. The state moves from `sent` under the customer's
//! lock, the draft named in the same conditional update, so a quote accepted twice at once is
//! accepted once and yields one draft. The daily job marks quotes past their validity as expired.
use super::calendar::{self, Interval};
use super::drafts::{insert_draft, save_lines};
use super::invoices::{AREA as INVOICES_AREA, Line, customer_of};
use super::items::{self, ITEMS_AREA};
use super::quotes::{AREA, find, lines_of};
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// The longest reason kept with a decision.
pub const MAX_REASON: usize = 500;

/// Who answers: the customer (from an address), or staff on their behalf (a reason is required).
#[derive(Clone, Copy, Debug)]
pub enum Decider<'a> {
    Customer { actor: Actor, ip: &'a str },
    Staff { id: i32, ip: &'a str },
}

/// What the answer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    pub number: String,
    pub accepted: bool,
    /// The draft invoice an accepted quote became.
    pub invoice_id: Option<i32>,
}

fn refused(key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new("quote", key)])
}

/// Accept (`accept`) or decline quote `id` on `today`.
pub async fn decide(
    ctx: &Ctx,
    customer_id: i32,
    id: i32,
    accept: bool,
    decider: Decider<'_>,
    reason: &str,
    today: NaiveDate,
) -> AppResult<Decided> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON {
        let max = MAX_REASON.to_string();
        return Err(AppError::Validation(vec![
            FieldError::new("reason", "quotes.reason_long").with("max", max),
        ]));
    }
    if matches!(decider, Decider::Staff { .. }) && reason.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("reason", "quotes.reason_required")]));
    }
    let (actor, ip, by) = match decider {
        Decider::Customer { actor, ip } => (actor, ip, "customer"),
        Decider::Staff { id, ip } => (Actor::Staff(id), ip, "staff"),
    };
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let state = if accept { "accepted" } else { "declined" };
    // Under the customer's lock nobody else answers meanwhile; the expiry job touches only
    // quotes past their validity, which are refused here.
    let q = find(txn, customer_id, id).await?;
    let number = q.number.clone().unwrap_or_default();
    if q.state != "sent" || q.valid_until < today {
        // A customer never sees a draft: for them it does not exist.
        return match q.state.as_str() {
            "draft" if by == "customer" => Err(AppError::NotFound),
            "draft" => Err(refused("quotes.not_sent")),
            // The same answer twice (a double click, two tabs): done once, nothing more.
            s if s == state => Ok(Decided { number, accepted: accept, invoice_id: q.invoice_id }),
            "sent" | "expired" => Err(refused("quotes.expired")),
            _ => Err(refused("quotes.already_decided")),
        };
    }
    let invoice_id = if accept { Some(convert(txn, actor, customer_id, id, today).await?) } else { None };
    let (kind, actor_id, _) = actor.columns();
    let moved = txn
        .execute_raw(stmt(
            txn,
            "UPDATE quotes SET state = $3, decided_at = $5, decided_by_kind = $6, decided_by_id = $7, \
             decided_reason = $8, decided_ip = $9, invoice_id = $10, version = version + 1, updated_at = $5 \
             WHERE id = $1 AND customer_id = $2 AND state = 'sent' AND valid_until >= $4",
            vec![
                id.into(),
                customer_id.into(),
                state.into(),
                today.into(),
                chrono::Utc::now().into(),
                kind.into(),
                actor_id.into(),
                reason.into(),
                ip.into(),
                invoice_id.into(),
            ],
        ))
        .await?
        .rows_affected();
    if moved == 0 {
        // Dropping the change rolls the draft invoice back.
        return Err(refused("quotes.already_decided"));
    }
    let payload = serde_json::json!({ "number": number, "by": by, "reason": reason, "ip": ip });
    let event = if accept { "quote_accepted" } else { "quote_declined" };
    let ip = Some(ip).filter(|ip| !ip.is_empty());
    record(txn, NewEvent { ip, ..NewEvent::new(customer_id, event, actor, payload.to_string()) }).await?;
    change.touched(AREA);
    // The Log area (its slug; billing sits below the areas).
    change.touched("log");
    if accept {
        change.touched(INVOICES_AREA);
        change.touched(ITEMS_AREA);
    }
    change.commit().await?;
    Ok(Decided { number, accepted: accept, invoice_id })
}

/// The accepted quote as a draft invoice (its id), with a recurring item per recurring line.
async fn convert<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer_id: i32,
    id: i32,
    today: NaiveDate,
) -> AppResult<i32> {
    let c = customer_of(txn, customer_id).await?;
    let now = chrono::Utc::now();
    let mut lines: Vec<Line> = Vec::new();
    for l in lines_of(txn, id).await? {
        let Some(interval) = l.interval else {
            lines.push(l.line);
            continue;
        };
        let item = items::Checked {
            description: l.line.description.clone(),
            quantity_milli: l.line.quantity_milli,
            unit_price_e4: l.line.unit_price_e4,
            tax_class: l.line.tax_class,
            interval,
            anchor: today,
        };
        let item_id = items::insert(txn, actor, customer_id, &item, now).await?;
        lines.push(first_period(l.line, item_id, today, interval)?);
    }
    let invoice = insert_draft(txn, &c, actor, "", "quote").await?;
    save_lines(txn, &c, invoice, &lines).await?;
    Ok(invoice)
}

/// A recurring line's first period from `anchor`, as the line that bills it.
fn first_period(line: Line, item_id: i32, anchor: NaiveDate, interval: Interval) -> AppResult<Line> {
    let (from, to) = calendar::period(anchor, interval, 0).ok_or(AppError::Internal)?;
    Ok(Line { service_from: Some(from), service_to: Some(to), billing_item_id: Some(item_id), ..line })
}

/// Mark every sent quote whose validity ended before `today` as expired; returns how many.
/// Safe on every instance at once: one conditional update, disjoint from an acceptance's.
pub async fn expire(ctx: &Ctx, today: NaiveDate) -> AppResult<u64> {
    let mut change = ctx.begin_append(0).await?;
    let rows = change
        .txn
        .query_all_raw(stmt(
            &change.txn,
            "UPDATE quotes SET state = 'expired', version = version + 1, updated_at = $2 \
             WHERE state = 'sent' AND valid_until < $1 RETURNING customer_id",
            vec![today.into(), chrono::Utc::now().into()],
        ))
        .await?;
    let mut customers: Vec<i32> =
        rows.iter().map(|r| r.try_get("", "customer_id")).collect::<Result<_, _>>()?;
    customers.sort_unstable();
    customers.dedup();
    for id in &customers {
        change.touched_other(*id, AREA);
    }
    change.commit().await?;
    Ok(rows.len() as u64)
}
