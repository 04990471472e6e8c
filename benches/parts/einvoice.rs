//! BENCH_ONLY=einvoice (issue 15): writing the e-invoice of a final invoice, the EN 16931 model
//! proven against the profile's rules and written as CII (our own checks; the official
//! Schematron runs in the tests, not here). 1,000 final invoices of three lines at two rates
//! on SQLite; their lines and groups are read first, so the figure is the CPU work per invoice.
//! Then the invoice PDF, plain and as the ZUGFeRD hybrid, for 100 of them.
use clientdesk::billing::einvoice::{self, Profile, Source};
use clientdesk::billing::model::{DraftInput, LineInput};
use clientdesk::billing::parties::{Party, SellerSettings};
use clientdesk::billing::tax::TaxClass;
use clientdesk::db;
use clientdesk::events::actor::Actor;
use std::time::Instant;

const CUSTOMERS: usize = 50;
const PER_CUSTOMER: usize = 20;

fn line(description: &str, quantity: &str, price: &str, tax_class: TaxClass) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: quantity.into(),
        unit_price: price.into(),
        tax_class,
        ..LineInput::default()
    }
}

pub async fn einvoice_only() {
    let dir = std::env::temp_dir().join("clientdesk-bench-einvoice");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = db::connect(&format!("sqlite://{}/einvoice.db?mode=rwc", dir.display())).await.unwrap();
    db::migrate(&db).await.unwrap();
    clientdesk::customers::service::seed::seed_customers(&db, CUSTOMERS, 5).await.unwrap();
    // The billing part's operator, with what XRechnung asks beyond it (contact, bank).
    let base = crate::billing_bench::seller();
    let seller = SellerSettings {
        party: Party { email: "rechnung@bench.example".into(), ..base.party.clone() },
        phone: "+49 30 123456".into(),
        iban: "DE02120300000000202051".into(),
        ..base
    };
    seller.save(&db).await.unwrap();
    let ctx = clientdesk::write::Ctx::quiet(&db);
    let draft = DraftInput {
        lines: vec![
            line("Webhosting S", "3", "0.99", TaxClass::Standard),
            line("Domain example.de", "1", "4.99", TaxClass::Standard),
            line("Fachbuch Hosting", "1", "9.35", TaxClass::Reduced),
        ],
        ..DraftInput::default()
    };
    let mut invoices = Vec::new();
    for customer in 1..=CUSTOMERS as i32 {
        for _ in 0..PER_CUSTOMER {
            let id =
                clientdesk::billing::drafts::save_draft(&ctx, Actor::System, customer, &draft).await.unwrap();
            clientdesk::billing::invoices::finalise(&ctx, Actor::System, customer, id).await.unwrap();
            let inv = clientdesk::billing::invoices::find(&db, customer, id).await.unwrap();
            let parts = clientdesk::billing::stored::parts(&db, id).await.unwrap();
            invoices.push((inv, parts));
        }
    }
    for (profile, name) in [(Profile::XRechnung, "xrechnung"), (Profile::En16931, "en16931")] {
        let started = Instant::now();
        let mut bytes = 0;
        for (inv, (lines, groups)) in &invoices {
            let src = Source {
                invoice: inv,
                lines,
                groups,
                original: None,
                seller: &seller,
                prepaid_cents: 0,
                direct_debit: None,
            };
            bytes += einvoice::cii(&src, profile).unwrap().len();
        }
        let per = started.elapsed().as_secs_f64() * 1000.0 / invoices.len() as f64;
        println!(
            "BENCH einvoice_{name}_per_invoice {per:.3} ms ({} invoices, {} bytes each)",
            invoices.len(),
            bytes / invoices.len()
        );
    }
    // What the hybrid costs beside the plain PDF: the XML written, PDF/A-3b with the XML
    // attached, and the XMP rewritten (one core, the first 100 invoices).
    for (kind, name) in [("none", "plain"), ("zugferd", "zugferd_hybrid")] {
        let started = Instant::now();
        let mut bytes = 0;
        for (inv, _) in invoices.iter().take(100) {
            let inv = clientdesk::db::entities::invoice::Model { einvoice: kind.into(), ..inv.clone() };
            let locale = clientdesk::i18n::Locale::De;
            bytes += clientdesk::documents::invoice_archive::render(&db, &inv, locale).await.unwrap().len();
        }
        let per = started.elapsed().as_secs_f64() * 1000.0 / 100.0;
        println!("BENCH einvoice_pdf_{name}_per_invoice {per:.2} ms ({} bytes each)", bytes / 100);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
