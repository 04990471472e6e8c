//! Demo data on first start: one staff login and a few hundred customers.
use crate::customers::service::seed::seed_customers;
use crate::db::Db;
use crate::db::entities::staff;
use crate::error::AppResult;
use crate::staff::service::add_staff;
use sea_orm::{EntityTrait, PaginatorTrait};

pub const DEMO_EMAIL: &str = "demo@clientdesk.test";
pub const DEMO_PASSWORD: &str = "demo-passwort";
/// A read-only colleague, to see what a restricted role looks like.
pub const DEMO_READER_EMAIL: &str = "leser@clientdesk.test";
pub const DEMO_CUSTOMERS: usize = 300;

/// Seed when no staff member exists yet; returns the demo login to print.
pub async fn seed_if_empty(db: &Db) -> AppResult<Option<(&'static str, &'static str)>> {
    if staff::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    add_staff(db, DEMO_EMAIL, "Demo Mitarbeiter", DEMO_PASSWORD, "administrator").await?;
    add_staff(db, DEMO_READER_EMAIL, "Lena Leser", DEMO_PASSWORD, "readonly").await?;
    seed_customers(db, DEMO_CUSTOMERS, 42).await?;
    Ok(Some((DEMO_EMAIL, DEMO_PASSWORD)))
}
