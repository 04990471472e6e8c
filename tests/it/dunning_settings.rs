//! /settings/dunning on SQLite and PostgreSQL: the four levels saved checked, all at once and
//! only over the versions loaded; the base rates added once per day and removed only before
//! they start; the letters to print listed and marked printed.
use crate::common::{self, TestDb, fields_of};
use crate::invoices::{line, seller, sql};
use chrono::NaiveDate;
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::invoices::finalise;
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::business_day;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::events::actor::Actor;
use clientdesk::settings::dunning::model::{BaseRateInput, LevelInput, LevelRow, RateState};
use clientdesk::settings::dunning::service::{
    add_base_rate, base_rate_page, delete_base_rate, letters, levels, mark_printed, save_levels,
};

fn form(rows: &[LevelRow]) -> Vec<LevelInput> {
    rows.iter().map(|l| LevelInput::of(l, ',')).collect()
}

async fn levels_are_saved_checked_all_at_once_and_over_their_versions(t: TestDb) {
    let start = levels(&t.db).await.unwrap();
    let seeded: Vec<_> = start
        .iter()
        .map(|l| (l.level, l.days, l.fee_business_cents, l.fee_consumer_cents, l.version))
        .collect();
    assert_eq!(seeded, [(0, 7, 0, 0, 1), (1, 21, 500, 250, 1), (2, 35, 500, 250, 1), (3, 49, 500, 250, 1)]);

    let mut bad = form(&start);
    bad[1].fee_business = "fünf".into();
    bad[2].days = "20".into();
    bad[3].by_mail = false;
    assert_eq!(
        fields_of(save_levels(&t.db, &bad).await),
        [
            ("levels.1.fee_business".into(), "settings.dunning.fee_invalid".into()),
            ("levels.3.by_mail".into(), "settings.dunning.channel_required".into()),
            ("levels.2.days".into(), "settings.dunning.days_order".into()),
        ]
    );
    assert_eq!(levels(&t.db).await.unwrap(), start, "a refusal stores nothing");

    let mut good = form(&start);
    good[0].active = false;
    good[1].fee_business = "7,5".into();
    good[3].by_letter = true;
    good[3].text = "  Letzte Mahnung vor dem Inkasso.  ".into();
    let saved = save_levels(&t.db, &good).await.unwrap();
    assert_eq!(saved[1].fee_business_cents, 750);
    assert_eq!(saved[3].text, "Letzte Mahnung vor dem Inkasso.");
    assert!(saved.iter().all(|l| l.version == 2), "{saved:?}");
    let rules = clientdesk::billing::dunning_run::levels(&t.db).await.unwrap();
    assert!(!rules[0].active && rules[3].by_letter && rules[1].fee_business_cents == 750, "{}", t.backend);

    // A form loaded before that save cannot overwrite it, not even in part.
    let mut stale = form(&start);
    stale[2].pay_days = "20".into();
    let late = save_levels(&t.db, &stale).await;
    assert!(matches!(late, Err(AppError::Conflict { current_version: 2 })), "{late:?}");
    assert_eq!(levels(&t.db).await.unwrap(), saved);
    t.finish().await;
}
db_test!(levels_are_saved_checked_all_at_once_and_over_their_versions);

async fn base_rates_are_added_once_per_day_and_removed_only_before_they_start(t: TestDb) {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let today = day("2026-03-01");
    let row =
        |r: &clientdesk::settings::dunning::model::BaseRateRow| (r.valid_from.clone(), r.rate_bp, r.state);
    let page = base_rate_page(&t.db, 1, today).await.unwrap();
    assert_eq!(page.total, 7);
    assert_eq!(row(&page.rows[0]), ("2025-07-01".into(), 127, RateState::Current));
    assert_eq!(row(&page.rows[6]), ("2016-07-01".into(), -88, RateState::Replaced));

    let input = |from: &str, rate: &str| BaseRateInput { valid_from: from.into(), rate: rate.into() };
    add_base_rate(&t.db, &input("2026-07-01", "-0,25")).await.unwrap();
    assert_eq!(
        fields_of(add_base_rate(&t.db, &input("2026-07-01", "1")).await),
        [("valid_from".into(), "settings.dunning.rate_exists".into())]
    );
    assert_eq!(
        fields_of(add_base_rate(&t.db, &input("2026-01-01", "1,275")).await),
        [("rate".into(), "settings.dunning.rate_invalid".into())]
    );
    let page = base_rate_page(&t.db, 1, today).await.unwrap();
    assert_eq!(row(&page.rows[0]), ("2026-07-01".into(), -25, RateState::Future));
    let rates = clientdesk::billing::dunning_run::base_rates(&t.db).await.unwrap();
    assert_eq!(rates.last(), Some(&(day("2026-07-01"), -25)), "{}", t.backend);

    // A rate in force may have been charged as interest already.
    for used in ["2025-07-01", "2026-03-01"] {
        assert_eq!(
            fields_of(delete_base_rate(&t.db, used, today).await),
            [("valid_from".into(), "settings.dunning.rate_used".into())]
        );
    }
    delete_base_rate(&t.db, "2026-07-01", today).await.unwrap();
    let again = delete_base_rate(&t.db, "2026-07-01", today).await;
    assert!(matches!(again, Err(AppError::NotFound)), "{again:?}");
    assert_eq!(base_rate_page(&t.db, 1, today).await.unwrap().total, 7);
    t.finish().await;
}
db_test!(base_rates_are_added_once_per_day_and_removed_only_before_they_start);

async fn letters_to_print_are_listed_until_marked_printed(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 23).await.unwrap();
    sql(
        &t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'person', \
         company = '', taxation = 'normal', street = 'Altweg', house_number = '3', postcode = '20095', \
         city = 'Hamburg', language = 'de', payment_term_days = 14, dunning_off = false, einvoice = 'none'",
    )
    .await;
    seller().save(&t.db).await.unwrap();
    let ctx = t.ctx();
    let input = DraftInput {
        lines: vec![line("Managed Server M", "1", "100", TaxClass::Standard)],
        ..DraftInput::default()
    };
    let invoice = save_draft(&ctx, Actor::Staff(1), 1, &input).await.unwrap();
    finalise(&ctx, Actor::Staff(1), 1, invoice).await.unwrap();
    assert_eq!(letters(&t.db, 1).await.unwrap().total, 0);

    sql(&t, "UPDATE dunning_levels SET by_letter = TRUE WHERE level = 0").await;
    let due = business_day() + chrono::Days::new(14);
    clientdesk::billing::dunning_run::run(&ctx, due + chrono::Days::new(7)).await.unwrap();
    let page = letters(&t.db, 1).await.unwrap();
    assert_eq!((page.total, page.pages, page.rows.len()), (1, 1, 1), "{}", t.backend);
    let letter = &page.rows[0];
    assert_eq!((letter.customer_id, letter.level), (1, 0));
    assert!(!letter.customer_number.is_empty() && !letter.invoice_number.is_empty(), "{letter:?}");

    assert!(mark_printed(&t.db, letter.id).await.unwrap());
    assert!(!mark_printed(&t.db, letter.id).await.unwrap(), "printed once");
    assert_eq!(letters(&t.db, 1).await.unwrap().total, 0);
    t.finish().await;
}
db_test!(letters_to_print_are_listed_until_marked_printed);
