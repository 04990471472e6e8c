//! Invoices and the credit account on SQLite and PostgreSQL: drafts without numbers, finalising
//! once with consecutive numbers (also from two instances at once), the frozen buyer, tax per
//! rate group, each tax mode, the cancellation invoice, payments with allocation, credit and
//! idempotency, reversals, paying from credit down to the postpaid limit.
use crate::common::{self, TestDb, fields_of};
use clientdesk::billing::account::figures;
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::drafts::{delete_draft, save_draft};
use clientdesk::billing::invoices::{finalise, find};
use clientdesk::billing::ledger::{Payment, book_payment, manual, pay_from_credit, reverse};
use clientdesk::billing::model::{DraftInput, LineInput};
use clientdesk::billing::parties::{Party, SellerSettings};
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::business_day;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::events::actor::Actor;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

const STAFF: Actor = Actor::Staff(1);

pub fn seller() -> SellerSettings {
    SellerSettings {
        party: Party {
            name: "Hostwerk GmbH".into(),
            street: "Hafenstraße 1".into(),
            postcode: "20457".into(),
            city: "Hamburg".into(),
            country: "DE".into(),
            vat_id: "DE123456789".into(),
            ..Party::default()
        },
        ..SellerSettings::default()
    }
}

pub fn line(description: &str, quantity: &str, price: &str, class: TaxClass) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: quantity.into(),
        unit_price: price.into(),
        tax_class: class,
        ..LineInput::default()
    }
}

fn draft(lines: Vec<LineInput>) -> DraftInput {
    DraftInput { lines, ..DraftInput::default() }
}

pub async fn sql(t: &TestDb, sql: &str) {
    t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), sql.to_string())).await.unwrap();
}

fn year() -> i32 {
    chrono::Datelike::year(&business_day())
}

async fn invoices_are_numbered_once_frozen_and_taxed_per_group(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 7).await.unwrap();
    sql(&t, "UPDATE customers SET country = 'DE', company = '', kind = 'person', invoice_address_enabled = false, \
             street = 'Altweg', house_number = '3', payment_term_days = 14")
        .await;
    let ctx = t.ctx();
    let three = vec![line("Domain a.de", "1", "0,99", TaxClass::Standard); 3];
    // Without the seller's data no invoice goes out: the missing fields are named.
    let a = save_draft(&ctx, STAFF, 1, &draft(three.clone())).await.unwrap();
    let refused = fields_of(finalise(&ctx, STAFF, 1, a).await);
    assert_eq!(refused, [("invoice".into(), "invoices.seller_incomplete".into())], "{}", t.backend);
    seller().save(&t.db).await.unwrap();

    // Three lines of 0,99 € at 19 %: 2,97 € net, VAT once on the sum: 0,56 €, not 0,57 €.
    let draft_row = find(&t.db, 1, a).await.unwrap();
    assert_eq!(
        (draft_row.number, draft_row.net_cents, draft_row.tax_cents, draft_row.gross_cents),
        (None, 297, 56, 353)
    );
    // A deleted draft leaves no gap: it never had a number.
    let gone = save_draft(&ctx, STAFF, 1, &draft(three.clone())).await.unwrap();
    delete_draft(&ctx, 1, gone).await.unwrap();
    let done = finalise(&ctx, STAFF, 1, a).await.unwrap();
    assert_eq!(done.number, format!("RE-{}-00001", year()));
    assert_eq!(done.gross_cents, 353);
    // Two rates: 3 × 0,99 + 4,99 at 19 % and 9,35 at 7 % → 1,51 € + 0,65 €, gross 19,47 €.
    let mut mixed = three.clone();
    mixed.push(line("Webhosting", "1", "4,99", TaxClass::Standard));
    mixed.push(line("Handbuch", "1", "9,35", TaxClass::Reduced));
    let b = save_draft(&ctx, STAFF, 1, &draft(mixed)).await.unwrap();
    let second = finalise(&ctx, STAFF, 1, b).await.unwrap();
    assert_eq!(second.number, format!("RE-{}-00002", year()), "{}: consecutive, no gap", t.backend);
    let inv = find(&t.db, 1, b).await.unwrap();
    assert_eq!((inv.net_cents, inv.tax_cents, inv.gross_cents), (1_731, 216, 1_947));
    assert_eq!(inv.due_date, Some(business_day() + chrono::Days::new(14)));
    // Finalising twice is refused; the final invoice cannot be saved as a draft again.
    assert_eq!(fields_of(finalise(&ctx, STAFF, 1, b).await)[0].1, "invoices.already_final");
    let again = DraftInput { id: Some(b), version: inv.version, ..draft(three.clone()) };
    assert_eq!(fields_of(save_draft(&ctx, STAFF, 1, &again).await)[0].1, "invoices.already_final");

    // The buyer is frozen: a later move changes nothing on the invoice.
    sql(&t, "UPDATE customers SET street = 'Neuweg', house_number = '9' WHERE id = 1").await;
    let buyer: Party = serde_json::from_str(&find(&t.db, 1, a).await.unwrap().buyer).unwrap();
    assert_eq!(buyer.street, "Altweg 3");
    let seller_on_invoice: Party = serde_json::from_str(&find(&t.db, 1, a).await.unwrap().seller).unwrap();
    assert_eq!(seller_on_invoice.vat_id, "DE123456789");

    // The ledger was charged; the figures follow without summing the ledger.
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.balance, f.spent, f.open_count, f.open_cents), (-2_300, 2_300, 2, 2_300));

    // A line a person can read is checked before anything is stored.
    let bad = draft(vec![line("", "0", "abc", TaxClass::Standard)]);
    let keys: Vec<String> =
        fields_of(save_draft(&ctx, STAFF, 1, &bad).await).into_iter().map(|f| f.1).collect();
    assert_eq!(keys, ["invoices.line_description", "invoices.line_quantity", "invoices.line_price"]);
    assert_eq!(fields_of(save_draft(&ctx, STAFF, 1, &draft(vec![])).await)[0].1, "invoices.lines_empty");
    t.finish().await;
}
db_test!(invoices_are_numbered_once_frozen_and_taxed_per_group);

async fn each_tax_mode_follows_the_buyers_data(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 4, 11).await.unwrap();
    seller().save(&t.db).await.unwrap();
    sql(
        &t,
        "UPDATE customers SET invoice_address_enabled = false, vat_id = '', company = '', kind = 'person'",
    )
    .await;
    sql(&t, "UPDATE customers SET country = 'AT', kind = 'company', company = 'Alpen GmbH', vat_id = 'ATU12345678' WHERE id = 1").await;
    sql(&t, "UPDATE customers SET country = 'US', kind = 'company', company = 'Acme Inc.' WHERE id = 2")
        .await;
    sql(&t, "UPDATE customers SET country = 'FR' WHERE id = 3").await;
    sql(&t, "UPDATE customers SET country = 'DE' WHERE id = 4").await;
    let ctx = t.ctx();
    let lines = vec![line("Webhosting", "1", "100", TaxClass::Standard)];
    let mut modes = Vec::new();
    for customer in 1..=3 {
        let id = save_draft(&ctx, STAFF, customer, &draft(lines.clone())).await.unwrap();
        finalise(&ctx, STAFF, customer, id).await.unwrap();
        let i = find(&t.db, customer, id).await.unwrap();
        modes.push((i.tax_mode, i.tax_cents, i.gross_cents));
    }
    assert_eq!(
        modes,
        [
            ("reverse_charge".to_string(), 0, 10_000),
            ("not_taxable".to_string(), 0, 10_000),
            ("domestic".to_string(), 1_900, 11_900),
        ],
        "{}: a French consumer below the OSS threshold pays German VAT",
        t.backend
    );
    // With OSS, the French consumer pays 20 %; as a Kleinunternehmer nobody pays VAT.
    SellerSettings { oss: true, ..seller() }.save(&t.db).await.unwrap();
    let id = save_draft(&ctx, STAFF, 3, &draft(lines.clone())).await.unwrap();
    finalise(&ctx, STAFF, 3, id).await.unwrap();
    let i = find(&t.db, 3, id).await.unwrap();
    assert_eq!((i.tax_mode.as_str(), i.tax_cents), ("oss:FR", 2_000));
    SellerSettings { small_business: true, ..seller() }.save(&t.db).await.unwrap();
    let id = save_draft(&ctx, STAFF, 4, &draft(lines)).await.unwrap();
    finalise(&ctx, STAFF, 4, id).await.unwrap();
    let i = find(&t.db, 4, id).await.unwrap();
    assert_eq!((i.tax_mode.as_str(), i.tax_cents, i.gross_cents), ("small_business", 0, 10_000));
    let category: String =
        t.db.query_one_raw(Statement::from_string(
            t.db.get_database_backend(),
            format!("SELECT category FROM invoice_tax_groups WHERE invoice_id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "category")
        .unwrap();
    assert_eq!(category, "E");
    t.finish().await;
}
db_test!(each_tax_mode_follows_the_buyers_data);

async fn payments_credit_cancellations_and_reversals_keep_the_account_straight(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 5).await.unwrap();
    sql(&t, "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false").await;
    seller().save(&t.db).await.unwrap();
    let ctx = t.ctx();
    let bill = |price: &'static str| draft(vec![line("Webhosting", "1", price, TaxClass::Standard)]);
    let a = save_draft(&ctx, STAFF, 1, &bill("100")).await.unwrap();
    finalise(&ctx, STAFF, 1, a).await.unwrap(); // 119,00 €
    let b = save_draft(&ctx, STAFF, 1, &bill("50")).await.unwrap();
    finalise(&ctx, STAFF, 1, b).await.unwrap(); // 59,50 €
    // The warnings row gets the open sum as cents, written in the reader's language there.
    let warnings = clientdesk::customers::service::profile(&t.db, 1).await.unwrap().warnings;
    let open = warnings.iter().find(|w| w.key == "warning.invoices_open").expect("open invoices warned");
    assert_eq!(
        open.args,
        [("count".to_string(), "2".to_string()), ("amount".to_string(), "17850".to_string())]
    );
    let today = business_day().to_string();
    let pay = |amount: i64, reference: &str| Payment {
        amount_cents: amount,
        fee_cents: 35,
        method: "transfer".into(),
        booked_on: today.clone(),
        reference: reference.into(),
        ..Payment::default()
    };
    // 200 € pay the oldest first; 21,50 € are left as credit.
    let booked = book_payment(&ctx, STAFF, 1, &pay(20_000, "SEPA-4711")).await.unwrap();
    assert_eq!(booked.allocated, [(a, 11_900), (b, 5_950)]);
    assert_eq!(booked.credit, 2_150);
    assert_eq!(find(&t.db, 1, a).await.unwrap().state, "paid");
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.balance, f.paid_in, f.open_count, f.open_cents, f.credit()), (2_150, 20_000, 0, 0, 2_150));
    // Naming an invoice twice is refused (it would be overpaid), and so is a reference reused.
    let twice = Payment { invoices: vec![b, b], ..pay(100, "SEPA-twice") };
    assert_eq!(fields_of(book_payment(&ctx, STAFF, 1, &twice).await)[0].1, "ledger.invoice_twice");
    // The same bank reference again books nothing.
    assert_eq!(
        fields_of(book_payment(&ctx, STAFF, 1, &pay(20_000, "SEPA-4711")).await)[0].1,
        "ledger.duplicate"
    );
    assert_eq!(figures(&t.db, 1).await.unwrap().balance, 2_150);

    // The next invoice is paid from that credit at once, as far as it goes.
    let c = save_draft(&ctx, STAFF, 1, &bill("10")).await.unwrap();
    let done = finalise(&ctx, STAFF, 1, c).await.unwrap();
    assert_eq!((done.gross_cents, done.paid_from_credit), (1_190, 1_190));
    assert_eq!(find(&t.db, 1, c).await.unwrap().state, "paid");
    assert_eq!(figures(&t.db, 1).await.unwrap().credit(), 960);

    // Cancel the paid invoice a: its own number, negated, linked; its 119 € are credit again.
    let storno = cancel(&ctx, STAFF, 1, a, "Doppelt berechnet").await.unwrap();
    let s = find(&t.db, 1, storno).await.unwrap();
    let original = find(&t.db, 1, a).await.unwrap();
    assert_eq!(s.number, Some(format!("RE-{}-00004", year())));
    assert_eq!(
        (s.kind.as_str(), s.gross_cents, s.tax_cents, s.corrects_id),
        ("cancellation", -11_900, -1_900, Some(a))
    );
    let issued = original.issue_date.unwrap().format("%d.%m.%Y");
    assert!(
        s.note.starts_with(&format!("Storno zu {} vom {issued}", original.number.unwrap())),
        "{}",
        s.note
    );
    assert_eq!(original.state, "cancelled");
    assert_eq!(figures(&t.db, 1).await.unwrap().credit(), 960 + 11_900);
    assert_eq!(fields_of(cancel(&ctx, STAFF, 1, a, "noch mal").await)[0].1, "invoices.not_cancellable");
    assert_eq!(fields_of(cancel(&ctx, STAFF, 1, storno, "Storno").await)[0].1, "invoices.not_cancellable");

    // Reverse the payment: invoice b is open again (a is cancelled, c was paid from credit).
    let reversal = reverse(&ctx, STAFF, 1, booked.entry_id, "Rücklastschrift").await.unwrap();
    assert_eq!(find(&t.db, 1, b).await.unwrap().state, "open");
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.paid_in, f.open_count, f.open_cents), (0, 1, 5_950));
    assert_eq!(
        fields_of(reverse(&ctx, STAFF, 1, booked.entry_id, "noch mal").await)[0].1,
        "ledger.already_reversed"
    );
    assert_eq!(
        fields_of(reverse(&ctx, STAFF, 1, reversal, "zurück").await)[0].1,
        "ledger.reversal_of_reversal"
    );

    // Paying b from credit needs credit or a postpaid limit: −59,50 + credit must stay ≥ −limit.
    let credit = figures(&t.db, 1).await.unwrap().credit();
    assert_eq!(credit, f.balance + 5_950);
    manual(&ctx, STAFF, 1, -credit, false, "Auszahlung", &today).await.unwrap();
    let refused = fields_of(pay_from_credit(&ctx, 1, b).await);
    assert_eq!(refused[0].1, "ledger.credit_insufficient");
    sql(&t, "UPDATE customers SET postpaid_limit_cents = 6000 WHERE id = 1").await;
    assert_eq!(pay_from_credit(&ctx, 1, b).await.unwrap(), 5_950);
    let f = figures(&t.db, 1).await.unwrap();
    assert_eq!((f.open_count, f.credit(), f.balance), (0, -5_950, -5_950));
    // The balance equals the ledger's sum and its last running balance.
    let row = t
        .db
        .query_one_raw(Statement::from_string(
            t.db.get_database_backend(),
            "SELECT CAST(SUM(amount_cents) AS BIGINT) AS total, (SELECT balance_after FROM ledger_entries ORDER BY id DESC LIMIT 1) AS last \
             FROM ledger_entries"
                .to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    let total: i64 = row.try_get("", "total").unwrap();
    assert_eq!((total, row.try_get::<i64>("", "last").unwrap()), (f.balance, f.balance), "{}", t.backend);
    // Money on the account (here a debt) keeps the customer from being erased.
    let refused = clientdesk::customers::areas::erase::service::preview(&t.db, 1).await;
    assert_eq!(fields_of(refused)[0].1, "erase.balance_not_zero", "{}", t.backend);
    // Bad bookings change nothing.
    assert_eq!(
        fields_of(manual(&ctx, STAFF, 1, 500, false, " ", &today).await)[0].1,
        "ledger.reason_required"
    );
    assert_eq!(fields_of(book_payment(&ctx, STAFF, 1, &pay(0, "x")).await)[0].1, "ledger.amount_positive");
    assert_eq!(figures(&t.db, 1).await.unwrap(), f);
    t.finish().await;
}
db_test!(payments_credit_cancellations_and_reversals_keep_the_account_straight);

/// Two app instances (two connection pools) finalise 50 drafts at once: 50 unique consecutive
/// numbers.
async fn two_instances_finalising_at_once_give_consecutive_numbers(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 5, 13).await.unwrap();
    sql(&t, "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false").await;
    seller().save(&t.db).await.unwrap();
    let first = t.ctx();
    let other_db = clientdesk::db::connect(&t.url()).await.unwrap();
    let second = common::ctx(&other_db);
    let mut drafts = Vec::new();
    for n in 0..50 {
        let customer = n % 5 + 1;
        let id =
            save_draft(&first, STAFF, customer, &draft(vec![line("Posten", "1", "1", TaxClass::Standard)]))
                .await
                .unwrap();
        drafts.push((customer, id));
    }
    let tasks: Vec<_> = drafts
        .iter()
        .enumerate()
        .map(|(n, &(customer, id))| {
            let ctx = if n % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move { finalise(&ctx, STAFF, customer, id).await.unwrap().number })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=50).map(|n| format!("RE-{}-{n:05}", year())).collect();
    assert_eq!(numbers, expected, "{}", t.backend);
    other_db.close().await.ok();
    t.finish().await;
}
db_test!(two_instances_finalising_at_once_give_consecutive_numbers);

async fn payment_methods_and_the_postpaid_limit_are_daten_changes(t: TestDb) {
    use clientdesk::customers::areas::transactions::model::TermsForm;
    use clientdesk::customers::areas::transactions::service::set_terms;
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 5).await.unwrap();
    let ctx = t.ctx();
    let version = clientdesk::customers::service::detail(&t.db, 1).await.unwrap().version;
    let terms = |version, methods: &[&str], limit: &str| TermsForm {
        version,
        methods: methods.iter().map(|m| m.to_string()).collect(),
        limit: limit.into(),
    };
    assert_eq!(
        fields_of(set_terms(&ctx, STAFF, 1, &terms(version, &["transfer", "bitcoin"], "-5")).await),
        [
            ("postpaid_limit".into(), "validation.postpaid_limit".into()),
            ("payment_methods".into(), "validation.choice".into())
        ]
    );
    // 1.000.000,01 € is one cent over the limit.
    assert_eq!(
        fields_of(set_terms(&ctx, STAFF, 1, &terms(version, &[], "1.000.000,01")).await),
        [("postpaid_limit".into(), "validation.postpaid_limit".into())]
    );
    let saved = set_terms(&ctx, STAFF, 1, &terms(version, &["paypal", "transfer"], "50,00")).await.unwrap();
    let c = clientdesk::db::entities::customer::Entity::find_by_id(1).one(&t.db).await.unwrap().unwrap();
    assert_eq!(saved, c.version, "the new version, for the form's next save");
    assert_eq!(
        (c.postpaid_limit_cents, c.payment_methods.as_str()),
        (5_000, "transfer,paypal"),
        "{}",
        t.backend
    );
    let stale = set_terms(&ctx, STAFF, 1, &terms(version, &[], "")).await;
    assert!(matches!(stale, Err(clientdesk::error::AppError::Conflict { .. })), "{stale:?}");
    let logged = clientdesk::db::entities::change::Entity::find()
        .filter(clientdesk::db::entities::change::Column::CustomerId.eq(1))
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.field, c.old_value, c.new_value))
        .collect::<Vec<_>>();
    assert!(logged.contains(&("postpaid_limit".into(), "0,00".into(), "50,00".into())), "{logged:?}");
    assert!(logged.contains(&("payment_methods".into(), "".into(), "transfer,paypal".into())), "{logged:?}");
}
db_test!(payment_methods_and_the_postpaid_limit_are_daten_changes);

/// The statement of a period: opening (everything booked before), the period's entries by
/// booking date with the running balance, closing = opening + movements; the CSV says the same.
async fn the_statement_adds_up_by_booking_date(t: TestDb) {
    use clientdesk::billing::statement::{csv, statement};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 5).await.unwrap();
    let ctx = t.ctx();
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    manual(&ctx, STAFF, 1, 5_000, false, "Startguthaben", "2026-01-05").await.unwrap();
    manual(&ctx, STAFF, 1, -1_190, false, "Domain", "2026-02-10").await.unwrap();
    manual(&ctx, STAFF, 1, -2_000, false, "Einrichtung", "2026-03-01").await.unwrap();
    // Entered last, dated in February: it sits on its day, before the March debit.
    manual(&ctx, STAFF, 1, 300, false, "Kulanz", "2026-02-20").await.unwrap();

    let s = statement(&t.db, 1, d(2026, 2, 1), d(2026, 2, 28)).await.unwrap();
    assert_eq!(s.opening, 5_000, "{}", t.backend);
    let lines: Vec<_> = s.lines.iter().map(|l| (l.description.as_str(), l.amount_cents, l.balance)).collect();
    assert_eq!(lines, [("Domain", -1_190, 3_810), ("Kulanz", 300, 4_110)]);
    assert_eq!((s.credits, s.debits, s.closing), (300, -1_190, 4_110));
    let march = statement(&t.db, 1, d(2026, 3, 1), d(2026, 12, 31)).await.unwrap();
    assert_eq!((march.opening, march.closing), (s.closing, 2_110), "one period's closing opens the next");
    assert_eq!(march.closing, figures(&t.db, 1).await.unwrap().balance, "the last closing is the balance");

    let text = String::from_utf8(csv(&s, clientdesk::i18n::Locale::De)).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[1], "01.02.2026;;Anfangssaldo;;;50,00");
    assert_eq!(rows[3], "20.02.2026;Gutschrift;Kulanz;;3,00;41,10");
    assert_eq!(rows[4], "28.02.2026;;Endsaldo;;;41,10");
}
db_test!(the_statement_adds_up_by_booking_date);
