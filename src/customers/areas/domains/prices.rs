//! "Preise bearbeiten": the customer's own price per year for registering, transferring and
//! renewing under an ending, each optional, over the list price. A price is resolved when it is
//! charged (`resolve`); nothing stores a resolved price before an invoice copies it, so what an
//! issued invoice charged never moves with a later change here.
use super::model::*;
use crate::customers::areas::history::service::{FieldChange, differing, record_changes};
use crate::db::entities::{change, customer_domain_price as own_price, tld, tld_price};
use crate::domains::name::DomainName;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::money::parse_cents;
use crate::write::Ctx;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The Verlauf's entity for a customer price; its id is the ending's.
pub const ENTITY: &str = "domain_price";

/// The highest own price: 100,000.00 (a typo guard, as on the list).
const MAX_CENTS: i64 = 10_000_000;

/// What `years` of `action` under an ending cost the customer: the own price per year times the
/// years where the customer has one, else the list price for that term (`None`: not offered).
pub fn resolve(own_per_year: Option<i64>, list_for_term: Option<i64>, years: i32) -> Option<i64> {
    match own_per_year {
        Some(cents) => cents.checked_mul(i64::from(years.max(1))),
        None => list_for_term,
    }
}

/// The price the customer pays for `action` ("register" | "transfer" | "renew") of `years`
/// under the ending `tld_id`.
pub async fn price_for<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    tld_id: i32,
    action: &str,
    years: i32,
) -> AppResult<Option<i64>> {
    let (own, _) = own_of(db, customer_id, tld_id).await?;
    let list = tld_price::Entity::find()
        .filter(tld_price::Column::TldId.eq(tld_id))
        .filter(tld_price::Column::Action.eq(action))
        .filter(tld_price::Column::Years.eq(years))
        .one(db)
        .await?
        .map(|p| p.cents);
    let Some(i) = PRICE_ACTIONS.iter().position(|a| *a == action) else {
        return Ok(list);
    };
    Ok(resolve(own[i], list, years))
}

fn amounts(o: &own_price::Model) -> [Option<i64>; 3] {
    [o.register_cents, o.transfer_cents, o.renew_cents]
}

/// One page of the active endings with their one-year list prices and the customer's own;
/// endings where the customer has a price first.
pub async fn page<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<CustomerPricePage> {
    let mut own: HashMap<i32, own_price::Model> = own_price::Entity::find()
        .filter(own_price::Column::CustomerId.eq(customer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.tld_id, o))
        .collect();
    let mut endings: Vec<tld::Model> = tld::Entity::find()
        .filter(tld::Column::Active.eq(true))
        .order_by_asc(tld::Column::Tld)
        .all(db)
        .await?;
    // Stable: by name within each group.
    endings.sort_by_key(|t| !own.contains_key(&t.id));
    let total = endings.len() as u64;
    let pages = total.div_ceil(PRICE_PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let shown: Vec<tld::Model> = endings
        .into_iter()
        .skip((u64::from(page - 1) * PRICE_PAGE_SIZE) as usize)
        .take(PRICE_PAGE_SIZE as usize)
        .collect();
    let ids: Vec<i32> = shown.iter().map(|t| t.id).collect();
    let list = tld_price::Entity::find()
        .filter(tld_price::Column::TldId.is_in(ids))
        .filter(tld_price::Column::Years.eq(1))
        .all(db)
        .await?;
    let rows = shown
        .into_iter()
        .map(|t| {
            let list_of =
                |action: &str| list.iter().find(|p| p.tld_id == t.id && p.action == action).map(|p| p.cents);
            let mine = own.remove(&t.id);
            CustomerPrice {
                tld_id: t.id,
                tld: DomainName::parse_tld(&t.tld).map(|n| n.unicode).unwrap_or_else(|_| t.tld.clone()),
                list: PRICE_ACTIONS.map(list_of),
                own: mine.as_ref().map(amounts).unwrap_or_default(),
                version: mine.map(|m| m.version).unwrap_or(0),
            }
        })
        .collect();
    Ok(CustomerPricePage { rows, total, page, pages })
}

/// The stored reading of an own price in the Verlauf: cents, '' for none.
fn reading(amount: Option<i64>) -> String {
    amount.map(|c| c.to_string()).unwrap_or_default()
}

fn read_input(input: &CustomerPriceInput) -> AppResult<[Option<i64>; 3]> {
    let mut errors = Vec::new();
    let mut out = [None; 3];
    for (i, action) in PRICE_ACTIONS.iter().enumerate() {
        let typed = input.own[i].trim();
        if typed.is_empty() {
            continue;
        }
        match parse_cents(typed).filter(|c| *c <= MAX_CENTS) {
            Some(cents) => out[i] = Some(cents),
            None => errors.push(FieldError::new(format!("own.{action}"), "tld.price_invalid")),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(AppError::Validation(errors)) }
}

/// Set the customer's prices for one ending at the version shown (all empty: back to the list).
pub async fn save(ctx: &Ctx, actor: Actor, customer_id: i32, input: &CustomerPriceInput) -> AppResult<()> {
    save_reverting(ctx, actor, customer_id, input, None).await
}

async fn save_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    input: &CustomerPriceInput,
    reverts: Option<i32>,
) -> AppResult<()> {
    let wanted = read_input(input)?;
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    tld::Entity::find_by_id(input.tld_id).one(txn).await?.ok_or(AppError::NotFound)?;
    let current = own_price::Entity::find()
        .filter(own_price::Column::CustomerId.eq(customer_id))
        .filter(own_price::Column::TldId.eq(input.tld_id))
        .one(txn)
        .await?;
    let (before, version) = current.as_ref().map(|c| (amounts(c), c.version)).unwrap_or(([None; 3], 0));
    if version != input.version {
        return Err(AppError::Conflict { current_version: version });
    }
    let at = |values: [Option<i64>; 3]| {
        move |f: &str| PRICE_ACTIONS.iter().position(|a| *a == f).map(|i| reading(values[i]))
    };
    let changes: Vec<FieldChange> = differing(&PRICE_ACTIONS, at(before), at(wanted));
    if changes.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let conflict = || AppError::Conflict { current_version: version };
    match current {
        None => {
            let inserted = own_price::ActiveModel {
                customer_id: Set(customer_id),
                tld_id: Set(input.tld_id),
                register_cents: Set(wanted[0]),
                transfer_cents: Set(wanted[1]),
                renew_cents: Set(wanted[2]),
                version: Set(1),
                updated_at: Set(now),
                updated_by: Set(actor.staff_id()),
                ..Default::default()
            }
            .insert(txn)
            .await;
            // A colleague set a price for this ending in between.
            match inserted {
                Err(e) if crate::db::is_unique_violation(&e) => return Err(conflict()),
                other => other?,
            };
        }
        Some(row) => {
            // Written only at the version read: of two saves at once, the second is a conflict.
            let updated = own_price::Entity::update_many()
                .col_expr(own_price::Column::RegisterCents, Expr::value(wanted[0]))
                .col_expr(own_price::Column::TransferCents, Expr::value(wanted[1]))
                .col_expr(own_price::Column::RenewCents, Expr::value(wanted[2]))
                .col_expr(own_price::Column::Version, Expr::value(version + 1))
                .col_expr(own_price::Column::UpdatedAt, Expr::value(now))
                .col_expr(own_price::Column::UpdatedBy, Expr::value(actor.staff_id()))
                .filter(own_price::Column::Id.eq(row.id))
                .filter(own_price::Column::Version.eq(version))
                .exec(txn)
                .await?;
            if updated.rows_affected != 1 {
                return Err(conflict());
            }
        }
    }
    record_changes(txn, customer_id, ENTITY, input.tld_id, actor, &changes, reverts).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Undo one recorded change of a customer price through the normal save.
pub async fn undo(ctx: &Ctx, staff_id: i32, customer_id: i32, c: &change::Model) -> AppResult<()> {
    let Some(i) = PRICE_ACTIONS.iter().position(|a| *a == c.field) else {
        return Err(AppError::NotFound);
    };
    let row = own_of(&ctx.db, customer_id, c.entity_id).await?;
    if reading(row.0[i]) != c.new_value {
        return Err(AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]));
    }
    let mut own = row.0.map(|a| a.map(|c| crate::money::cents_text(c, ',')).unwrap_or_default());
    own[i] = c.old_value.parse::<i64>().map(|c| crate::money::cents_text(c, ',')).unwrap_or_default();
    let input = CustomerPriceInput { tld_id: c.entity_id, own, version: row.1 };
    save_reverting(ctx, Actor::Staff(staff_id), customer_id, &input, Some(c.id)).await
}

/// The customer's own prices for an ending and their version (none yet: all `None`, 0).
async fn own_of<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    tld_id: i32,
) -> AppResult<([Option<i64>; 3], i64)> {
    Ok(own_price::Entity::find()
        .filter(own_price::Column::CustomerId.eq(customer_id))
        .filter(own_price::Column::TldId.eq(tld_id))
        .one(db)
        .await?
        .map(|o| (amounts(&o), o.version))
        .unwrap_or(([None; 3], 0)))
}

/// The endings' names by id, for the Verlauf ("Preis .de").
pub async fn endings<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<i32, String>> {
    Ok(tld::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, DomainName::parse_tld(&t.tld).map(|n| n.unicode).unwrap_or(t.tld)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn an_own_price_per_year_wins_over_the_list_and_multiplies_by_the_term() {
        assert_eq!(resolve(Some(790), Some(1290), 1), Some(790));
        assert_eq!(resolve(Some(790), Some(2400), 3), Some(2370));
        assert_eq!(resolve(None, Some(1290), 1), Some(1290));
        assert_eq!(resolve(None, None, 2), None, "not offered");
        assert_eq!(resolve(Some(0), Some(1290), 1), Some(0), "free is a price");
    }
}
