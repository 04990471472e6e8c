//! The catalogue's reads and writes. Products are created with their own Ed25519 key pair;
//! releases are only ever added (a release that shipped stays in the list).
use super::model::*;
use crate::db::Db;
use crate::db::entities::{licence, product, product_release};
use crate::error::{AppError, AppResult, FieldError};
use crate::text::{Lines, check};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;

fn slug_valid(slug: &str) -> bool {
    let b = slug.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !slug.ends_with('-')
}

fn validate(input: &ProductInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !slug_valid(&input.slug) {
        errors.push(FieldError::new("slug", "catalogue.slug_invalid"));
    }
    if input.name.trim().is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    check(&mut errors, "name", input.name.trim(), 200, Lines::One);
    if !(1..=120).contains(&input.update_term_months) {
        errors.push(FieldError::new("update_term_months", "catalogue.term_range"));
    }
    if !(1..=100).contains(&input.max_bindings) {
        errors.push(FieldError::new("max_bindings", "catalogue.bindings_range"));
    }
    errors
}

fn to_input(p: &product::Model) -> ProductInput {
    ProductInput {
        id: Some(p.id),
        version: p.version,
        slug: p.slug.clone(),
        name: p.name.clone(),
        active: p.active,
        update_term_months: p.update_term_months,
        max_bindings: p.max_bindings,
    }
}

/// Every product with its releases (newest first) and how many licences it has.
pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<ProductRow>> {
    let products = product::Entity::find().order_by_asc(product::Column::Name).all(db).await?;
    let mut releases: HashMap<i32, Vec<ReleaseRow>> = HashMap::new();
    for r in product_release::Entity::find()
        .order_by_desc(product_release::Column::ReleasedOn)
        .order_by_desc(product_release::Column::Id)
        .all(db)
        .await?
    {
        releases.entry(r.product_id).or_default().push(ReleaseRow {
            id: r.id,
            version: r.version,
            released_on: r.released_on.to_string(),
            notes: r.notes,
        });
    }
    let sql = "SELECT product_id, COUNT(*) AS n FROM licences GROUP BY product_id";
    let mut counts: HashMap<i32, i64> = HashMap::new();
    for row in db.query_all_raw(crate::db::stmt(db, sql, vec![])).await? {
        counts.insert(row.try_get("", "product_id")?, row.try_get("", "n")?);
    }
    Ok(products
        .into_iter()
        .map(|p| ProductRow {
            public_key: p.public_key.clone(),
            releases: releases.remove(&p.id).unwrap_or_default(),
            licences: counts.get(&p.id).copied().unwrap_or(0) as u64,
            input: to_input(&p),
        })
        .collect())
}

/// Create a product (with a new signing key) or edit one; the slug is fixed once licences exist,
/// since the licensed software names the product by it.
pub async fn save(db: &Db, input: &ProductInput) -> AppResult<i32> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let slug = input.slug.trim().to_string();
    let taken = product::Entity::find()
        .filter(product::Column::Slug.eq(&slug))
        .one(&txn)
        .await?
        .filter(|p| Some(p.id) != input.id);
    if taken.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("slug", "catalogue.slug_taken")]));
    }
    let now = Utc::now();
    let id = match input.id {
        None => {
            let (public_key, signing_key) = crate::licensing::sign::new_key_pair()?;
            product::ActiveModel {
                slug: Set(slug),
                name: Set(input.name.trim().into()),
                active: Set(input.active),
                update_term_months: Set(input.update_term_months),
                max_bindings: Set(input.max_bindings),
                public_key: Set(public_key),
                signing_key: Set(signing_key),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
        Some(id) => {
            let current = product::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            if current.slug != slug
                && licence::Entity::find().filter(licence::Column::ProductId.eq(id)).count(&txn).await? > 0
            {
                return Err(AppError::Validation(vec![FieldError::new("slug", "catalogue.slug_fixed")]));
            }
            let mut am = current.into_active_model();
            am.slug = Set(slug);
            am.name = Set(input.name.trim().into());
            am.active = Set(input.active);
            am.update_term_months = Set(input.update_term_months);
            am.max_bindings = Set(input.max_bindings);
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            am.update(&txn).await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

/// Add a release of a product; a version is entered once.
pub async fn add_release(db: &Db, staff_id: i32, product_id: i32, input: &ReleaseInput) -> AppResult<i32> {
    let mut errors = Vec::new();
    let version = input.version.trim();
    if version.is_empty() {
        errors.push(FieldError::new("version", "validation.required"));
    }
    check(&mut errors, "version", version, 40, Lines::One);
    check(&mut errors, "notes", &input.notes, 5_000, Lines::Many);
    let released_on = chrono::NaiveDate::parse_from_str(input.released_on.trim(), "%Y-%m-%d").ok();
    if released_on.is_none() {
        errors.push(FieldError::new("released_on", "validation.date"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    product::Entity::find_by_id(product_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let exists = product_release::Entity::find()
        .filter(product_release::Column::ProductId.eq(product_id))
        .filter(product_release::Column::Version.eq(version))
        .one(&txn)
        .await?;
    if exists.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("version", "catalogue.release_exists")]));
    }
    let id = product_release::ActiveModel {
        product_id: Set(product_id),
        version: Set(version.into()),
        released_on: Set(released_on.expect("checked above")),
        notes: Set(input.notes.clone()),
        created_at: Set(Utc::now()),
        created_by: Set(Some(staff_id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?
    .id;
    txn.commit().await?;
    Ok(id)
}

/// Products the licence form offers: the active ones, with their newest release.
pub async fn choices<C: ConnectionTrait>(db: &C) -> AppResult<Vec<ProductChoice>> {
    Ok(list(db)
        .await?
        .into_iter()
        .filter(|p| p.input.active)
        .map(|p| ProductChoice {
            id: p.input.id.unwrap_or_default(),
            name: p.input.name,
            latest_version: p.releases.first().map(|r| r.version.clone()),
            update_term_months: p.input.update_term_months,
        })
        .collect())
}

/// One product, by id.
pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<product::Model> {
    product::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_short_lower_case_words() {
        for ok in ["shopx", "shop-x2", "ab"] {
            assert!(super::slug_valid(ok), "{ok}");
        }
        for bad in ["", "a", "Shopx", "2shop", "shop_x", "shop-", "shop x", &"a".repeat(41)] {
            assert!(!super::slug_valid(bad), "{bad}");
        }
    }
}
