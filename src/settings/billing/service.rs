//! The operator's billing settings: the seller's data every invoice prints (checked field by
//! field, saved only over the version the form was loaded with); the number series and the
//! dated VAT rates live beside it and are re-exported here.
use super::model::*;
pub use super::rates::{checked_rate, delete_rate, rates, save_rate};
pub use super::series::{save_series, series};
use crate::billing::einvoice_rules::{Address, parse_address};
use crate::billing::parties::SELLER_KEY;
use crate::billing::seller::SellerSettings;
use crate::customers::countries;
use crate::customers::validate::{
    VatProblem, email_valid, phone_valid, postcode_example, postcode_valid, vat_id_problem,
};
use crate::db::{Db, begin_write, stmt};
use crate::error::{AppError, AppResult, FieldError};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

fn fingerprint(stored: Option<&str>) -> String {
    hex::encode(Sha256::digest(stored.unwrap_or("").as_bytes()))
}

/// The page's seller form and series.
pub async fn load(db: &Db, today: NaiveDate) -> AppResult<BillingSettings> {
    let stored = crate::db::settings::get(db, SELLER_KEY).await?;
    let seller = stored.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default();
    Ok(BillingSettings {
        seller: SellerForm { seller, version: fingerprint(stored.as_deref()) },
        series: series(db, today).await?,
    })
}

fn too_long(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) -> bool {
    let long = value.chars().count() > max;
    if long {
        errors.push(FieldError::new(field, "validation.too_long").with("max", max.to_string()));
    }
    long
}

/// The seller's data as it will be stored (trimmed; country, VAT ID and BIC in capitals, the
/// IBAN in groups of four), or a message per wrong field.
pub fn checked_seller(input: &SellerSettings) -> Result<SellerSettings, Vec<FieldError>> {
    let mut s = input.clone();
    let p = &mut s.party;
    for v in [
        &mut p.name,
        &mut p.contact,
        &mut p.street,
        &mut p.postcode,
        &mut p.city,
        &mut p.email,
        &mut p.einvoice_address,
    ] {
        *v = v.trim().to_string();
    }
    p.country = p.country.trim().to_ascii_uppercase();
    p.vat_id = p.vat_id.trim().to_ascii_uppercase();
    p.tax_number = p.tax_number.trim().to_string();
    s.phone = s.phone.trim().to_string();
    s.bank = s.bank.trim().to_string();
    s.bic = s.bic.trim().replace(' ', "").to_ascii_uppercase();
    let mut errors = Vec::new();
    let p = &s.party;
    for (field, value) in
        [("name", &p.name), ("street", &p.street), ("postcode", &p.postcode), ("city", &p.city)]
    {
        if value.is_empty() {
            errors.push(FieldError::new(field, "validation.required"));
        }
    }
    for (field, value) in
        [("name", &p.name), ("contact", &p.contact), ("street", &p.street), ("city", &p.city)]
    {
        too_long(&mut errors, field, value, 200);
    }
    if !countries::is_known(&p.country) {
        errors.push(FieldError::new("country", "validation.country"));
    } else if !p.postcode.is_empty() && !postcode_valid(&p.country, &p.postcode) {
        errors.push(
            FieldError::new("postcode", "validation.postcode")
                .with("country", countries::name(&p.country, false))
                .with("example", postcode_example(&p.country).unwrap_or("").replace('9', "1")),
        );
    }
    match (p.vat_id.is_empty(), p.tax_number.is_empty()) {
        (true, true) => errors.push(FieldError::new("vat_id", "settings.billing.tax_id_required")),
        (false, _) => match vat_id_problem(&p.vat_id) {
            None => {}
            Some(VatProblem::UnknownPrefix) => {
                errors.push(FieldError::new("vat_id", "validation.vat_prefix"))
            }
            Some(VatProblem::Format { prefix, example }) => errors.push(
                FieldError::new("vat_id", "validation.vat_format")
                    .with("prefix", prefix)
                    .with("example", example),
            ),
        },
        _ => {}
    }
    // A German tax number is 10 to 13 digits, written with slashes or spaces by the offices.
    let digits = p.tax_number.chars().filter(char::is_ascii_digit).count();
    if !p.tax_number.is_empty()
        && (!(10..=13).contains(&digits)
            || !p.tax_number.chars().all(|c| c.is_ascii_digit() || " /".contains(c)))
    {
        errors.push(FieldError::new("tax_number", "settings.billing.tax_number_invalid"));
    }
    if !p.email.is_empty() && !email_valid(&p.email) {
        errors.push(FieldError::new("email", "validation.email"));
    }
    match parse_address(&p.einvoice_address) {
        _ if p.einvoice_address.is_empty() => {}
        Some(Address::Email(mail)) if email_valid(&mail) => {}
        Some(peppol @ Address::Peppol { .. }) if crate::billing::einvoice::address_known(&peppol) => {}
        Some(Address::Peppol { .. }) => {
            errors.push(FieldError::new("einvoice_address", "validation.einvoice_scheme"))
        }
        _ => errors.push(FieldError::new("einvoice_address", "validation.einvoice_address")),
    }
    if !s.phone.is_empty() && !phone_valid(&s.phone) {
        errors.push(FieldError::new("phone", "validation.phone"));
    }
    if !s.iban.trim().is_empty() {
        match s.iban.trim().to_ascii_uppercase().parse::<iban::Iban>() {
            Ok(iban) => s.iban = iban.to_string(),
            Err(_) => errors.push(FieldError::new("iban", "settings.billing.iban_invalid")),
        }
    } else {
        s.iban = String::new();
    }
    if !s.bic.is_empty() && !crate::billing::sepa::ids::bic(&s.bic) {
        errors.push(FieldError::new("bic", "settings.billing.bic_invalid"));
    }
    too_long(&mut errors, "bank", &s.bank, 100);
    if !s.creditor_id.trim().is_empty() {
        match crate::billing::sepa::ids::creditor_id(&s.creditor_id) {
            Some(id) => s.creditor_id = id,
            None => errors.push(FieldError::new("creditor_id", "sepa.creditor_id_invalid")),
        }
    } else {
        s.creditor_id = String::new();
    }
    if s.small_business && s.oss {
        errors.push(FieldError::new("oss", "settings.billing.oss_small_business"));
    }
    if errors.is_empty() { Ok(s) } else { Err(errors) }
}

/// Save the seller's data over the version `form` was loaded with; returns the saved form.
pub async fn save_seller(db: &Db, form: &SellerForm) -> AppResult<SellerForm> {
    let seller = checked_seller(&form.seller).map_err(AppError::Validation)?;
    let json = serde_json::to_string(&seller).map_err(|_| AppError::Internal)?;
    let txn = begin_write(db).await?;
    let stored = crate::db::settings::get(&txn, SELLER_KEY).await?;
    if fingerprint(stored.as_deref()) != form.version {
        return Err(AppError::Conflict { current_version: 0 });
    }
    // Conditional on the value read: a save that raced ours in between is a conflict too.
    let written = match &stored {
        Some(old) => {
            txn.execute_raw(stmt(
                &txn,
                "UPDATE settings SET value = $1 WHERE key = $2 AND value = $3",
                vec![json.clone().into(), SELLER_KEY.into(), old.clone().into()],
            ))
            .await?
        }
        None => {
            txn.execute_raw(stmt(
                &txn,
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                vec![SELLER_KEY.into(), json.clone().into()],
            ))
            .await?
        }
    };
    if written.rows_affected() != 1 {
        return Err(AppError::Conflict { current_version: 0 });
    }
    txn.commit().await?;
    Ok(SellerForm { seller, version: fingerprint(Some(&json)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::seller::Party;

    fn seller() -> SellerSettings {
        SellerSettings {
            party: Party {
                name: " Hostwerk GmbH ".into(),
                street: "Lindenstraße 4".into(),
                postcode: "10117".into(),
                city: "Berlin".into(),
                country: "de".into(),
                vat_id: "de123456789".into(),
                ..Party::default()
            },
            iban: "de44500105175407324931".into(),
            bic: "inga de ff".into(),
            ..SellerSettings::default()
        }
    }

    fn fields(e: Vec<FieldError>) -> Vec<String> {
        e.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_seller_is_stored_tidy() {
        let s = checked_seller(&seller()).unwrap();
        assert_eq!(s.party.name, "Hostwerk GmbH");
        assert_eq!(s.party.country, "DE");
        assert_eq!(s.party.vat_id, "DE123456789");
        assert_eq!(s.iban, "DE44 5001 0517 5407 3249 31");
        assert_eq!(s.bic, "INGADEFF");
    }

    #[test]
    fn each_seller_rule_names_its_field() {
        let mut s = seller();
        s.party.name = " ".into();
        s.party.postcode = "1011".into();
        s.iban = "DE44500105175407324932".into();
        s.bic = "INGA".into();
        s.oss = true;
        s.small_business = true;
        assert_eq!(fields(checked_seller(&s).unwrap_err()), ["name", "postcode", "iban", "bic", "oss"]);
        let mut s = seller();
        s.party.vat_id.clear();
        assert_eq!(fields(checked_seller(&s).unwrap_err()), ["vat_id"], "a VAT ID or a tax number");
        s.party.tax_number = "12/345/67890".into();
        assert!(checked_seller(&s).is_ok(), "a tax number of 10 digits is enough");
        s.party.tax_number = "123/456".into();
        assert_eq!(fields(checked_seller(&s).unwrap_err()), ["tax_number"]);
    }
}
