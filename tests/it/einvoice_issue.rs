//! E-invoices in the invoice's life, on SQLite and PostgreSQL: a customer who needs one is
//! refused at finalising with the missing data named, and nothing changes; once complete, the
//! kind is frozen with the invoice, the XML archived with its hash beside the PDF (set once),
//! mailed with an XRechnung, passed by the official rules; the billing run passes over a
//! customer whose e-invoice would be incomplete and bills them once it is complete.
use crate::common::{self, TestDb, fields_of};
use crate::einvoice::validate;
use crate::invoice_pdf::count;
use crate::invoices::{line, seller, sql};
use chrono::NaiveDate;
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::einvoice::{Profile, of_invoice};
use clientdesk::billing::invoices::{finalise, find};
use clientdesk::billing::items::save;
use clientdesk::billing::model::{DraftInput, ItemInput, Unit};
use clientdesk::billing::parties::{Party, SellerSettings};
use clientdesk::billing::run::run;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::documents::invoice_archive::{archive_pending, archived, archived_xml, render};
use clientdesk::error::AppError;
use clientdesk::events::actor::Actor;
use clientdesk::i18n::Locale;
use clientdesk::storage::Store;
use sea_orm::{ConnectionTrait, Statement};

const STAFF: Actor = Actor::Staff(1);

/// The seller with everything an XRechnung asks for.
fn full_seller() -> SellerSettings {
    SellerSettings {
        phone: "+49 40 123456".into(),
        iban: "DE02 1203 0000 0000 2020 51".into(),
        party: Party { email: "rechnung@hostwerk.example".into(), ..seller().party },
        ..seller()
    }
}

/// The refusal's message key and its `fields` argument.
fn refusal<T: std::fmt::Debug>(r: Result<T, AppError>) -> (String, String) {
    match r {
        Err(AppError::Validation(e)) => {
            let fields = e[0].args.iter().find(|(k, _)| k == "fields").map(|(_, v)| v.clone());
            (e[0].key.clone(), fields.unwrap_or_default())
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn an_xrechnung_is_refused_until_complete_then_archived_mailed_and_valid(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 29).await.unwrap();
    sql(
        &t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, kind = 'company', \
         taxation = 'normal', street = 'Rathausplatz', house_number = '1', postcode = '20095', city = 'Hamburg', \
         language = 'de'",
    )
    .await;
    sql(
        &t,
        "UPDATE customers SET company = 'Stadt Musterhausen', einvoice = 'xrechnung', public_sector = true, \
         email = 'rechnungen@musterhausen.example', einvoice_address = 'xrechnung@musterhausen.example' \
         WHERE id = 1",
    )
    .await;
    sql(&t, "UPDATE customers SET company = 'Muster AG', einvoice = 'zugferd' WHERE id = 2").await;
    seller().save(&t.db).await.unwrap();
    let ctx = t.ctx();
    let lines = vec![
        line("Webhosting S", "3", "0,99", TaxClass::Standard),
        line("Fachbuch Hosting", "1", "9,35", TaxClass::Reduced),
    ];
    let draft = DraftInput { lines, ..DraftInput::default() };
    let id = save_draft(&ctx, STAFF, 1, &draft).await.unwrap();
    // Without the seller's phone, e-mail and IBAN and the buyer's Leitweg-ID: refused, all named.
    assert_eq!(
        refusal(finalise(&ctx, STAFF, 1, id).await),
        (
            "invoices.einvoice_incomplete".to_string(),
            "keys:einvoice.part.seller_phone,einvoice.part.seller_email,einvoice.part.seller_iban,\
             einvoice.part.leitweg_id"
                .to_string()
        ),
        "{}",
        t.backend
    );
    let inv = find(&t.db, 1, id).await.unwrap();
    assert_eq!((inv.number.as_deref(), inv.state.as_str()), (None, "draft"), "nothing changed");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM ledger_entries").await, 0);

    full_seller().save(&t.db).await.unwrap();
    sql(&t, "UPDATE customers SET leitweg_id = '991-33333TEST-33' WHERE id = 1").await;
    let number = finalise(&ctx, STAFF, 1, id).await.unwrap().number;
    assert!(number.ends_with("00001"), "the refused attempts took no number: {number}");
    let zugferd = save_draft(&ctx, STAFF, 2, &draft).await.unwrap();
    finalise(&ctx, STAFF, 2, zugferd).await.unwrap();
    let storno = cancel(&ctx, STAFF, 1, id, "Falsche Menge").await.unwrap();

    let dir =
        std::env::temp_dir().join(format!("clientdesk-einvoice-issue-{}-{}", t.backend, std::process::id()));
    let store = Store::local(&dir).unwrap();
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 3);
    let mut files = Vec::new();
    for (customer, invoice, kind) in [(1, id, "xrechnung"), (2, zugferd, "zugferd"), (1, storno, "xrechnung")]
    {
        let inv = find(&t.db, customer, invoice).await.unwrap();
        assert_eq!(inv.einvoice, kind, "{}: frozen with the invoice", t.backend);
        let xml = archived_xml(&store, &inv).await.unwrap();
        let profile = Profile::of(kind).unwrap();
        // The archive holds exactly what the frozen invoice yields.
        assert_eq!(
            String::from_utf8(xml.clone()).unwrap(),
            of_invoice(&t.db, &inv, profile).await.unwrap().unwrap()
        );
        assert!(inv.xml_key.as_deref().unwrap().ends_with(".xml"));
        let file = dir.join(format!("{invoice}-{kind}.xml"));
        std::fs::write(&file, &xml).unwrap();
        files.push(file);
        if kind == "zugferd" {
            // The hybrid: the validator reads the XML out of the PDF, compares it with the
            // standalone one beside it, and checks the PDF/A-3 and Factur-X XMP.
            let pdf = archived(&store, &inv).await.unwrap();
            assert_eq!(render(&t.db, &inv, Locale::De).await.unwrap(), pdf, "the same bytes again");
            let text = crate::report_pdf::pdf_text(&pdf);
            assert!(text.contains(inv.number.as_deref().unwrap()) && text.contains("Muster AG"), "{text}");
            let file = dir.join(format!("{invoice}-{kind}.pdf"));
            std::fs::write(&file, &pdf).unwrap();
            files.push(file);
        }
    }
    let xrechnung: String = std::fs::read_to_string(&files[0]).unwrap().lines().map(str::trim).collect();
    assert!(xrechnung.contains("<ram:BuyerReference>991-33333TEST-33</ram:BuyerReference>"), "{xrechnung}");
    assert!(
        xrechnung.contains("<ram:URIID schemeID=\"EM\">xrechnung@musterhausen.example</ram:URIID>"),
        "BT-49 is the e-invoice address: {xrechnung}"
    );
    assert!(xrechnung.contains("<ram:TelephoneUniversalCommunication>"), "{xrechnung}");
    let reports = validate(&t, &files);
    for r in &reports {
        assert_eq!(r["warnings"], serde_json::json!([]), "{r}");
    }
    assert!(reports[2]["file"].as_str().unwrap().ends_with("zugferd.pdf"), "{reports:?}");
    assert_eq!(
        reports[2]["rules"],
        serde_json::json!(["EN16931-CII-validation.xsl", "FACTUR-X_EN16931.xslt"])
    );
    // The XRechnung customer's mails carry the XML, the ZUGFeRD customer's the PDF only.
    let with_xml = count(&t, "SELECT COUNT(*) FROM mail_outbox WHERE attachments LIKE '%.xml%'").await;
    assert_eq!(with_xml, 2, "{}: invoice and cancellation", t.backend);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invoices'").await, 3);
    let copied = "SELECT COUNT(*) FROM mail_outbox WHERE cc LIKE '%xrechnung@musterhausen.example%'";
    assert_eq!(count(&t, copied).await, 2, "{}: the e-invoice address in CC", t.backend);
    // Set once, like the PDF; the kind is frozen.
    for change in [
        format!("UPDATE invoices SET xml_sha256 = 'x' WHERE id = {id}"),
        format!("UPDATE invoices SET xml_key = NULL, xml_sha256 = NULL WHERE id = {id}"),
        format!("UPDATE invoices SET einvoice = 'none' WHERE id = {id}"),
    ] {
        let refused =
            t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), change.clone())).await;
        assert!(refused.is_err(), "{}: {change}", t.backend);
    }
    // Downloads: staff and the customer get exactly the archived XML; another's is not found.
    use common::portal::{customer_with_password, login_step};
    use common::server::{login, start_with_store};
    let srv = start_with_store(t.db.clone(), store.clone(), |_| {}).await;
    let staff = login(&srv).await;
    let expected = std::fs::read(&files[0]).unwrap();
    let res =
        staff.get(format!("{}/documents/customers/1/invoices/{id}/xml", srv.base)).send().await.unwrap();
    assert_eq!(
        (res.status().as_u16(), res.headers()["content-type"].to_str().unwrap()),
        (200, "application/xml")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), expected.as_slice());
    let (customer, email) = customer_with_password(&staff, &srv.base, &t.db, 1).await;
    assert_eq!(login_step(&customer, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let get = |invoice: i32| customer.get(format!("{}/portal/invoices/{invoice}/xml", srv.base)).send();
    let res = get(id).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), expected.as_slice());
    assert_eq!(get(zugferd).await.unwrap().status(), 404, "another customer's");
    // An invoice archived without XML never gets one later: PDF and XML are archived together.
    sql(&t, "UPDATE customers SET einvoice = 'none' WHERE id = 2").await;
    let plain = save_draft(&ctx, STAFF, 2, &draft).await.unwrap();
    finalise(&ctx, STAFF, 2, plain).await.unwrap();
    assert_eq!(archive_pending(&ctx, &store).await.unwrap(), 1);
    let late = format!("UPDATE invoices SET xml_sha256 = 'a', xml_key = 'b' WHERE id = {plain}");
    let refused = t.db.execute_raw(Statement::from_string(t.db.get_database_backend(), late)).await;
    assert!(refused.is_err(), "{}: an XML after the PDF", t.backend);
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(an_xrechnung_is_refused_until_complete_then_archived_mailed_and_valid);

async fn the_run_passes_over_an_incomplete_einvoice_customer_until_complete(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 31).await.unwrap();
    sql(
        &t,
        "UPDATE customers SET country = 'DE', vat_id = '', invoice_address_enabled = false, taxation = 'normal', \
         street = 'Weg', house_number = '2', postcode = '20095', city = 'Hamburg'",
    )
    .await;
    sql(&t, "UPDATE customers SET einvoice = 'zugferd', street = '', house_number = '' WHERE id = 1").await;
    full_seller().save(&t.db).await.unwrap();
    let ctx = t.ctx();
    for customer in [1, 2] {
        let item = ItemInput {
            description: "Webhosting M".into(),
            quantity: "1".into(),
            unit_price: "9,99".into(),
            tax_class: TaxClass::Standard,
            interval_unit: Unit::Months,
            interval_count: 1,
            first_due: "2027-03-01".into(),
            ..ItemInput::default()
        };
        save(&ctx, STAFF, customer, &item).await.unwrap();
    }
    let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let first = run(&ctx, day).await.unwrap();
    assert_eq!((first.customers, first.invoices), (1, 1), "{}", t.backend);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM invoices WHERE customer_id = 1").await, 0);
    // The profile says why.
    let profile = clientdesk::customers::service::profile(&t.db, 1).await.unwrap();
    let warning =
        profile.warnings.iter().find(|w| w.key == "warning.einvoice_incomplete").expect("the warning");
    assert_eq!(warning.args, [("fields".to_string(), "keys:einvoice.part.buyer_street".to_string())]);
    assert_eq!(
        clientdesk::i18n::translate_with(
            clientdesk::i18n::Locale::De,
            &warning.key,
            &[("fields", &warning.args[0].1)]
        ),
        "E-Rechnung unvollständig, Rechnungslauf übergeht den Kunden: Straße des Kunden"
    );
    // Complete: the next run bills the period that was due.
    sql(&t, "UPDATE customers SET street = 'Weg' WHERE id = 1").await;
    let second = run(&ctx, day).await.unwrap();
    assert_eq!((second.customers, second.invoices), (1, 1), "{}", t.backend);
    let kinds =
        count(&t, "SELECT COUNT(*) FROM invoices WHERE customer_id = 1 AND einvoice = 'zugferd'").await;
    assert_eq!(kinds, 1);
    let profile = clientdesk::customers::service::profile(&t.db, 1).await.unwrap();
    assert!(profile.warnings.iter().all(|w| w.key != "warning.einvoice_incomplete"));
    t.finish().await;
}
db_test!(the_run_passes_over_an_incomplete_einvoice_customer_until_complete);

async fn daten_check_the_leitweg_id_and_the_einvoice_address(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 37).await.unwrap();
    let ctx = t.ctx();
    let current = clientdesk::customers::service::detail(&t.db, 1).await.unwrap();
    let today = clientdesk::customers::service::today();
    let mut form = current.form.clone();
    form.einvoice = "paper".into();
    form.leitweg_id = "04011000-1234512345-07".into();
    form.einvoice_address = "not an address".into();
    let refused = fields_of(
        clientdesk::customers::service::update(&ctx, STAFF, 1, current.version, &form, today).await,
    );
    assert_eq!(
        refused,
        [
            ("einvoice".to_string(), "validation.choice".to_string()),
            ("leitweg_id".into(), "validation.leitweg_id".into()),
            ("einvoice_address".into(), "validation.einvoice_address".into()),
        ],
        "{}",
        t.backend
    );
    // A Peppol scheme the EAS code list does not know (BR-CL-25) is refused by the server.
    form.einvoice = "xrechnung".into();
    form.leitweg_id = "04011000-1234512345-06".into();
    form.einvoice_address = "1234:DE123456789".into();
    let refused = fields_of(
        clientdesk::customers::service::update(&ctx, STAFF, 1, current.version, &form, today).await,
    );
    assert_eq!(refused, [("einvoice_address".to_string(), "validation.einvoice_scheme".to_string())]);
    form.einvoice_address = "0204:04011000-1234512345-06".into();
    form.public_sector = true;
    let saved =
        clientdesk::customers::service::update(&ctx, STAFF, 1, current.version, &form, today).await.unwrap();
    let f = &saved.detail.form;
    assert_eq!(
        (f.einvoice.as_str(), f.leitweg_id.as_str(), f.public_sector),
        ("xrechnung", "04011000-1234512345-06", true)
    );
    t.finish().await;
}
db_test!(daten_check_the_leitweg_id_and_the_einvoice_address);
