//! The interval calendar of recurring items. Every due date is computed from the anchor (the
//! first due date and its day of month), never from the previous, possibly shortened one:
//! monthly from 31 January is 28/29 February, 31 March, 30 April. Calendar dates only, so
//! daylight saving time cannot move a period.
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub use super::model::Unit;

/// An interval: a unit times a count (1..=120 months, say; validated by the caller).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub unit: Unit,
    pub count: u32,
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

/// `day` of the given month, or its last day when the month is shorter.
pub fn clamped(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day.min(month_end(year, month)))
}

/// The due date of period `n` (0 = the anchor itself). None beyond the calendar's range.
pub fn due(anchor: NaiveDate, interval: Interval, n: u32) -> Option<NaiveDate> {
    let steps = u64::from(n) * u64::from(interval.count);
    match interval.unit {
        Unit::Days => anchor.checked_add_days(Days::new(steps)),
        Unit::Weeks => anchor.checked_add_days(Days::new(steps.checked_mul(7)?)),
        Unit::Months | Unit::Years => {
            let months = if interval.unit == Unit::Years { steps.checked_mul(12)? } else { steps };
            let total =
                i64::from(anchor.year()) * 12 + i64::from(anchor.month0()) + i64::try_from(months).ok()?;
            let year = i32::try_from(total.div_euclid(12)).ok()?;
            let month = total.rem_euclid(12) as u32 + 1;
            clamped(year, month, anchor.day())
        }
    }
}

/// Period `n`: from its due date to the day before the next one.
pub fn period(anchor: NaiveDate, interval: Interval, n: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = due(anchor, interval, n)?;
    let end = due(anchor, interval, n.checked_add(1)?)?.pred_opt()?;
    Some((start, end))
}

/// The collective-invoice date for something collected on `from`: the first date on or after
/// it whose day is `day` (a day the month lacks means the month's last day).
pub fn collective_date(from: NaiveDate, day: u32) -> Option<NaiveDate> {
    let this = clamped(from.year(), from.month(), day)?;
    if this >= from {
        return Some(this);
    }
    let (y, m) = if from.month() == 12 { (from.year() + 1, 1) } else { (from.year(), from.month() + 1) };
    clamped(y, m, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    const MONTHLY: Interval = Interval { unit: Unit::Months, count: 1 };
    const YEARLY: Interval = Interval { unit: Unit::Years, count: 1 };

    #[test]
    fn monthly_from_the_31st_follows_the_anchor_not_the_shortened_date() {
        let dues: Vec<_> = (0..5).map(|n| due(d(2027, 1, 31), MONTHLY, n).unwrap()).collect();
        assert_eq!(dues, [d(2027, 1, 31), d(2027, 2, 28), d(2027, 3, 31), d(2027, 4, 30), d(2027, 5, 31)]);
        // In a leap year February has its 29th.
        assert_eq!(due(d(2028, 1, 31), MONTHLY, 1), Some(d(2028, 2, 29)));
        // Across the year end.
        assert_eq!(due(d(2027, 11, 30), MONTHLY, 3), Some(d(2028, 2, 29)));
        // Quarterly from 31 August: 30 November, 28 February, 31 May.
        let quarterly = Interval { unit: Unit::Months, count: 3 };
        assert_eq!(due(d(2026, 8, 31), quarterly, 1), Some(d(2026, 11, 30)));
        assert_eq!(due(d(2026, 8, 31), quarterly, 2), Some(d(2027, 2, 28)));
        assert_eq!(due(d(2026, 8, 31), quarterly, 3), Some(d(2027, 5, 31)));
    }

    #[test]
    fn yearly_from_29_february_is_28_february_in_other_years() {
        assert_eq!(due(d(2028, 2, 29), YEARLY, 1), Some(d(2029, 2, 28)));
        assert_eq!(due(d(2028, 2, 29), YEARLY, 3), Some(d(2031, 2, 28)));
        assert_eq!(due(d(2028, 2, 29), YEARLY, 4), Some(d(2032, 2, 29)), "back on the 29th in a leap year");
    }

    #[test]
    fn periods_follow_each_other_without_gap_or_overlap() {
        for (anchor, interval) in [
            (d(2027, 1, 31), MONTHLY),
            (d(2028, 2, 29), YEARLY),
            (d(2026, 12, 30), Interval { unit: Unit::Weeks, count: 2 }),
            (d(2027, 3, 27), Interval { unit: Unit::Days, count: 1 }),
        ] {
            for n in 0..40 {
                let (start, end) = period(anchor, interval, n).unwrap();
                let (next, _) = period(anchor, interval, n + 1).unwrap();
                assert!(start <= end, "{anchor} {n}");
                assert_eq!(end.succ_opt(), Some(next), "{anchor} {n}");
            }
        }
        assert_eq!(period(d(2027, 1, 31), MONTHLY, 1), Some((d(2027, 2, 28), d(2027, 3, 30))));
    }

    #[test]
    fn the_dst_switch_days_are_ordinary_days() {
        // Germany switches on the last Sundays of March and October; a daily item bills each
        // of those days once, and a weekly one moves exactly seven days across them.
        let daily = Interval { unit: Unit::Days, count: 1 };
        let days: Vec<_> = (0..3).map(|n| due(d(2027, 3, 27), daily, n).unwrap()).collect();
        assert_eq!(days, [d(2027, 3, 27), d(2027, 3, 28), d(2027, 3, 29)]);
        let weekly = Interval { unit: Unit::Weeks, count: 1 };
        assert_eq!(due(d(2027, 10, 24), weekly, 1), Some(d(2027, 10, 31)));
        assert_eq!(due(d(2027, 10, 31), weekly, 1), Some(d(2027, 11, 7)));
    }

    #[test]
    fn a_collective_day_the_month_lacks_is_its_last_day() {
        assert_eq!(collective_date(d(2027, 4, 10), 31), Some(d(2027, 4, 30)));
        assert_eq!(collective_date(d(2027, 2, 1), 31), Some(d(2027, 2, 28)));
        assert_eq!(collective_date(d(2027, 4, 30), 31), Some(d(2027, 4, 30)), "the day itself counts");
        assert_eq!(collective_date(d(2027, 4, 16), 15), Some(d(2027, 5, 15)));
        assert_eq!(collective_date(d(2027, 12, 20), 1), Some(d(2028, 1, 1)));
        assert_eq!(month_end(2028, 2), 29);
        assert_eq!(month_end(2100, 2), 28, "2100 is no leap year");
    }
}
