//! Rechnungen on the server: the money tables in the records registry, the number of final
//! invoices as the sidebar figure, and the demo operator's company data for invoices.
use super::records::MoneyRecords;
use crate::billing::parties::{Party, SellerSettings};
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, Figure};
use crate::customers::model::FigureKind;
use crate::db::Db;
use crate::error::AppResult;

pub const SERVER: AreaServer = AreaServer {
    records: &[&MoneyRecords],
    figure: Some(Figure {
        sql: "SELECT COUNT(*) FROM invoices WHERE customer_id = $1 AND number IS NOT NULL",
        kind: FigureKind::Count,
    }),
    demo: Some(&DemoSeller),
    ..AreaServer::NONE
};

/// The demo operator's company data, so invoices can be finalised from the first start.
struct DemoSeller;

#[async_trait::async_trait]
impl DemoSeed for DemoSeller {
    async fn seed(&self, db: &Db, _demo: &Demo) -> AppResult<()> {
        if crate::db::settings::get(db, crate::billing::parties::SELLER_KEY).await?.is_some() {
            return Ok(());
        }
        SellerSettings {
            party: Party {
                name: "Hostwerk Demo GmbH".into(),
                street: "Hafenstraße 12".into(),
                postcode: "20457".into(),
                city: "Hamburg".into(),
                country: "DE".into(),
                vat_id: "DE999999999".into(),
                tax_number: "22/815/08150".into(),
                email: "buchhaltung@hostwerk.example".into(),
                ..Party::default()
            },
            phone: "+49 40 1234567".into(),
            iban: "DE02120300000000202051".into(),
            bic: "BYLADEM1001".into(),
            bank: "Demo Bank".into(),
            ..SellerSettings::default()
        }
        .save(db)
        .await
    }
}
