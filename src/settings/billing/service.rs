//! The operator's billing settings: the seller's data every invoice prints (checked field by
//! field, saved only over the version the form was loaded with), the number series (pattern
//! and next running number, never lowered, never onto a number already issued) and the dated
//! VAT rates (a rate in force is never rewritten: a change is a new row from its first day).
use super::model::*;
use crate::billing::amount::parse_scaled;
use crate::billing::numbering::Pattern;
use crate::billing::parties::SELLER_KEY;
use crate::billing::seller::SellerSettings;
use crate::billing::tax;
use crate::customers::countries;
use crate::customers::validate::{
    VatProblem, email_valid, phone_valid, postcode_example, postcode_valid, vat_id_problem,
};
use crate::db::{Db, begin_write, stmt};
use crate::error::{AppError, AppResult, FieldError};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, TransactionTrait};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The highest rate a form may enter (a typo guard): 50 %.
const MAX_RATE_BP: i64 = 5_000;

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
    for v in [&mut p.name, &mut p.contact, &mut p.street, &mut p.postcode, &mut p.city, &mut p.email] {
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
    let bic_ok = |b: &str| {
        (b.len() == 8 || b.len() == 11)
            && b.chars().take(6).all(|c| c.is_ascii_uppercase())
            && b.chars().skip(6).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    if !s.bic.is_empty() && !bic_ok(&s.bic) {
        errors.push(FieldError::new("bic", "settings.billing.bic_invalid"));
    }
    too_long(&mut errors, "bank", &s.bank, 100);
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

fn counter_name(series_id: i32, pattern: &Pattern, day: NaiveDate) -> String {
    format!("invoice:{series_id}:{}", pattern.counter_year(day))
}

async fn counter_value<C: ConnectionTrait>(db: &C, name: &str) -> AppResult<i64> {
    let row =
        db.query_one_raw(stmt(db, "SELECT value FROM counters WHERE name = $1", vec![name.into()])).await?;
    Ok(match row {
        Some(r) => r.try_get("", "value")?,
        None => 0,
    })
}

/// Every series with the number its next document gets on `today`.
pub async fn series<C: ConnectionTrait>(db: &C, today: NaiveDate) -> AppResult<Vec<SeriesRow>> {
    let rows =
        db.query_all_raw(stmt(db, "SELECT id, key, pattern FROM invoice_series ORDER BY id", vec![])).await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i32 = r.try_get("", "id")?;
        let text: String = r.try_get("", "pattern")?;
        let (next, preview) = match Pattern::parse(&text) {
            Ok(p) => {
                let next = counter_value(db, &counter_name(id, &p, today)).await? + 1;
                (next, p.format(today, next))
            }
            Err(_) => (0, String::new()),
        };
        out.push(SeriesRow { id, key: r.try_get("", "key")?, pattern: text, next, preview });
    }
    Ok(out)
}

/// Change a series' pattern and raise its next running number; returns the row as it is now.
/// The number the next document would get must not have been issued in the series already.
pub async fn save_series(db: &Db, input: &SeriesInput, today: NaiveDate) -> AppResult<SeriesRow> {
    let mut errors = Vec::new();
    let pattern =
        Pattern::parse(input.pattern.trim()).map_err(|e| errors.push(FieldError::new("pattern", e.key())));
    let next = input.next.trim().parse::<i64>().ok().filter(|n| (1..=999_999_999_999).contains(n));
    if next.is_none() {
        errors.push(FieldError::new("next", "settings.billing.next_invalid"));
    }
    let (Ok(pattern), Some(next), true) = (pattern, next, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let txn = begin_write(db).await?;
    let exists = txn
        .query_one_raw(stmt(&txn, "SELECT id FROM invoice_series WHERE id = $1", vec![input.id.into()]))
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let counter = counter_name(input.id, &pattern, today);
    let current = counter_value(&txn, &counter).await? + 1;
    if next < current {
        return Err(AppError::Validation(vec![
            FieldError::new("next", "settings.billing.next_lower").with("next", current.to_string()),
        ]));
    }
    let number = pattern.format(today, next);
    let taken = txn
        .query_one_raw(stmt(
            &txn,
            "SELECT id FROM invoices WHERE series_id = $1 AND number = $2",
            vec![input.id.into(), number.clone().into()],
        ))
        .await?;
    if taken.is_some() {
        return Err(AppError::Validation(vec![
            FieldError::new("pattern", "settings.billing.number_taken").with("number", number),
        ]));
    }
    txn.execute_raw(stmt(
        &txn,
        "UPDATE invoice_series SET pattern = $1 WHERE id = $2",
        vec![input.pattern.trim().into(), input.id.into()],
    ))
    .await?;
    if next > current {
        // Only ever raised: a finalising that took a number meanwhile keeps it.
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            vec![counter.clone().into(), 0i64.into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE counters SET value = $2 WHERE name = $1 AND value < $2",
            vec![counter.into(), (next - 1).into()],
        ))
        .await?;
    }
    let row = series(&txn, today).await?.into_iter().find(|s| s.id == input.id).ok_or(AppError::NotFound)?;
    txn.commit().await?;
    Ok(row)
}

/// One page of the dated rates, by country and newest first, each marked current, replaced or
/// future as of `today`.
pub async fn rates(db: &Db, page: u32, today: NaiveDate) -> AppResult<RatePage> {
    let page = page.max(1);
    let total: i64 = db
        .query_one_raw(stmt(db, "SELECT COUNT(*) AS n FROM vat_rates", vec![]))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let current: HashMap<String, NaiveDate> = db
        .query_all_raw(stmt(
            db,
            "SELECT country, MAX(valid_from) AS since FROM vat_rates WHERE valid_from <= $1 GROUP BY country",
            vec![today.into()],
        ))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get("", "country")?, r.try_get("", "since")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT country, valid_from, standard_bp, reduced_bp FROM vat_rates \
             ORDER BY country, valid_from DESC LIMIT $1 OFFSET $2",
            vec![(RATES_PER_PAGE as i64).into(), (i64::from(page - 1) * RATES_PER_PAGE as i64).into()],
        ))
        .await?
        .into_iter()
        .map(|r| {
            let country: String = r.try_get("", "country")?;
            let from: NaiveDate = r.try_get("", "valid_from")?;
            let state = if from > today {
                RateState::Future
            } else if current.get(&country) == Some(&from) {
                RateState::Current
            } else {
                RateState::Replaced
            };
            Ok(RateRow {
                country,
                valid_from: from.to_string(),
                standard_bp: r.try_get("", "standard_bp")?,
                reduced_bp: r.try_get("", "reduced_bp")?,
                state,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let pages = (total as u64).div_ceil(RATES_PER_PAGE).max(1) as u32;
    Ok(RatePage { rows, total: total as u64, page, pages })
}

/// A rate input read: (country, first day, standard bp, reduced bp), or a message per field.
pub fn checked_rate(input: &RateInput) -> Result<(String, NaiveDate, i32, i32), Vec<FieldError>> {
    let mut errors = Vec::new();
    let country = input.country.trim().to_ascii_uppercase();
    if !tax::is_eu(&country) {
        errors.push(FieldError::new("country", "settings.billing.rate_country"));
    }
    let from = NaiveDate::parse_from_str(input.valid_from.trim(), "%Y-%m-%d").ok();
    if from.is_none() {
        errors.push(FieldError::new("valid_from", "validation.date"));
    }
    let mut rate = |field: &str, text: &str| {
        let bp = parse_scaled(text, 2).filter(|bp| (0..=MAX_RATE_BP).contains(bp));
        if bp.is_none() {
            errors.push(FieldError::new(field, "settings.billing.rate_percent"));
        }
        bp.unwrap_or(0) as i32
    };
    let standard = rate("standard", &input.standard);
    let reduced = rate("reduced", &input.reduced);
    match from {
        Some(from) if errors.is_empty() => Ok((country, from, standard, reduced)),
        _ => Err(errors),
    }
}

/// Add a dated rate, or correct one that has not started yet. A rate in force on `today` or
/// before may have been charged already and is never rewritten.
pub async fn save_rate(db: &Db, input: &RateInput, today: NaiveDate) -> AppResult<()> {
    let (country, from, standard, reduced) = checked_rate(input).map_err(AppError::Validation)?;
    let txn = begin_write(db).await?;
    let existing = txn
        .query_one_raw(stmt(
            &txn,
            "SELECT valid_from FROM vat_rates WHERE country = $1 AND valid_from = $2",
            vec![country.clone().into(), from.into()],
        ))
        .await?;
    if existing.is_some() && from <= today {
        return Err(AppError::Validation(vec![FieldError::new(
            "valid_from",
            "settings.billing.rate_in_force",
        )]));
    }
    let sql = if existing.is_some() {
        "UPDATE vat_rates SET standard_bp = $3, reduced_bp = $4 WHERE country = $1 AND valid_from = $2"
    } else {
        "INSERT INTO vat_rates (country, valid_from, standard_bp, reduced_bp) VALUES ($1, $2, $3, $4)"
    };
    txn.execute_raw(stmt(&txn, sql, vec![country.into(), from.into(), standard.into(), reduced.into()]))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Remove a rate that has not started yet.
pub async fn delete_rate(db: &Db, country: &str, valid_from: &str, today: NaiveDate) -> AppResult<()> {
    let from = NaiveDate::parse_from_str(valid_from, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    if from <= today {
        return Err(AppError::Validation(vec![FieldError::new(
            "valid_from",
            "settings.billing.rate_in_force",
        )]));
    }
    let txn = db.begin().await?;
    let done = txn
        .execute_raw(stmt(
            &txn,
            "DELETE FROM vat_rates WHERE country = $1 AND valid_from = $2",
            vec![country.into(), from.into()],
        ))
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    txn.commit().await?;
    Ok(())
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

    #[test]
    fn rates_are_read_in_percent() {
        let input = |standard: &str, reduced: &str| RateInput {
            country: "fr".into(),
            valid_from: "2027-01-01".into(),
            standard: standard.into(),
            reduced: reduced.into(),
        };
        let (country, from, standard, reduced) = checked_rate(&input("20", "5,5")).unwrap();
        assert_eq!(
            (country.as_str(), from.to_string().as_str(), standard, reduced),
            ("FR", "2027-01-01", 2_000, 550)
        );
        assert_eq!(fields(checked_rate(&input("50,01", "-1")).unwrap_err()), ["standard", "reduced"]);
        let outside = RateInput { country: "CH".into(), ..input("8,1", "2,6") };
        assert_eq!(
            fields(checked_rate(&outside).unwrap_err()),
            ["country"],
            "OSS rates are for EU countries"
        );
    }
}
