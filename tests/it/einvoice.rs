//! E-invoices checked by the official rules (tests/einvoice/validate.py in the venv of
//! .ci/ensure-einvoice: the CII XSD, the EN 16931 and XRechnung Schematron, the Factur-X profile
//! rules), on SQLite and PostgreSQL: every tax mode, several lines at two rates, a cancellation
//! (381 naming the original), as XRechnung and as EN 16931 for ZUGFeRD. The official rules
//! tolerate up to 1 € per rate group; the totals are checked here to the cent.
use crate::common::TestDb;
use crate::invoices::{line, seller, sql};
use clientdesk::billing::cancellation::cancel;
use clientdesk::billing::drafts::save_draft;
use clientdesk::billing::einvoice::Profile;
use clientdesk::billing::einvoice::of_invoice;
use clientdesk::billing::invoices::{finalise, find};
use clientdesk::billing::model::DraftInput;
use clientdesk::billing::parties::SellerSettings;
use clientdesk::billing::tax::TaxClass;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::events::actor::Actor;
use std::path::PathBuf;

const STAFF: Actor = Actor::Staff(1);

/// The python of the venv `.ci/ensure-einvoice` makes.
pub fn validator() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
        format!("{}/.cache/clientdesk-target", std::env::var("HOME").unwrap_or_default())
    });
    let python = PathBuf::from(target).join("venv-einvoice/bin/python");
    assert!(python.is_file(), "no validator at {}: run .ci/ensure-einvoice", python.display());
    python
}

pub fn euros(cents: i64) -> String {
    format!("{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// The official rules over `files` (one interpreter start): one report per file, each with
/// neither error nor (asserted by the caller) warning.
pub fn validate(t: &TestDb, files: &[PathBuf]) -> Vec<serde_json::Value> {
    let checked = std::process::Command::new(validator())
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/einvoice/validate.py"))
        .args(files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{}: {report}\n{}",
        t.backend,
        String::from_utf8_lossy(&checked.stderr)
    );
    let reports: Vec<serde_json::Value> = report.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), files.len());
    reports
}

async fn every_tax_mode_passes_the_official_rules_to_the_cent(t: TestDb) {
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 5, 17).await.unwrap();
    let full = SellerSettings {
        phone: "+49 40 123456".into(),
        iban: "DE02 1203 0000 0000 2020 51".into(),
        bic: "BYLADEM1001".into(),
        party: clientdesk::billing::parties::Party {
            email: "rechnung@hostwerk.example".into(),
            ..seller().party
        },
        ..seller()
    };
    full.save(&t.db).await.unwrap();
    sql(
        &t,
        "UPDATE customers SET invoice_address_enabled = false, vat_id = '', company = '', kind = 'person'",
    )
    .await;
    sql(&t, "UPDATE customers SET country = 'DE', kind = 'company', company = 'Muster AG' WHERE id = 1")
        .await;
    sql(&t, "UPDATE customers SET country = 'AT', kind = 'company', company = 'Alpen GmbH', vat_id = 'ATU12345678' WHERE id = 2").await;
    sql(&t, "UPDATE customers SET country = 'US', kind = 'company', company = 'Acme Inc.' WHERE id = 3")
        .await;
    sql(&t, "UPDATE customers SET country = 'DE' WHERE id = 4").await;
    sql(&t, "UPDATE customers SET country = 'FR' WHERE id = 5").await;
    let ctx = t.ctx();
    // 3 × 0,99 € + 4,99 € − 1,00 € discount at 19 %, 9,35 € at 7 %: 1,32 € + 0,65 € VAT. The
    // discount is a negative price here and a negative quantity in the XML (BR-27).
    let lines = vec![
        line("Webhosting S", "3", "0.99", TaxClass::Standard),
        line("Domain example.de", "1", "4.99", TaxClass::Standard),
        line("Rabatt", "1", "-1.00", TaxClass::Standard),
        line("Fachbuch Hosting", "1", "9.35", TaxClass::Reduced),
    ];
    let mut issued = Vec::new();
    for customer in 1..=3 {
        let id =
            save_draft(&ctx, STAFF, customer, &DraftInput { lines: lines.clone(), ..DraftInput::default() })
                .await
                .unwrap();
        finalise(&ctx, STAFF, customer, id).await.unwrap();
        issued.push((customer, id));
    }
    let domestic = find(&t.db, 1, issued[0].1).await.unwrap();
    assert_eq!(
        (domestic.net_cents, domestic.tax_cents, domestic.gross_cents),
        (1_631, 197, 1_828),
        "{}",
        t.backend
    );
    let storno = cancel(&ctx, STAFF, 1, issued[0].1, "Doppelt berechnet").await.unwrap();
    issued.push((1, storno));
    // A French consumer under OSS: category S at 20 %.
    SellerSettings { oss: true, ..full.clone() }.save(&t.db).await.unwrap();
    let id = save_draft(&ctx, STAFF, 5, &DraftInput { lines: lines.clone(), ..DraftInput::default() })
        .await
        .unwrap();
    finalise(&ctx, STAFF, 5, id).await.unwrap();
    assert_eq!(find(&t.db, 5, id).await.unwrap().tax_mode, "oss:FR");
    issued.push((5, id));
    // The Kleinunternehmer's invoice: no VAT anywhere, category E with the § 19 note.
    SellerSettings { small_business: true, ..full.clone() }.save(&t.db).await.unwrap();
    let id = save_draft(&ctx, STAFF, 4, &DraftInput { lines: lines.clone(), ..DraftInput::default() })
        .await
        .unwrap();
    finalise(&ctx, STAFF, 4, id).await.unwrap();
    issued.push((4, id));

    let dir = std::env::temp_dir().join(format!("clientdesk-einvoice-{}-{}", t.backend, std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (customer, id) in &issued {
        let inv = find(&t.db, *customer, *id).await.unwrap();
        for (profile, name) in [(Profile::XRechnung, "xrechnung"), (Profile::En16931, "zugferd")] {
            let xml = of_invoice(&t.db, &inv, profile)
                .await
                .unwrap()
                .unwrap_or_else(|e| panic!("{}: {} {name}: {e:?}", t.backend, inv.tax_mode));
            // Exact cents: the totals the official rules let pass within 1 € are the stored ones.
            for (element, cents) in [
                ("TaxBasisTotalAmount", inv.net_cents),
                ("GrandTotalAmount", inv.gross_cents),
                ("DuePayableAmount", inv.gross_cents),
            ] {
                let expected = format!("<ram:{element}>{}</ram:{element}>", euros(cents));
                assert!(xml.contains(&expected), "{}: {expected} in {xml}", inv.tax_mode);
            }
            let file = dir.join(format!("{}-{}-{name}.xml", inv.tax_mode.replace(':', "-"), inv.id));
            std::fs::write(&file, &xml).unwrap();
            files.push(file);
        }
    }
    // The cancellation: a credit note with positive amounts that names the original in BG-3.
    let xml: String = std::fs::read_to_string(&files[6]).unwrap().lines().map(str::trim).collect();
    assert!(xml.contains("<ram:TypeCode>381</ram:TypeCode>"), "the cancellation: {xml}");
    let original = format!(
        "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID>",
        domestic.number.clone().unwrap()
    );
    assert!(xml.contains(&original), "names the original: {xml}");
    assert!(xml.contains("<ram:BilledQuantity unitCode=\"C62\">3</ram:BilledQuantity>"), "{xml}");
    assert!(
        xml.contains("<ram:BilledQuantity unitCode=\"C62\">-1</ram:BilledQuantity>"),
        "the discount: {xml}"
    );
    assert!(xml.contains("<ram:GrandTotalAmount>18.28</ram:GrandTotalAmount>"), "{xml}");
    let reports = validate(&t, &files);
    // Each file went through the EN 16931 rules and its profile's: XRechnung or Factur-X.
    for r in &reports {
        let profile = if r["file"].as_str().unwrap().ends_with("xrechnung.xml") {
            "XRechnung-CII-validation.xsl"
        } else {
            "FACTUR-X_EN16931.xslt"
        };
        assert_eq!(r["rules"], serde_json::json!(["EN16931-CII-validation.xsl", profile]), "{r}");
        assert_eq!(r["warnings"], serde_json::json!([]), "not even a warning: {r}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    t.finish().await;
}
db_test!(every_tax_mode_passes_the_official_rules_to_the_cent);
