//! Demo data on first start: staff logins, a few hundred customers, and for the first of them
//! what every area gives its demo customers (history, contacts, notes, mails, logins…).
use crate::customers::service::seed::seed_customers;
use crate::db::Db;
use crate::db::entities::staff;
use crate::error::AppResult;
use crate::staff::service::add_staff;
use crate::storage::Store;
use sea_orm::{EntityTrait, PaginatorTrait};

pub const DEMO_EMAIL: &str = "demo@clientdesk.test";
pub const DEMO_PASSWORD: &str = "demo-passwort";
/// A read-only colleague, to see what a restricted role looks like.
pub const DEMO_READER_EMAIL: &str = "leser@clientdesk.test";
pub const DEMO_CUSTOMERS: usize = 300;
/// How many of them get lived-in profiles from every area.
pub const LIVED_IN: u64 = 40;

/// Seed when no staff member exists yet; returns the demo login to print.
pub async fn seed_if_empty(
    db: &Db,
    base_url: &str,
    store: Option<&Store>,
) -> AppResult<Option<(&'static str, &'static str)>> {
    if staff::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    add_staff(db, DEMO_EMAIL, "Demo Mitarbeiter", DEMO_PASSWORD, "administrator").await?;
    add_staff(db, DEMO_READER_EMAIL, "Lena Leser", DEMO_PASSWORD, "readonly").await?;
    add_staff(db, "sven@clientdesk.test", "Sven Support", DEMO_PASSWORD, "support").await?;
    seed_customers(db, DEMO_CUSTOMERS, 42).await?;
    seed_areas(db, base_url, store).await?;
    Ok(Some((DEMO_EMAIL, DEMO_PASSWORD)))
}

/// Every area's demo data for the first `LIVED_IN` customers, in area order (files only with a
/// store).
pub async fn seed_areas(db: &Db, base_url: &str, store: Option<&Store>) -> AppResult<()> {
    use crate::customers::areas::{AREAS, server::Demo};
    use sea_orm::{QueryOrder, QuerySelect};
    let customers = crate::db::entities::customer::Entity::find()
        .order_by_asc(crate::db::entities::customer::Column::Id)
        .limit(LIVED_IN)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    // The administrator and the support colleague act; the reader only reads.
    let staff = staff::Entity::find()
        .order_by_asc(staff::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.email != DEMO_READER_EMAIL)
        .map(|s| s.id)
        .collect();
    let demo = Demo { customers, staff, base_url: base_url.into(), store: store.cloned() };
    for seed in AREAS.iter().filter_map(|a| a.server.demo) {
        seed.seed(db, &demo).await?;
    }
    bank_statement(db).await
}

/// A bank statement of yesterday, booked: a payment of K-10050 found by its customer number,
/// one nobody could be found for waiting in "Offene Zahlungen".
async fn bank_statement(db: &Db) -> AppResult<()> {
    let day = (crate::clock::business_day() - chrono::Days::new(1)).format("%y%m%d").to_string();
    let text = format!(
        ":20:DEMO\r\n:25:DE02120300000000202051\r\n:28C:1\r\n:60F:C{day}EUR0,00\r\n\
         :61:{day}{md}C25,00NTRFNONREF//DEMO-1\r\n:86:166?00GUTSCHRIFT?20SVWZ+Kundennr. K-10050?32DEMO ZAHLER\r\n\
         :61:{day}{md}C12,34NTRFNONREF//DEMO-2\r\n:86:166?00GUTSCHRIFT?20SVWZ+Beitrag?32UNBEKANNT\r\n\
         :62F:C{day}EUR37,34\r\n-\r\n",
        md = &day[2..]
    );
    let import = crate::billing::bank::import::preview(db, "demo", "demo.sta", text.as_bytes()).await?;
    let ctx = crate::write::Ctx::quiet(db);
    crate::billing::bank::booking::book(&ctx, crate::events::actor::Actor::System, import.import_id).await?;
    Ok(())
}
