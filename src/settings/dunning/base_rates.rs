//! The base rate of § 247 BGB, dated: the operator adds each new one (1 January, 1 July). A
//! rate that has started has been used for default interest and is never removed; a future one
//! may be removed (a typo), and a wrong one is replaced by removing it and adding it again.
use super::model::*;
use crate::billing::amount::parse_scaled;
use crate::db::{Db, begin_write, is_unique_violation, stmt};
use crate::error::{AppError, AppResult, FieldError};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// The widest base rate a form may enter (a typo guard): ±20 %. It has never left ±7 %.
const MAX_RATE_BP: i64 = 2_000;

/// One page of the base rates, newest first, each marked current, replaced or future as of
/// `today`.
pub async fn base_rate_page(db: &Db, page: u32, today: NaiveDate) -> AppResult<BaseRatePage> {
    let page = page.max(1);
    let total: i64 = db
        .query_one_raw(stmt(db, "SELECT COUNT(*) AS n FROM base_rates", vec![]))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let current: Option<NaiveDate> = db
        .query_one_raw(stmt(
            db,
            "SELECT MAX(valid_from) AS since FROM base_rates WHERE valid_from <= $1",
            vec![today.into()],
        ))
        .await?
        .map(|r| r.try_get::<Option<NaiveDate>>("", "since"))
        .transpose()?
        .flatten();
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT valid_from, rate_bp FROM base_rates ORDER BY valid_from DESC LIMIT $1 OFFSET $2",
            vec![(RATES_PER_PAGE as i64).into(), (i64::from(page - 1) * RATES_PER_PAGE as i64).into()],
        ))
        .await?
        .into_iter()
        .map(|r| {
            let from: NaiveDate = r.try_get("", "valid_from")?;
            let state = if from > today {
                RateState::Future
            } else if current == Some(from) {
                RateState::Current
            } else {
                RateState::Replaced
            };
            Ok(BaseRateRow { valid_from: from.to_string(), rate_bp: r.try_get("", "rate_bp")?, state })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let pages = (total as u64).div_ceil(RATES_PER_PAGE).max(1) as u32;
    Ok(BaseRatePage { rows, total: total as u64, page, pages })
}

/// A base rate input read: (first day, basis points), or a message per field.
pub fn checked_base_rate(input: &BaseRateInput) -> Result<(NaiveDate, i32), Vec<FieldError>> {
    let mut errors = Vec::new();
    let from = NaiveDate::parse_from_str(input.valid_from.trim(), "%Y-%m-%d").ok();
    if from.is_none() {
        errors.push(FieldError::new("valid_from", "validation.date"));
    }
    // A typed minus sign ("−0,88", as printed by the Bundesbank) reads like a hyphen.
    let typed = input.rate.trim().trim_end_matches('%').replace('\u{2212}', "-");
    let bp = parse_scaled(&typed, 2).filter(|bp| (-MAX_RATE_BP..=MAX_RATE_BP).contains(bp));
    if bp.is_none() {
        errors.push(FieldError::new("rate", "settings.dunning.rate_invalid"));
    }
    match (from, bp) {
        (Some(from), Some(bp)) => Ok((from, bp as i32)),
        _ => Err(errors),
    }
}

fn exists_error() -> AppError {
    AppError::Validation(vec![FieldError::new("valid_from", "settings.dunning.rate_exists")])
}

/// Add a base rate from its first day; a day that has a rate already is refused (remove a
/// future one first to correct it).
pub async fn add_base_rate(db: &Db, input: &BaseRateInput) -> AppResult<(NaiveDate, i32)> {
    let (from, bp) = checked_base_rate(input).map_err(AppError::Validation)?;
    let txn = begin_write(db).await?;
    let existing = txn
        .query_one_raw(stmt(&txn, "SELECT rate_bp FROM base_rates WHERE valid_from = $1", vec![from.into()]))
        .await?;
    if existing.is_some() {
        return Err(exists_error());
    }
    txn.execute_raw(stmt(
        &txn,
        "INSERT INTO base_rates (valid_from, rate_bp, created_at) VALUES ($1, $2, $3)",
        vec![from.into(), bp.into(), chrono::Utc::now().into()],
    ))
    .await
    .map_err(|e| if is_unique_violation(&e) { exists_error() } else { e.into() })?;
    txn.commit().await?;
    Ok((from, bp))
}

/// Remove a base rate that has not started yet (`today` or before it may have been used).
pub async fn delete_base_rate(db: &Db, valid_from: &str, today: NaiveDate) -> AppResult<()> {
    let from = NaiveDate::parse_from_str(valid_from.trim(), "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    if from <= today {
        return Err(AppError::Validation(vec![FieldError::new("valid_from", "settings.dunning.rate_used")]));
    }
    let txn = begin_write(db).await?;
    let done = txn
        .execute_raw(stmt(&txn, "DELETE FROM base_rates WHERE valid_from = $1", vec![from.into()]))
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

    fn input(from: &str, rate: &str) -> BaseRateInput {
        BaseRateInput { valid_from: from.into(), rate: rate.into() }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn base_rates_are_read_in_signed_percent() {
        assert_eq!(checked_base_rate(&input("2026-01-01", "1,27")), Ok((day("2026-01-01"), 127)));
        assert_eq!(checked_base_rate(&input("2016-07-01", "-0,88")), Ok((day("2016-07-01"), -88)));
        assert_eq!(checked_base_rate(&input("2016-07-01", "\u{2212}0,88 %")), Ok((day("2016-07-01"), -88)));
        assert_eq!(checked_base_rate(&input("2026-07-01", "3.12")), Ok((day("2026-07-01"), 312)));
        let fields = |r: Result<(NaiveDate, i32), Vec<FieldError>>| {
            r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>()
        };
        assert_eq!(fields(checked_base_rate(&input("2026-13-01", "1,275"))), ["valid_from", "rate"]);
        assert_eq!(fields(checked_base_rate(&input("2026-01-01", "20,01"))), ["rate"]);
        assert_eq!(fields(checked_base_rate(&input("2026-01-01", ""))), ["rate"]);
    }
}
