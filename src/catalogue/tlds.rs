//! The TLD price list: endings we sell (ICANN public suffixes only, kept as A-labels) with their
//! periods and list prices in cents. A save replaces the ending's prices in one transaction.
use super::tld_model::*;
use crate::db::entities::{domain, registrar, tld, tld_price};
use crate::domains::name::{DomainName, is_icann_suffix};
use crate::error::{AppError, AppResult, FieldError};
use crate::money::{cents_text, parse_cents};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// The highest list price: 100,000.00 (a typo guard, not a business rule).
const MAX_CENTS: i64 = 10_000_000;

/// One page of the endings, alphabetical by A-label, each with its prices.
pub async fn page(db: &crate::db::Db, page: u32) -> AppResult<TldPage> {
    let page = page.max(1);
    let paginator = tld::Entity::find().order_by_asc(tld::Column::Tld).paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let tlds = paginator.fetch_page(u64::from(page - 1)).await?;
    let ids: Vec<i32> = tlds.iter().map(|t| t.id).collect();
    let prices = tld_price::Entity::find().filter(tld_price::Column::TldId.is_in(ids)).all(db).await?;
    let rows = tlds
        .into_iter()
        .map(|t| {
            let cells = prices
                .iter()
                .filter(|p| p.tld_id == t.id)
                .map(|p| PriceCell {
                    action: p.action.clone(),
                    years: p.years,
                    amount: cents_text(p.cents, ','),
                })
                .collect();
            TldRow {
                unicode: DomainName::parse_tld(&t.tld).map(|n| n.unicode).unwrap_or_else(|_| t.tld.clone()),
                input: row_input(t, cells),
            }
        })
        .collect();
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    Ok(TldPage { rows, total, page, pages })
}

fn row_input(t: tld::Model, prices: Vec<PriceCell>) -> TldInput {
    TldInput {
        id: Some(t.id),
        version: t.version,
        tld: t.tld,
        grace_days: t.grace_days,
        redemption_days: t.redemption_days,
        authcode_required: t.authcode_required,
        terms: t.terms,
        active: t.active,
        registrar_id: t.registrar_id,
        prices,
    }
}

/// The prices to store, or a message per wrong cell (`price.<action>.<years>`).
fn read_prices(input: &TldInput, errors: &mut Vec<FieldError>) -> Vec<(&'static str, i32, i64)> {
    let mut prices = Vec::new();
    let terms = TERM_ACTIONS.iter().flat_map(|a| (1..=MAX_YEARS).map(move |y| (*a, y)));
    for (action, years) in terms.chain([(RESTORE, 1)]) {
        let typed = input.amount(action, years);
        if typed.trim().is_empty() {
            continue;
        }
        match parse_cents(&typed).filter(|c| *c <= MAX_CENTS) {
            Some(cents) => prices.push((action, years, cents)),
            None => errors.push(FieldError::new(format!("price.{action}.{years}"), "tld.price_invalid")),
        }
    }
    // A cell the form does not have is not quietly dropped.
    for cell in &input.prices {
        let known = (TERM_ACTIONS.contains(&cell.action.as_str()) && (1..=MAX_YEARS).contains(&cell.years))
            || (cell.action == RESTORE && cell.years == 1);
        if !known && !cell.amount.trim().is_empty() {
            errors.push(FieldError::new("prices", "tld.price_unknown"));
        }
    }
    prices
}

/// Add or change an ending and replace its prices.
pub async fn save(db: &crate::db::Db, input: &TldInput) -> AppResult<i32> {
    let mut errors = Vec::new();
    let name = match DomainName::parse_tld(&input.tld) {
        Ok(name) if is_icann_suffix(&name.ace) => Some(name),
        Ok(_) => {
            errors.push(FieldError::new("tld", "tld.not_public"));
            None
        }
        Err(e) => {
            errors.push(FieldError::new("tld", e.message_key()));
            None
        }
    };
    for (field, days) in [("grace_days", input.grace_days), ("redemption_days", input.redemption_days)] {
        if !(0..=365).contains(&days) {
            errors.push(FieldError::new(field, "tld.days_invalid"));
        }
    }
    let prices = read_prices(input, &mut errors);
    let txn = crate::db::begin_write(db).await?;
    if let Some(id) = input.registrar_id
        && registrar::Entity::find_by_id(id).one(&txn).await?.is_none()
    {
        errors.push(FieldError::new("registrar_id", "tld.registrar_unknown"));
    }
    if let Some(name) = &name {
        let taken = tld::Entity::find().filter(tld::Column::Tld.eq(name.ace.as_str())).one(&txn).await?;
        if taken.is_some_and(|t| Some(t.id) != input.id) {
            errors.push(FieldError::new("tld", "tld.taken"));
        }
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = Utc::now();
    let id = match input.id {
        None => {
            let inserted = tld::ActiveModel {
                tld: Set(name.ace),
                currency: Set("EUR".into()),
                grace_days: Set(input.grace_days),
                redemption_days: Set(input.redemption_days),
                authcode_required: Set(input.authcode_required),
                terms: Set(input.terms),
                active: Set(input.active),
                registrar_id: Set(input.registrar_id),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                Ok(row) => row.id,
                // Another save added the same ending in between.
                Err(e) if crate::db::is_unique_violation(&e) => {
                    return Err(AppError::Validation(vec![FieldError::new("tld", "tld.taken")]));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Some(id) => {
            let current = tld::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            // Domains are sold under the ending: it is not renamed under them.
            if current.tld != name.ace
                && domain::Entity::find().filter(domain::Column::TldId.eq(id)).count(&txn).await? > 0
            {
                return Err(AppError::Validation(vec![FieldError::new("tld", "tld.in_use")]));
            }
            // Changed only at the version it was read at: of two saves at once, the second is a
            // conflict (and its price rows are not written).
            let updated = tld::Entity::update_many()
                .col_expr(tld::Column::Tld, Expr::value(name.ace))
                .col_expr(tld::Column::GraceDays, Expr::value(input.grace_days))
                .col_expr(tld::Column::RedemptionDays, Expr::value(input.redemption_days))
                .col_expr(tld::Column::AuthcodeRequired, Expr::value(input.authcode_required))
                .col_expr(tld::Column::Terms, Expr::value(input.terms))
                .col_expr(tld::Column::Active, Expr::value(input.active))
                .col_expr(tld::Column::RegistrarId, Expr::value(input.registrar_id))
                .col_expr(tld::Column::Version, Expr::value(input.version + 1))
                .col_expr(tld::Column::UpdatedAt, Expr::value(now))
                .filter(tld::Column::Id.eq(id))
                .filter(tld::Column::Version.eq(input.version))
                .exec(&txn)
                .await?;
            if updated.rows_affected != 1 {
                return Err(AppError::Conflict { current_version: current.version });
            }
            id
        }
    };
    tld_price::Entity::delete_many().filter(tld_price::Column::TldId.eq(id)).exec(&txn).await?;
    for (action, years, cents) in prices {
        tld_price::ActiveModel {
            tld_id: Set(id),
            action: Set(action.into()),
            years: Set(years),
            cents: Set(cents),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(id)
}

/// The endings we sell, as A-labels (for splitting a name into label and TLD).
pub async fn active_tlds<C: ConnectionTrait>(db: &C) -> AppResult<Vec<String>> {
    Ok(tld::Entity::find()
        .filter(tld::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.tld)
        .collect())
}
