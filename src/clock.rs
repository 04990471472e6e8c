//! The operator's calendar: business days are German calendar days (due dates, expiries, terms,
//! invoice dates), whatever the server's time zone.

/// Today in Germany.
pub fn business_day() -> chrono::NaiveDate {
    business_day_of(chrono::Utc::now())
}

/// The German calendar day of a moment.
pub fn business_day_of(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    t.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}
