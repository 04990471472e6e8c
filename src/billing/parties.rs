//! The seller and the buyer as an invoice names them. Both are copied onto the invoice when it
//! is finalised (§ 14 (4) Nr. 1 UStG) and never read from their sources again, so a later
//! change of address leaves issued invoices as they were.
pub use super::seller::{Party, SellerSettings};
use super::tax::{self, Buyer, Seller};
use crate::db::entities::customer;

/// The settings key of the seller's data.
pub const SELLER_KEY: &str = "billing.seller";

impl SellerSettings {
    pub fn tax(&self) -> Seller {
        Seller { small_business: self.small_business, oss: self.oss }
    }

    pub async fn load<C: sea_orm::ConnectionTrait>(db: &C) -> crate::error::AppResult<SellerSettings> {
        Ok(crate::db::settings::get(db, SELLER_KEY)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    pub async fn save<C: sea_orm::ConnectionTrait>(&self, db: &C) -> crate::error::AppResult<()> {
        let json = serde_json::to_string(self).map_err(|_| crate::error::AppError::Internal)?;
        crate::db::settings::set(db, SELLER_KEY, &json).await?;
        Ok(())
    }
}

fn joined(street: &str, house_number: &str) -> String {
    format!("{} {}", street.trim(), house_number.trim()).trim().to_string()
}

/// The buyer as the invoice names them: the invoice address where one is set.
pub fn buyer_of(c: &customer::Model) -> Party {
    let person = format!("{} {}", c.first_name.trim(), c.last_name.trim()).trim().to_string();
    if c.invoice_address_enabled {
        let name = if c.invoice_company.trim().is_empty() {
            c.invoice_name.trim()
        } else {
            c.invoice_company.trim()
        };
        let contact = if c.invoice_company.trim().is_empty() { "" } else { c.invoice_name.trim() };
        return Party {
            name: if name.is_empty() { person } else { name.to_string() },
            contact: contact.to_string(),
            street: joined(&c.invoice_street, &c.invoice_house_number),
            postcode: c.invoice_postcode.trim().into(),
            city: c.invoice_city.trim().into(),
            country: country_or_home(&c.invoice_country),
            vat_id: c.vat_id.trim().into(),
            tax_number: String::new(),
            email: c.email.clone(),
            number: c.number.clone(),
            einvoice_address: c.einvoice_address.trim().into(),
            leitweg_id: c.leitweg_id.trim().into(),
        };
    }
    let company = c.company.trim();
    Party {
        name: if company.is_empty() { person.clone() } else { company.to_string() },
        contact: if company.is_empty() { String::new() } else { person },
        street: joined(&c.street, &c.house_number),
        postcode: c.postcode.trim().into(),
        city: c.city.trim().into(),
        country: country_or_home(&c.country),
        vat_id: c.vat_id.trim().into(),
        tax_number: String::new(),
        email: c.email.clone(),
        number: c.number.clone(),
        einvoice_address: c.einvoice_address.trim().into(),
        leitweg_id: c.leitweg_id.trim().into(),
    }
}

fn country_or_home(country: &str) -> String {
    let c = country.trim().to_ascii_uppercase();
    if c.is_empty() { tax::HOME.to_string() } else { c }
}

/// Whether `c` is a business (a company, or a company name given): taxed, and dunned, as one.
pub fn is_company(c: &customer::Model) -> bool {
    c.kind == "company" || !c.company.trim().is_empty()
}

/// What the tax mode of `c` depends on (its invoice country where it has an invoice address).
pub fn tax_buyer<'a>(c: &'a customer::Model, party: &'a Party) -> Buyer<'a> {
    Buyer { taxation: &c.taxation, is_company: is_company(c), country: &party.country, vat_id: &party.vat_id }
}

/// What `c`'s e-invoice would lack with the seller's data as they are (label keys
/// `einvoice.part.*`); empty when they get none or it is complete.
pub fn einvoice_missing(seller: &SellerSettings, c: &customer::Model) -> Vec<&'static str> {
    let buyer = buyer_of(c);
    let mode = tax::mode_for(seller.tax(), &tax_buyer(c, &buyer));
    super::einvoice_rules::missing(&super::einvoice_rules::Needs {
        kind: &c.einvoice,
        seller,
        buyer: &buyer,
        public_sector: c.public_sector,
        reverse_charge: matches!(mode, tax::TaxMode::ReverseCharge),
    })
}
