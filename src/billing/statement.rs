//! The account statement of a period: the opening balance (every entry booked before its first
//! day), the period's entries in booking-date order with the running balance, and the closing
//! balance, which is the opening plus the period's movements by construction. By booking date,
//! not by the order of entry, so a payment booked later with an earlier date lands on its day.
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Locale, translate};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

/// The longest period one statement covers: ten years.
pub const MAX_DAYS: i64 = 3_660;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    pub booked_on: NaiveDate,
    pub kind: String,
    pub description: String,
    pub reference: String,
    pub amount_cents: i64,
    /// The balance after this entry.
    pub balance: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: i64,
    pub lines: Vec<StatementLine>,
    /// What came in (positive entries) and went out (negative ones) in the period.
    pub credits: i64,
    pub debits: i64,
    pub closing: i64,
}

/// The period as typed (`YYYY-MM-DD` each), or why not.
pub fn period(from: &str, to: &str) -> AppResult<(NaiveDate, NaiveDate)> {
    let day = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let (f, t) = (day(from), day(to));
    let mut errors = Vec::new();
    if f.is_none() {
        errors.push(FieldError::new("from", "validation.date"));
    }
    if t.is_none() {
        errors.push(FieldError::new("to", "validation.date"));
    }
    let (Some(f), Some(t)) = (f, t) else { return Err(AppError::Validation(errors)) };
    if f > t {
        return Err(AppError::Validation(vec![FieldError::new("to", "statement.order")]));
    }
    if (t - f).num_days() >= MAX_DAYS {
        return Err(AppError::Validation(vec![FieldError::new("to", "statement.too_long")]));
    }
    Ok((f, t))
}

/// The statement of `customer_id` from `from` to `to`, both days included.
pub async fn statement<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Statement> {
    let opening: i64 = db
        .query_one_raw(stmt(
            db,
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS s FROM ledger_entries \
             WHERE customer_id = $1 AND booked_on < $2",
            vec![customer_id.into(), from.into()],
        ))
        .await?
        .map(|r| r.try_get("", "s"))
        .transpose()?
        .unwrap_or(0);
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT booked_on, kind, description, reference, amount_cents FROM ledger_entries \
             WHERE customer_id = $1 AND booked_on >= $2 AND booked_on <= $3 ORDER BY booked_on, id",
            vec![customer_id.into(), from.into(), to.into()],
        ))
        .await?;
    let (mut balance, mut credits, mut debits) = (opening, 0, 0);
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let amount: i64 = r.try_get("", "amount_cents")?;
        balance += amount;
        if amount >= 0 {
            credits += amount;
        } else {
            debits += amount;
        }
        lines.push(StatementLine {
            booked_on: r.try_get("", "booked_on")?,
            kind: r.try_get("", "kind")?,
            description: r.try_get("", "description")?,
            reference: r.try_get("", "reference")?,
            amount_cents: amount,
            balance,
        });
    }
    Ok(Statement { from, to, opening, lines, credits, debits, closing: balance })
}

/// An amount for a spreadsheet: no grouping, the language's decimal sign.
fn amount(cents: i64, locale: Locale) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let decimal = if locale == Locale::De { ',' } else { '.' };
    format!("{sign}{}{decimal}{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// The statement as CSV for a spreadsheet in the user's language: German with semicolons and
/// decimal commas, English with commas and points; a first and a last line with the balances.
pub fn csv(s: &Statement, locale: Locale) -> Vec<u8> {
    let delimiter = if locale == Locale::De { b';' } else { b',' };
    let mut w = ::csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
    let head = [
        "statement.date",
        "statement.kind",
        "statement.text",
        "statement.reference",
        "statement.amount",
        "statement.balance",
    ]
    .map(|k| translate(locale, k));
    // Writing into a Vec cannot fail.
    let _ = w.write_record(&head);
    let day = |d: NaiveDate| crate::ui::format::date(&d.to_string(), locale);
    let opening = translate(locale, "statement.opening");
    let _ = w.write_record([
        day(s.from),
        String::new(),
        opening,
        String::new(),
        String::new(),
        amount(s.opening, locale),
    ]);
    for l in &s.lines {
        let _ = w.write_record([
            day(l.booked_on),
            translate(locale, &format!("ledger.kind.{}", l.kind)),
            l.description.clone(),
            l.reference.clone(),
            amount(l.amount_cents, locale),
            amount(l.balance, locale),
        ]);
    }
    let closing = translate(locale, "statement.closing");
    let _ = w.write_record([
        day(s.to),
        String::new(),
        closing,
        String::new(),
        String::new(),
        amount(s.closing, locale),
    ]);
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_two_days_in_order_within_ten_years() {
        assert!(period("2027-01-01", "2027-12-31").is_ok());
        assert!(period("2027-01-01", "2027-01-01").is_ok(), "one day");
        let key = |r: AppResult<_>| match r {
            Err(AppError::Validation(e)) => e.into_iter().map(|e| (e.field, e.key)).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            key(period("2027-02-01", "2027-01-31")),
            [("to".to_string(), "statement.order".to_string())]
        );
        assert_eq!(
            key(period("31.01.2027", "")),
            [("from".into(), "validation.date".into()), ("to".into(), "validation.date".into())]
        );
        // 3,660 days (to − from = 3,659) is the longest period; one day more is refused.
        assert!(period("2020-01-01", "2030-01-07").is_ok());
        assert_eq!(
            key(period("2020-01-01", "2030-01-08")),
            [("to".to_string(), "statement.too_long".to_string())]
        );
    }

    #[test]
    fn csv_follows_the_language() {
        let s = Statement {
            from: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            opening: -1_190,
            lines: vec![StatementLine {
                booked_on: NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
                kind: "payment".into(),
                description: "Zahlung; danke".into(),
                reference: "RE-2027-00001".into(),
                amount_cents: 123_456,
                balance: 122_266,
            }],
            credits: 123_456,
            debits: 0,
            closing: 122_266,
        };
        let de = String::from_utf8(csv(&s, Locale::De)).unwrap();
        let rows: Vec<&str> = de.lines().collect();
        assert_eq!(rows.len(), 4);
        assert!(rows[1].ends_with(";-11,90"), "{de}");
        assert!(rows[2].starts_with("05.01.2027;"), "{de}");
        assert!(
            rows[2].contains("\"Zahlung; danke\";RE-2027-00001;1234,56;1222,66"),
            "a delimiter in text is quoted: {de}"
        );
        let en = String::from_utf8(csv(&s, Locale::En)).unwrap();
        assert!(en.lines().nth(2).unwrap().ends_with(",1234.56,1222.66"), "{en}");
    }
}
