//! The rules of dunning (pure): which level an overdue invoice is due for, and what a notice
//! charges. The first notice of an invoice puts the customer in default (§ 286 (1) BGB) and
//! charges nothing; consumers always get the payment reminder (level 0) first. Later notices
//! charge the level's fee and default interest from the day after the first notice (§ 288 (1)
//! and (2) BGB: the base rate + 5 points for consumers, + 9 points for businesses, per day at
//! the base rate valid that day, over 365 days), rounded once to the cent, half away from zero.
//! Businesses owe the flat 40 € once per invoice (§ 288 (5) BGB), against which dunning fees are
//! credited (§ 288 (5) sentence 3): their fees are charged only where they exceed 40 € in total.
use super::amount::div_round;
use chrono::{Days, NaiveDate};

/// The flat sum a business owes once per invoice in default (§ 288 (5) BGB).
pub const FLAT_CENTS: i64 = 4_000;
/// Points above the base rate for consumers and businesses (basis points).
pub const CONSUMER_POINTS_BP: i32 = 500;
pub const BUSINESS_POINTS_BP: i32 = 900;
/// The highest level (the third notice).
pub const MAX_LEVEL: i32 = 3;

/// A level as the operator configured it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    /// 0: payment reminder, 1..3: notices.
    pub level: i32,
    /// An inactive level is skipped (consumers still get the reminder first).
    pub active: bool,
    /// Days after the due date.
    pub days: i32,
    pub fee_business_cents: i64,
    pub fee_consumer_cents: i64,
    /// The new deadline the notice names, in days from its date.
    pub pay_days: i32,
    pub by_mail: bool,
    pub by_letter: bool,
    /// The operator's text; empty: the standard text in the customer's language.
    pub text: String,
}

impl Level {
    pub fn fee(&self, business: bool) -> i64 {
        if business { self.fee_business_cents } else { self.fee_consumer_cents }
    }
}

/// A notice already sent for the invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    pub level: i32,
    pub issued_on: NaiveDate,
    /// The level's fee as configured when it was sent (0 for the first, free notice).
    pub level_fee_cents: i64,
    pub flat_cents: i64,
    pub interest_to: Option<NaiveDate>,
}

/// What a notice charges, and for which days the interest runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    /// The level's fee as configured (what a business's flat is credited against); 0 for the
    /// first notice.
    pub level_fee_cents: i64,
    pub fee_cents: i64,
    pub flat_cents: i64,
    pub interest_cents: i64,
    pub interest_from: Option<NaiveDate>,
    pub interest_to: Option<NaiveDate>,
}

impl Charge {
    pub fn total(&self) -> i64 {
        self.fee_cents + self.flat_cents + self.interest_cents
    }
}

fn plus(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days as u64)).unwrap_or(NaiveDate::MAX)
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs())).unwrap_or(NaiveDate::MIN)
    }
}

/// The level invoice due on `due` is due for on `today`, given the notices sent for it
/// (`levels` in level order). One level per run: an invoice found months overdue gets the next
/// level, not all of them at once, and each level waits its distance after the previous one.
pub fn next_level<'a>(
    levels: &'a [Level],
    business: bool,
    due: NaiveDate,
    sent: &[Sent],
    today: NaiveDate,
) -> Option<&'a Level> {
    let last = sent.iter().max_by_key(|s| s.level);
    let next = match last {
        // A consumer is reminded before anything else.
        None if !business => levels.iter().find(|l| l.level == 0),
        None => levels.iter().find(|l| l.active),
        Some(s) => levels.iter().find(|l| l.active && l.level > s.level),
    }?;
    if today < plus(due, next.days as i64) {
        return None;
    }
    if let Some(s) = last {
        let before = levels.iter().find(|l| l.level == s.level).map_or(0, |l| l.days);
        let gap = (next.days - before).max(1) as i64;
        if today < plus(s.issued_on, gap) {
            return None;
        }
    }
    Some(next)
}

/// Default interest on `open_cents` for the days `from..=to`, at the base rate valid each day
/// (`base_rates`: (valid from, basis points), oldest first) plus `points_bp`; a rate below 0 is
/// taken as 0. Rounded once to the cent.
pub fn interest(
    open_cents: i64,
    from: NaiveDate,
    to: NaiveDate,
    base_rates: &[(NaiveDate, i32)],
    points_bp: i32,
) -> i64 {
    if open_cents <= 0 || from > to {
        return 0;
    }
    // Σ rate_bp × days over the segments between rate changes.
    let mut bp_days: i128 = 0;
    let mut day = from;
    while day <= to {
        let at = base_rates.iter().rposition(|(valid, _)| *valid <= day);
        let base = at.map_or(0, |i| base_rates[i].1);
        let segment_end = at
            .map_or(base_rates.first(), |i| base_rates.get(i + 1))
            .map_or(to, |(next, _)| plus(*next, -1).min(to));
        let days = (segment_end - day).num_days() + 1;
        bp_days += ((base + points_bp).max(0) as i128) * days as i128;
        day = plus(segment_end, 1);
    }
    div_round(open_cents as i128 * bp_days, 365 * 10_000) as i64
}

/// What a notice of `level` sent on `today` charges for an invoice that still owes
/// `open_cents`, given the notices sent before.
pub fn charge(
    level: &Level,
    business: bool,
    sent: &[Sent],
    open_cents: i64,
    today: NaiveDate,
    base_rates: &[(NaiveDate, i32)],
) -> Charge {
    // The first notice puts the customer in default; it is free.
    let Some(first) = sent.iter().min_by_key(|s| s.level) else {
        return Charge::default();
    };
    let default_from = plus(first.issued_on, 1);
    let from = sent.iter().filter_map(|s| s.interest_to).max().map_or(default_from, |to| plus(to, 1));
    let points = if business { BUSINESS_POINTS_BP } else { CONSUMER_POINTS_BP };
    let interest_cents = interest(open_cents, from, today, base_rates, points);
    let (interest_from, interest_to) =
        if interest_cents > 0 { (Some(from), Some(today)) } else { (None, None) };
    let level_fee_cents = level.fee(business);
    let (fee_cents, flat_cents) = if business {
        // Fees are credited against the flat: together they come to max(40 €, Σ fees sent).
        let before: i64 = sent.iter().map(|s| s.level_fee_cents).sum();
        let now = before + level_fee_cents;
        let flat = if sent.iter().any(|s| s.flat_cents > 0) { 0 } else { FLAT_CENTS };
        (now.max(FLAT_CENTS) - before.max(FLAT_CENTS), flat)
    } else {
        (level_fee_cents, 0)
    };
    Charge { level_fee_cents, fee_cents, flat_cents, interest_cents, interest_from, interest_to }
}

/// The deadline a notice sent on `today` names.
pub fn pay_by(level: &Level, today: NaiveDate) -> NaiveDate {
    plus(today, level.pay_days.max(0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn levels() -> Vec<Level> {
        [(0, 7, 0, 0), (1, 21, 500, 250), (2, 35, 500, 250), (3, 49, 5_000, 250)]
            .iter()
            .map(|&(level, days, b, c)| Level {
                level,
                active: true,
                days,
                fee_business_cents: b,
                fee_consumer_cents: c,
                pay_days: 10,
                by_mail: true,
                by_letter: false,
                text: String::new(),
            })
            .collect()
    }

    fn sent(level: i32, on: &str, fee: i64, flat: i64, interest_to: Option<&str>) -> Sent {
        Sent {
            level,
            issued_on: d(on),
            level_fee_cents: fee,
            flat_cents: flat,
            interest_to: interest_to.map(d),
        }
    }

    #[test]
    fn the_reminder_is_due_seven_days_after_the_due_date_and_one_level_at_a_time() {
        let l = levels();
        let due = d("2026-11-01");
        assert_eq!(next_level(&l, false, due, &[], d("2026-11-07")), None);
        assert_eq!(next_level(&l, false, due, &[], d("2026-11-08")).map(|l| l.level), Some(0));
        // Found 60 days overdue: the reminder, not the third notice.
        assert_eq!(next_level(&l, false, due, &[], d("2026-12-31")).map(|l| l.level), Some(0));
        // Level 1 is 21 days after due, and 14 days after the reminder.
        let reminded = [sent(0, "2026-12-31", 0, 0, None)];
        assert_eq!(next_level(&l, false, due, &reminded, d("2027-01-13")), None);
        assert_eq!(next_level(&l, false, due, &reminded, d("2027-01-14")).map(|l| l.level), Some(1));
        // After the third notice nothing more.
        let all = [sent(0, "2026-11-08", 0, 0, None), sent(3, "2026-12-20", 0, 0, None)];
        assert_eq!(next_level(&l, false, due, &all, d("2027-06-01")), None);
    }

    #[test]
    fn consumers_get_the_reminder_first_even_when_it_is_off_businesses_skip_it() {
        let mut l = levels();
        l[0].active = false;
        let due = d("2026-11-01");
        assert_eq!(next_level(&l, false, due, &[], d("2026-11-08")).map(|l| l.level), Some(0));
        assert_eq!(next_level(&l, true, due, &[], d("2026-11-08")), None);
        assert_eq!(next_level(&l, true, due, &[], d("2026-11-22")).map(|l| l.level), Some(1));
        // An inactive middle level is skipped.
        l[2].active = false;
        let one = [sent(1, "2026-11-22", 0, 0, None)];
        assert_eq!(next_level(&l, true, due, &one, d("2026-12-19")).map(|l| l.level), None);
        assert_eq!(next_level(&l, true, due, &one, d("2026-12-20")).map(|l| l.level), Some(3));
    }

    #[test]
    fn interest_is_base_plus_points_per_day_over_365_rounded_once() {
        // 1.000,00 € at 1,27 % + 5 = 6,27 % for 30 days: 1000 × 0,0627 × 30 / 365 = 5,1534 € → 5,15 €.
        let rates = [(d("2025-07-01"), 127)];
        assert_eq!(interest(100_000, d("2026-11-01"), d("2026-11-30"), &rates, 500), 515);
        // + 9 points: 10,27 % → 8,4411 € → 8,44 €.
        assert_eq!(interest(100_000, d("2026-11-01"), d("2026-11-30"), &rates, 900), 844);
        // Across a change of the base rate (2,27 % until 30 June 2025, 1,27 % from 1 July):
        // 10 days at 7,27 % + 10 days at 6,27 % on 1.000 €: (727 + 627) × 10 / 3650 = 3,7096 € → 3,71 €.
        let rates = [(d("2025-01-01"), 227), (d("2025-07-01"), 127)];
        assert_eq!(interest(100_000, d("2025-06-21"), d("2025-07-10"), &rates, 500), 371);
        // The negative base rate of 2016–2022 (−0,88 %): 4,12 % for a consumer, a year on 100 €.
        let rates = [(d("2016-07-01"), -88)];
        assert_eq!(interest(10_000, d("2021-01-01"), d("2021-12-31"), &rates, 500), 412);
        // Half a cent rounds up: 18,25 € at 10 % for one day is 0,005 € → 0,01 €.
        assert_eq!(interest(1_825, d("2026-01-01"), d("2026-01-01"), &[(d("2025-01-01"), 100)], 900), 1);
        // Nothing open, or no days: nothing.
        assert_eq!(interest(0, d("2026-01-01"), d("2026-01-31"), &rates, 500), 0);
        assert_eq!(interest(10_000, d("2026-02-01"), d("2026-01-31"), &rates, 500), 0);
    }

    #[test]
    fn the_first_notice_is_free_later_ones_charge_fee_and_interest() {
        let l = levels();
        let rates = [(d("2025-07-01"), 127)];
        let first = charge(&l[0], false, &[], 11_900, d("2026-11-08"), &rates);
        assert_eq!(first, Charge::default());
        // Consumer, 1st notice 14 days after the reminder: 2,50 € and 14 days at 6,27 % on 119 €
        // (119 × 0,0627 × 14 / 365 = 0,2862 € → 0,29 €), from the day after the reminder.
        let reminded = [sent(0, "2026-11-08", 0, 0, None)];
        let c = charge(&l[1], false, &reminded, 11_900, d("2026-11-22"), &rates);
        assert_eq!((c.fee_cents, c.flat_cents, c.interest_cents), (250, 0, 29));
        assert_eq!((c.interest_from, c.interest_to), (Some(d("2026-11-09")), Some(d("2026-11-22"))));
        // The next notice charges interest only from where the last one ended.
        let twice = [sent(0, "2026-11-08", 0, 0, None), sent(1, "2026-11-22", 250, 0, Some("2026-11-22"))];
        let c = charge(&l[2], false, &twice, 11_900, d("2026-12-06"), &rates);
        assert_eq!(c.interest_from, Some(d("2026-11-23")));
        assert_eq!(c.fee_cents, 250);
    }

    #[test]
    fn a_business_owes_the_flat_40_euros_once_with_fees_credited_against_it() {
        let l = levels();
        let rates = [(d("2025-07-01"), 127)];
        let reminded = [sent(0, "2026-11-08", 0, 0, None)];
        let c = charge(&l[1], true, &reminded, 11_900, d("2026-11-22"), &rates);
        // 40 € flat; the 5 € fee is covered by it.
        assert_eq!((c.fee_cents, c.flat_cents), (0, 4_000));
        // 119 € × 10,27 % × 14 / 365 = 0,4687 € → 0,47 €.
        assert_eq!(c.interest_cents, 47);
        let flat = [sent(0, "2026-11-08", 0, 0, None), sent(1, "2026-11-22", 500, 4_000, Some("2026-11-22"))];
        let c = charge(&l[2], true, &flat, 11_900, d("2026-12-06"), &rates);
        // Fees 5 + 5 = 10 € are still within the 40 €: no fee, and no second flat.
        assert_eq!((c.fee_cents, c.flat_cents), (0, 0));
        // What was sent counts, not what the level costs now: raised to 45 € after it was sent,
        // the first notice still counts 5 €.
        let mut raised = l.clone();
        raised[1].fee_business_cents = 4_500;
        assert_eq!(charge(&raised[2], true, &flat, 11_900, d("2026-12-06"), &rates).fee_cents, 0);
        // The third notice's 50 € brings the fees to 60 €: 20 € beyond the flat.
        let more = [flat[0], flat[1], sent(2, "2026-12-06", 500, 0, Some("2026-12-06"))];
        let c = charge(&l[3], true, &more, 11_900, d("2026-12-20"), &rates);
        assert_eq!((c.fee_cents, c.flat_cents), (2_000, 0));
    }

    #[test]
    fn the_deadline_is_the_levels_days_from_the_notice() {
        assert_eq!(pay_by(&levels()[1], d("2026-12-25")), d("2027-01-04"));
    }
}
