//! /settings/billing on SQLite and PostgreSQL: the seller's data saved only over the version
//! loaded, the number series (pattern, raised running number, never lowered, never onto an
//! issued number) and the dated VAT rates (a rate in force is never rewritten).
use crate::common::{self, TestDb, fields_of};
use crate::invoices::{line, seller};
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::invoices::finalise;
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::parties::SellerSettings;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::business_day;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::events::actor::Actor;
use clientdesk::settings::billing::model::{RateInput, RateState, SellerForm, SeriesInput};
use clientdesk::settings::billing::service::{delete_rate, load, rates, save_rate, save_seller, save_series};

async fn the_seller_is_saved_checked_and_over_its_own_version(t: TestDb) {
    let today = business_day();
    let fresh = load(&t.db, today).await.unwrap();
    assert_eq!(fresh.seller.seller, SellerSettings::default());

    let mut bad = seller();
    bad.party.vat_id = "DE12345".into();
    bad.iban = "DE00 1234".into();
    let refused = fields_of(
        save_seller(&t.db, &SellerForm { seller: bad, version: fresh.seller.version.clone() }).await,
    );
    assert_eq!(
        refused,
        [
            ("vat_id".into(), "validation.vat_format".into()),
            ("iban".into(), "settings.billing.iban_invalid".into())
        ]
    );
    assert_eq!(
        SellerSettings::load(&t.db).await.unwrap(),
        SellerSettings::default(),
        "a refusal stores nothing"
    );

    let mut good = seller();
    good.iban = "de44500105175407324931".into();
    let saved = save_seller(&t.db, &SellerForm { seller: good, version: fresh.seller.version.clone() })
        .await
        .unwrap();
    assert_eq!(saved.seller.iban, "DE44 5001 0517 5407 3249 31");
    assert_eq!(SellerSettings::load(&t.db).await.unwrap(), saved.seller, "{}", t.backend);
    assert_eq!(load(&t.db, today).await.unwrap().seller, saved);

    // A second form loaded before that save cannot overwrite it.
    let mut stale = seller();
    stale.party.city = "Bremen".into();
    let late = save_seller(&t.db, &SellerForm { seller: stale, version: fresh.seller.version }).await;
    assert!(matches!(late, Err(AppError::Conflict { .. })), "{late:?}");
    assert_eq!(SellerSettings::load(&t.db).await.unwrap().party.city, "Hamburg");
    let mut next = saved.seller.clone();
    next.party.city = "Bremen".into();
    next.party.postcode = "28195".into();
    save_seller(&t.db, &SellerForm { seller: next, version: saved.version }).await.unwrap();
    assert_eq!(SellerSettings::load(&t.db).await.unwrap().party.city, "Bremen");
}
db_test!(the_seller_is_saved_checked_and_over_its_own_version);

async fn number_series_are_raised_never_lowered_and_never_reissue(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 3).await.unwrap();
    seller().save(&t.db).await.unwrap();
    let today = business_day();
    let yy = today.format("%y").to_string();
    let yyyy = today.format("%Y").to_string();
    let series = load(&t.db, today).await.unwrap().series;
    assert_eq!(series.len(), 3, "invoices, quotes and dunning charges");
    assert_eq!((series[1].key.as_str(), series[1].preview.clone()), ("quote", format!("AN-{yyyy}-00001")));
    let id = series[0].id;
    assert_eq!((series[0].key.as_str(), series[0].next), ("invoice", 1));
    assert_eq!(series[0].preview, format!("RE-{yyyy}-00001"));

    let input = |pattern: &str, next: &str| SeriesInput { id, pattern: pattern.into(), next: next.into() };
    assert_eq!(
        fields_of(save_series(&t.db, &input("RE-{MM}-{000}", "x"), today).await),
        [
            ("pattern".into(), "series.pattern_token".into()),
            ("next".into(), "settings.billing.next_invalid".into())
        ]
    );
    // Continuing a former system's numbers: raised to 43.
    let row = save_series(&t.db, &input("INV-{YY}-{0000}", "43"), today).await.unwrap();
    assert_eq!((row.next, row.preview.clone()), (43, format!("INV-{yy}-0043")));

    let ctx = t.ctx();
    let draft =
        DraftInput { lines: vec![line("Beratung", "1", "100", TaxClass::Standard)], ..DraftInput::default() };
    let a = save_draft(&ctx, Actor::Staff(1), 1, &draft).await.unwrap();
    assert_eq!(
        finalise(&ctx, Actor::Staff(1), 1, a).await.unwrap().number,
        format!("INV-{yy}-0043"),
        "{}",
        t.backend
    );

    assert_eq!(
        fields_of(save_series(&t.db, &input("INV-{YY}-{0000}", "5"), today).await),
        [("next".into(), "settings.billing.next_lower".into())]
    );
    // A pattern without a year starts its own counter at 1; one that would give an issued
    // number again is refused.
    assert_eq!(
        fields_of(save_series(&t.db, &input(&format!("INV-{yy}-{{0000}}"), "43"), today).await),
        [("pattern".into(), "settings.billing.number_taken".into())]
    );
    // The quote series looks at quotes: AN-…-00001 sent, a pattern giving it again is refused.
    let quote = clientdesk::billing::model::QuoteInput {
        lines: vec![clientdesk::billing::model::QuoteLineInput {
            description: "Beratung".into(),
            quantity: "1".into(),
            unit_price: "100".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let q = clientdesk::billing::quotes::save_draft(&ctx, Actor::Staff(1), 1, &quote).await.unwrap();
    clientdesk::billing::quotes::send(&ctx, Actor::Staff(1), 1, q).await.unwrap();
    let quotes = SeriesInput { id: series[1].id, pattern: format!("AN-{yyyy}-{{00000}}"), next: "1".into() };
    assert_eq!(
        fields_of(save_series(&t.db, &quotes, today).await),
        [("pattern".into(), "settings.billing.number_taken".into())]
    );
    let row = save_series(&t.db, &input("INV-{YY}-{0000}", "44"), today).await.unwrap();
    assert_eq!(row.preview, format!("INV-{yy}-0044"), "saving the next number as it is changes nothing");
    assert!(matches!(
        save_series(&t.db, &SeriesInput { id: 999, ..input("A{0}", "1") }, today).await,
        Err(AppError::NotFound)
    ));
}
db_test!(number_series_are_raised_never_lowered_and_never_reissue);

async fn vat_rates_are_dated_and_a_rate_in_force_stays(t: TestDb) {
    let today = business_day();
    let first = rates(&t.db, 1, today).await.unwrap();
    assert!(first.total >= 27, "the EU rates are seeded: {}", first.total);
    let de = first.rows.iter().find(|r| r.country == "DE").expect("Germany on page 1");
    assert_eq!((de.standard_bp, de.reduced_bp, de.state), (1_900, 700, RateState::Current));

    let rate = |from: &str, standard: &str, reduced: &str| RateInput {
        country: "AT".into(),
        valid_from: from.into(),
        standard: standard.into(),
        reduced: reduced.into(),
    };
    save_rate(&t.db, &rate("2099-01-01", "21", "10,5"), today).await.unwrap();
    // A future rate may be corrected before it starts.
    save_rate(&t.db, &rate("2099-01-01", "22", "10,5"), today).await.unwrap();
    let all = rates(&t.db, 1, today).await.unwrap();
    let at: Vec<_> = all.rows.iter().filter(|r| r.country == "AT").collect();
    assert_eq!(
        (at[0].valid_from.as_str(), at[0].standard_bp, at[0].reduced_bp),
        ("2099-01-01", 2_200, 1_050)
    );
    assert_eq!((at[0].state, at[1].state), (RateState::Future, RateState::Current), "{}", t.backend);
    assert_eq!(all.total, first.total + 1);

    let in_force = at[1].valid_from.clone();
    assert_eq!(
        fields_of(save_rate(&t.db, &rate(&in_force, "25", "10"), today).await),
        [("valid_from".into(), "settings.billing.rate_in_force".into())]
    );
    assert_eq!(
        fields_of(delete_rate(&t.db, "AT", &in_force, today).await),
        [("valid_from".into(), "settings.billing.rate_in_force".into())]
    );
    delete_rate(&t.db, "AT", "2099-01-01", today).await.unwrap();
    assert_eq!(rates(&t.db, 1, today).await.unwrap().total, first.total);
    assert!(matches!(delete_rate(&t.db, "AT", "2099-01-01", today).await, Err(AppError::NotFound)));
}
db_test!(vat_rates_are_dated_and_a_rate_in_force_stays);
