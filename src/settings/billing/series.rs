//! Number series: a pattern and the next running number, raised never lowered, and never onto
//! a number the series has issued already.
use super::model::*;
use crate::billing::numbering::Pattern;
use crate::db::{Db, begin_write, stmt};
use crate::error::{AppError, AppResult, FieldError};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

async fn counter_value<C: ConnectionTrait>(db: &C, name: &str) -> AppResult<i64> {
    let row =
        db.query_one_raw(stmt(db, "SELECT value FROM counters WHERE name = $1", vec![name.into()])).await?;
    Ok(match row {
        Some(r) => r.try_get("", "value")?,
        None => 0,
    })
}

/// Every series with the number its next document gets on `today`.
pub async fn series<C: ConnectionTrait>(db: &C, today: NaiveDate) -> AppResult<Vec<SeriesRow>> {
    let rows =
        db.query_all_raw(stmt(db, "SELECT id, key, pattern FROM invoice_series ORDER BY id", vec![])).await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i32 = r.try_get("", "id")?;
        let text: String = r.try_get("", "pattern")?;
        let (next, preview) = match Pattern::parse(&text) {
            Ok(p) => {
                let next = counter_value(db, &p.counter_name(id, today)).await? + 1;
                (next, p.format(today, next))
            }
            Err(_) => (0, String::new()),
        };
        out.push(SeriesRow { id, key: r.try_get("", "key")?, pattern: text, next, preview });
    }
    Ok(out)
}

/// Change a series' pattern and raise its next running number; returns the row as it is now.
/// The number the next document would get must not have been issued in the series already.
pub async fn save_series(db: &Db, input: &SeriesInput, today: NaiveDate) -> AppResult<SeriesRow> {
    let mut errors = Vec::new();
    let pattern =
        Pattern::parse(input.pattern.trim()).map_err(|e| errors.push(FieldError::new("pattern", e.key())));
    let next = input.next.trim().parse::<i64>().ok().filter(|n| (1..=999_999_999_999).contains(n));
    if next.is_none() {
        errors.push(FieldError::new("next", "settings.billing.next_invalid"));
    }
    let (Ok(pattern), Some(next), true) = (pattern, next, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let txn = begin_write(db).await?;
    let key: String = txn
        .query_one_raw(stmt(&txn, "SELECT key FROM invoice_series WHERE id = $1", vec![input.id.into()]))
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("", "key")?;
    // The documents the series numbers: quotes, or invoices and cancellations.
    let table = if key == "quote" { "quotes" } else { "invoices" };
    let counter = pattern.counter_name(input.id, today);
    let current = counter_value(&txn, &counter).await? + 1;
    if next < current {
        return Err(AppError::Validation(vec![
            FieldError::new("next", "settings.billing.next_lower").with("next", current.to_string()),
        ]));
    }
    let number = pattern.format(today, next);
    let taken = txn
        .query_one_raw(stmt(
            &txn,
            &format!("SELECT id FROM {table} WHERE series_id = $1 AND number = $2"),
            vec![input.id.into(), number.clone().into()],
        ))
        .await?;
    if taken.is_some() {
        return Err(AppError::Validation(vec![
            FieldError::new("pattern", "settings.billing.number_taken").with("number", number),
        ]));
    }
    txn.execute_raw(stmt(
        &txn,
        "UPDATE invoice_series SET pattern = $1 WHERE id = $2",
        vec![input.pattern.trim().into(), input.id.into()],
    ))
    .await?;
    if next > current {
        // Only ever raised: a finalising that took a number meanwhile keeps it.
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            vec![counter.clone().into(), 0i64.into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE counters SET value = $2 WHERE name = $1 AND value < $2",
            vec![counter.into(), (next - 1).into()],
        ))
        .await?;
    }
    let row = series(&txn, today).await?.into_iter().find(|s| s.id == input.id).ok_or(AppError::NotFound)?;
    txn.commit().await?;
    Ok(row)
}
