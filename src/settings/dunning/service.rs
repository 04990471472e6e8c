//! The operator's dunning levels: read all four, checked field by field, saved all at once and
//! only over the versions the form was loaded with. These are settings, not customer data: the
//! rows are written directly, nothing goes into a customer's Verlauf or Log. The base rates and
//! the letters to print live beside them and are re-exported here.
pub use super::base_rates::{add_base_rate, base_rate_page, checked_base_rate, delete_base_rate};
pub use super::letters::{letters, mark_printed};
use super::model::*;
use crate::billing::amount::parse_scaled;
use crate::db::{Db, begin_write, stmt};
use crate::error::{AppError, AppResult, FieldError};
use sea_orm::ConnectionTrait;

/// The four levels in level order.
pub async fn levels<C: ConnectionTrait>(db: &C) -> AppResult<Vec<LevelRow>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT level, active, days, fee_business_cents, fee_consumer_cents, pay_days, by_mail, by_letter, \
             text, version FROM dunning_levels ORDER BY level",
            vec![],
        ))
        .await?;
    let levels = rows
        .iter()
        .map(|r| {
            Ok(LevelRow {
                level: r.try_get("", "level")?,
                active: r.try_get("", "active")?,
                days: r.try_get("", "days")?,
                fee_business_cents: r.try_get("", "fee_business_cents")?,
                fee_consumer_cents: r.try_get("", "fee_consumer_cents")?,
                pay_days: r.try_get("", "pay_days")?,
                by_mail: r.try_get("", "by_mail")?,
                by_letter: r.try_get("", "by_letter")?,
                text: r.try_get("", "text")?,
                version: r.try_get("", "version")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(levels)
}

/// The four levels as they will be stored (the text trimmed), each with the version its row
/// was loaded with, or a message per wrong field.
pub fn checked_levels(input: &[LevelInput]) -> AppResult<Vec<LevelRow>> {
    // The form always sends the four levels in order; a save of some is refused whole.
    if input.iter().map(|l| l.level).ne(LEVELS) {
        return Err(AppError::Validation(vec![FieldError::new("levels", "settings.dunning.levels_all")]));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for l in input {
        let field = |name: &str| level_field(l.level, name);
        // An invoice is late from the day after its due date.
        let days = l.days.trim().parse::<i32>().ok().filter(|d| (1..=MAX_DAYS).contains(d));
        if days.is_none() {
            errors.push(
                FieldError::new(field("days"), "settings.dunning.days_invalid")
                    .with("max", MAX_DAYS.to_string()),
            );
        }
        let mut fee = |name: &str, text: &str| {
            let cents = parse_scaled(text, 2).filter(|c| (0..=MAX_FEE_CENTS).contains(c));
            match cents {
                None => errors.push(FieldError::new(field(name), "settings.dunning.fee_invalid")),
                // The reminder is always the first of an invoice's notices, and the first is free.
                Some(c) if c > 0 && l.level == 0 => {
                    errors.push(FieldError::new(field(name), "settings.dunning.reminder_free"))
                }
                Some(_) => {}
            }
            cents.unwrap_or(0)
        };
        let fee_business_cents = fee("fee_business", &l.fee_business);
        let fee_consumer_cents = fee("fee_consumer", &l.fee_consumer);
        let pay_days = l.pay_days.trim().parse::<i32>().ok().filter(|d| PAY_DAYS.contains(d));
        if pay_days.is_none() {
            errors.push(FieldError::new(field("pay_days"), "settings.dunning.pay_days_invalid"));
        }
        if !l.by_mail && !l.by_letter {
            errors.push(FieldError::new(field("by_mail"), "settings.dunning.channel_required"));
        }
        let text = l.text.trim().to_string();
        if text.chars().count() > MAX_TEXT {
            errors.push(
                FieldError::new(field("text"), "validation.too_long").with("max", MAX_TEXT.to_string()),
            );
        }
        out.push(LevelRow {
            level: l.level,
            active: l.active,
            days: days.unwrap_or(-1),
            fee_business_cents,
            fee_consumer_cents,
            pay_days: pay_days.unwrap_or(0),
            by_mail: l.by_mail,
            by_letter: l.by_letter,
            text,
            version: l.version,
        });
    }
    // Each level waits longer than the one before. The reminder counts even when inactive:
    // consumers always get it first.
    let mut before: Option<&LevelRow> = None;
    for l in out.iter().filter(|l| l.level == 0 || l.active) {
        if l.days < 0 {
            continue;
        }
        if let Some(b) = before
            && l.days <= b.days
        {
            errors.push(
                FieldError::new(level_field(l.level, "days"), "settings.dunning.days_order")
                    .with("days", b.days.to_string()),
            );
        }
        before = Some(l);
    }
    if errors.is_empty() { Ok(out) } else { Err(AppError::Validation(errors)) }
}

/// Save the four levels over the versions the form was loaded with; returns them as stored.
/// One stale row refuses the whole save.
pub async fn save_levels(db: &Db, input: &[LevelInput]) -> AppResult<Vec<LevelRow>> {
    let rows = checked_levels(input)?;
    let now = chrono::Utc::now();
    let txn = begin_write(db).await?;
    for l in &rows {
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE dunning_levels SET active = $3, days = $4, fee_business_cents = $5, \
                 fee_consumer_cents = $6, pay_days = $7, by_mail = $8, by_letter = $9, text = $10, \
                 version = version + 1, updated_at = $11 WHERE level = $1 AND version = $2",
                vec![
                    l.level.into(),
                    l.version.into(),
                    l.active.into(),
                    l.days.into(),
                    l.fee_business_cents.into(),
                    l.fee_consumer_cents.into(),
                    l.pay_days.into(),
                    l.by_mail.into(),
                    l.by_letter.into(),
                    l.text.clone().into(),
                    now.into(),
                ],
            ))
            .await?;
        if done.rows_affected() != 1 {
            // Dropping the transaction undoes the rows updated before this one.
            let current: i64 = txn
                .query_one_raw(stmt(
                    &txn,
                    "SELECT version FROM dunning_levels WHERE level = $1",
                    vec![l.level.into()],
                ))
                .await?
                .ok_or(AppError::NotFound)?
                .try_get("", "version")?;
            return Err(AppError::Conflict { current_version: current });
        }
    }
    let saved = levels(&txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// A line per level for the audit log.
pub fn summary(rows: &[LevelRow]) -> String {
    rows.iter()
        .map(|l| {
            format!(
                "{}: {} {}d {}/{} pay {}d{}{}{}",
                l.level,
                if l.active { "on" } else { "off" },
                l.days,
                l.fee_business_cents,
                l.fee_consumer_cents,
                l.pay_days,
                if l.by_mail { " mail" } else { "" },
                if l.by_letter { " letter" } else { "" },
                if l.text.is_empty() { "" } else { " own text" },
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> Vec<LevelInput> {
        [(0, "7", "0", "0"), (1, "21", "5,00", "2,50"), (2, "35", "5", "2.5"), (3, "49", "5", "2,5")]
            .iter()
            .map(|(level, days, business, consumer)| LevelInput {
                level: *level,
                active: true,
                days: (*days).into(),
                fee_business: (*business).into(),
                fee_consumer: (*consumer).into(),
                pay_days: "10".into(),
                by_mail: true,
                by_letter: false,
                text: String::new(),
                version: 1,
            })
            .collect()
    }

    fn fields(r: AppResult<Vec<LevelRow>>) -> Vec<(String, String)> {
        match r {
            Err(AppError::Validation(e)) => e.into_iter().map(|e| (e.field, e.key)).collect(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn levels_are_read_in_cents_and_days() {
        let rows = checked_levels(&input()).unwrap();
        assert_eq!(rows.iter().map(|l| l.fee_consumer_cents).collect::<Vec<_>>(), [0, 250, 250, 250]);
        assert_eq!(rows[1].fee_business_cents, 500);
        assert_eq!(rows.iter().map(|l| l.days).collect::<Vec<_>>(), [7, 21, 35, 49]);
    }

    #[test]
    fn each_level_rule_names_its_field() {
        let mut l = input();
        l[1].days = "366".into();
        l[1].fee_business = "100,01".into();
        l[2].fee_consumer = "-1".into();
        l[2].pay_days = "0".into();
        l[3].by_mail = false;
        l[3].text = "x".repeat(MAX_TEXT + 1);
        l[0].fee_business = "1".into();
        assert_eq!(
            fields(checked_levels(&l)),
            [
                ("levels.0.fee_business".into(), "settings.dunning.reminder_free".into()),
                ("levels.1.days".into(), "settings.dunning.days_invalid".into()),
                ("levels.1.fee_business".into(), "settings.dunning.fee_invalid".into()),
                ("levels.2.fee_consumer".into(), "settings.dunning.fee_invalid".into()),
                ("levels.2.pay_days".into(), "settings.dunning.pay_days_invalid".into()),
                ("levels.3.by_mail".into(), "settings.dunning.channel_required".into()),
                ("levels.3.text".into(), "validation.too_long".into()),
            ]
        );
    }

    #[test]
    fn days_rise_over_the_active_levels_and_the_reminder() {
        let mut l = input();
        l[2].days = "21".into();
        assert_eq!(
            fields(checked_levels(&l)),
            [("levels.2.days".into(), "settings.dunning.days_order".into())]
        );
        // An inactive level's days do not count.
        l[2].active = false;
        assert!(checked_levels(&l).is_ok());
        // The reminder counts even when inactive (consumers always get it first).
        l[0].active = false;
        l[0].days = "30".into();
        assert_eq!(
            fields(checked_levels(&l)),
            [("levels.1.days".into(), "settings.dunning.days_order".into())]
        );
    }

    #[test]
    fn only_the_four_levels_in_order_are_read() {
        let mut l = input();
        l.swap(0, 1);
        let all = [("levels".to_string(), "settings.dunning.levels_all".to_string())];
        assert_eq!(fields(checked_levels(&l)), all);
        assert_eq!(fields(checked_levels(&input()[..3])), all);
    }
}
