//! Dated VAT rates per EU country: a rate in force is never rewritten, a change is a new row
//! from its first day; a future rate may be corrected or removed.
use super::model::*;
use crate::billing::amount::parse_scaled;
use crate::billing::tax;
use crate::db::{Db, begin_write, stmt};
use crate::error::{AppError, AppResult, FieldError};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, TransactionTrait};
use std::collections::HashMap;

/// The highest rate a form may enter (a typo guard): 50 %.
const MAX_RATE_BP: i64 = 5_000;

/// One page of the dated rates, by country and newest first, each marked current, replaced or
/// future as of `today`.
pub async fn rates(db: &Db, page: u32, today: NaiveDate) -> AppResult<RatePage> {
    let page = page.max(1);
    let total: i64 = db
        .query_one_raw(stmt(db, "SELECT COUNT(*) AS n FROM vat_rates", vec![]))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let current: HashMap<String, NaiveDate> = db
        .query_all_raw(stmt(
            db,
            "SELECT country, MAX(valid_from) AS since FROM vat_rates WHERE valid_from <= $1 GROUP BY country",
            vec![today.into()],
        ))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get("", "country")?, r.try_get("", "since")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT country, valid_from, standard_bp, reduced_bp FROM vat_rates \
             ORDER BY country, valid_from DESC LIMIT $1 OFFSET $2",
            vec![(RATES_PER_PAGE as i64).into(), (i64::from(page - 1) * RATES_PER_PAGE as i64).into()],
        ))
        .await?
        .into_iter()
        .map(|r| {
            let country: String = r.try_get("", "country")?;
            let from: NaiveDate = r.try_get("", "valid_from")?;
            let state = if from > today {
                RateState::Future
            } else if current.get(&country) == Some(&from) {
                RateState::Current
            } else {
                RateState::Replaced
            };
            Ok(RateRow {
                country,
                valid_from: from.to_string(),
                standard_bp: r.try_get("", "standard_bp")?,
                reduced_bp: r.try_get("", "reduced_bp")?,
                state,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let pages = (total as u64).div_ceil(RATES_PER_PAGE).max(1) as u32;
    Ok(RatePage { rows, total: total as u64, page, pages })
}

/// A rate input read: (country, first day, standard bp, reduced bp), or a message per field.
pub fn checked_rate(input: &RateInput) -> Result<(String, NaiveDate, i32, i32), Vec<FieldError>> {
    let mut errors = Vec::new();
    let country = input.country.trim().to_ascii_uppercase();
    if !tax::is_eu(&country) {
        errors.push(FieldError::new("country", "settings.billing.rate_country"));
    }
    let from = NaiveDate::parse_from_str(input.valid_from.trim(), "%Y-%m-%d").ok();
    if from.is_none() {
        errors.push(FieldError::new("valid_from", "validation.date"));
    }
    let mut rate = |field: &str, text: &str| {
        let bp = parse_scaled(text, 2).filter(|bp| (0..=MAX_RATE_BP).contains(bp));
        if bp.is_none() {
            errors.push(FieldError::new(field, "settings.billing.rate_percent"));
        }
        bp.unwrap_or(0) as i32
    };
    let standard = rate("standard", &input.standard);
    let reduced = rate("reduced", &input.reduced);
    match from {
        Some(from) if errors.is_empty() => Ok((country, from, standard, reduced)),
        _ => Err(errors),
    }
}

/// Add a dated rate, or correct one that has not started yet. A rate in force on `today` or
/// before may have been charged already and is never rewritten.
pub async fn save_rate(db: &Db, input: &RateInput, today: NaiveDate) -> AppResult<()> {
    let (country, from, standard, reduced) = checked_rate(input).map_err(AppError::Validation)?;
    let txn = begin_write(db).await?;
    let existing = txn
        .query_one_raw(stmt(
            &txn,
            "SELECT valid_from FROM vat_rates WHERE country = $1 AND valid_from = $2",
            vec![country.clone().into(), from.into()],
        ))
        .await?;
    if existing.is_some() && from <= today {
        return Err(AppError::Validation(vec![FieldError::new(
            "valid_from",
            "settings.billing.rate_in_force",
        )]));
    }
    let sql = if existing.is_some() {
        "UPDATE vat_rates SET standard_bp = $3, reduced_bp = $4 WHERE country = $1 AND valid_from = $2"
    } else {
        "INSERT INTO vat_rates (country, valid_from, standard_bp, reduced_bp) VALUES ($1, $2, $3, $4)"
    };
    txn.execute_raw(stmt(&txn, sql, vec![country.into(), from.into(), standard.into(), reduced.into()]))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Remove a rate that has not started yet.
pub async fn delete_rate(db: &Db, country: &str, valid_from: &str, today: NaiveDate) -> AppResult<()> {
    let from = NaiveDate::parse_from_str(valid_from, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    if from <= today {
        return Err(AppError::Validation(vec![FieldError::new(
            "valid_from",
            "settings.billing.rate_in_force",
        )]));
    }
    let txn = db.begin().await?;
    let done = txn
        .execute_raw(stmt(
            &txn,
            "DELETE FROM vat_rates WHERE country = $1 AND valid_from = $2",
            vec![country.into(), from.into()],
        ))
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: Vec<FieldError>) -> Vec<String> {
        e.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn rates_are_read_in_percent() {
        let input = |standard: &str, reduced: &str| RateInput {
            country: "fr".into(),
            valid_from: "2027-01-01".into(),
            standard: standard.into(),
            reduced: reduced.into(),
        };
        let (country, from, standard, reduced) = checked_rate(&input("20", "5,5")).unwrap();
        assert_eq!(
            (country.as_str(), from.to_string().as_str(), standard, reduced),
            ("FR", "2027-01-01", 2_000, 550)
        );
        assert_eq!(fields(checked_rate(&input("50,01", "-1")).unwrap_err()), ["standard", "reduced"]);
        let outside = RateInput { country: "CH".into(), ..input("8,1", "2,6") };
        assert_eq!(
            fields(checked_rate(&outside).unwrap_err()),
            ["country"],
            "OSS rates are for EU countries"
        );
    }
}
