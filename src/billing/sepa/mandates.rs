//! A customer's SEPA mandates: added from the signed form (reference unique, signed not in the
//! future, the IBAN checked, one active mandate per customer) and revoked; never deleted, since
//! a collection names the mandate it was made under.
use super::ids;
use super::model::{MandateInput, MandateRow};
use crate::billing::invoices::LEDGER_AREA;
use crate::db::stmt;
use crate::error::{AppError, AppResult, FieldError};
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult};

/// The mandate as checked: reference, day signed, holder, IBAN (electronic), BIC.
fn checked(
    m: &MandateInput,
    today: NaiveDate,
) -> Result<(String, NaiveDate, String, String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let reference = m.reference.trim().to_string();
    if !ids::mandate_reference(&reference) {
        errors.push(FieldError::new("reference", "sepa.reference_invalid"));
    }
    let signed = NaiveDate::parse_from_str(m.signed_on.trim(), "%Y-%m-%d").ok();
    match signed {
        None => errors.push(FieldError::new("signed_on", "validation.date")),
        Some(d) if d > today => errors.push(FieldError::new("signed_on", "sepa.signed_future")),
        Some(_) => {}
    }
    let holder = m.holder.split_whitespace().collect::<Vec<_>>().join(" ");
    // The name goes into the file in the EPC's Latin set: it must leave something there.
    if holder.chars().count() > 70 || super::pain008::latin(&holder, 70).is_empty() {
        errors.push(FieldError::new("holder", "sepa.holder_required"));
    }
    let iban = ids::iban(&m.iban);
    if iban.is_none() {
        errors.push(FieldError::new("iban", "sepa.iban_invalid"));
    }
    let bic = m.bic.trim().to_ascii_uppercase();
    if !bic.is_empty() && !ids::bic(&bic) {
        errors.push(FieldError::new("bic", "sepa.bic_invalid"));
    }
    match (errors.is_empty(), signed, iban) {
        (true, Some(signed), Some(iban)) => Ok((reference, signed, holder, iban, bic)),
        _ => Err(errors),
    }
}

/// Add a mandate for `customer_id`; refused while another is active.
pub async fn add(ctx: &Ctx, customer_id: i32, m: &MandateInput, today: NaiveDate) -> AppResult<i32> {
    let (reference, signed, holder, iban, bic) = checked(m, today).map_err(AppError::Validation)?;
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let taken = |sql: &'static str, value: sea_orm::Value| async move {
        Ok::<bool, AppError>(txn.query_one_raw(stmt(txn, sql, vec![value])).await?.is_some())
    };
    if taken("SELECT id FROM sepa_mandates WHERE customer_id = $1 AND state = 'active'", customer_id.into())
        .await?
    {
        return Err(AppError::Validation(vec![FieldError::new("reference", "sepa.mandate_active")]));
    }
    if taken("SELECT id FROM sepa_mandates WHERE reference = $1", reference.clone().into()).await? {
        return Err(AppError::Validation(vec![FieldError::new("reference", "sepa.reference_taken")]));
    }
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO sepa_mandates (customer_id, reference, signed_on, holder, iban, bic, sequence, state, \
             created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, 'FRST', 'active', $7, $8, 1) RETURNING id",
            vec![
                customer_id.into(),
                reference.into(),
                signed.into(),
                holder.into(),
                iban.into(),
                bic.into(),
                ctx.by().chars().take(100).collect::<String>().into(),
                chrono::Utc::now().into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let id: i32 = row.try_get("", "id")?;
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(id)
}

/// Revoke mandate `mandate_id` of `customer_id` (at `version`) from `today` on.
pub async fn revoke(
    ctx: &Ctx,
    customer_id: i32,
    mandate_id: i32,
    version: i64,
    today: NaiveDate,
) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let done = txn
        .execute_raw(stmt(
            txn,
            "UPDATE sepa_mandates SET state = 'revoked', revoked_on = $4, version = version + 1 \
             WHERE id = $1 AND customer_id = $2 AND version = $3 AND state = 'active'",
            vec![mandate_id.into(), customer_id.into(), version.into(), today.into()],
        ))
        .await?;
    if done.rows_affected() != 1 {
        let current = txn
            .query_one_raw(stmt(
                txn,
                "SELECT version FROM sepa_mandates WHERE id = $1 AND customer_id = $2",
                vec![mandate_id.into(), customer_id.into()],
            ))
            .await?
            .ok_or(AppError::NotFound)?
            .try_get::<i64>("", "version")?;
        return Err(AppError::Conflict { current_version: current });
    }
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(())
}

fn row(r: &QueryResult) -> Result<MandateRow, sea_orm::DbErr> {
    let day = |col: &str| {
        r.try_get::<Option<NaiveDate>>("", col).map(|d| d.map(|d| d.to_string()).unwrap_or_default())
    };
    let iban: String = r.try_get("", "iban")?;
    let grouped =
        iban.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    Ok(MandateRow {
        id: r.try_get("", "id")?,
        reference: r.try_get("", "reference")?,
        signed_on: day("signed_on")?,
        holder: r.try_get("", "holder")?,
        iban: grouped.join(" "),
        bic: r.try_get("", "bic")?,
        sequence: r.try_get("", "sequence")?,
        state: r.try_get("", "state")?,
        revoked_on: day("revoked_on")?,
        last_collected_on: day("last_collected_on")?,
        version: r.try_get("", "version")?,
    })
}

/// The customer's mandates, the active one first, then the newest.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<MandateRow>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT id, reference, signed_on, holder, iban, bic, sequence, state, revoked_on, last_collected_on, version \
             FROM sepa_mandates WHERE customer_id = $1 \
             ORDER BY CASE WHEN state = 'active' THEN 0 ELSE 1 END, id DESC",
            vec![customer_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(row).collect::<Result<Vec<_>, _>>()?)
}

/// The mandate an invoice pre-notifies its debit under: the customer's active one, when the
/// operator has a creditor identifier (and IBAN); invoices and corrections only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreNotified {
    pub reference: String,
    /// The debtor's IBAN, electronic form.
    pub iban: String,
    pub creditor_id: String,
}

pub async fn pre_notified<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    kind: &str,
    seller: &crate::billing::seller::SellerSettings,
) -> AppResult<Option<PreNotified>> {
    if !matches!(kind, "invoice" | "correction") {
        return Ok(None);
    }
    let Some(creditor) = super::collect::creditor(seller) else { return Ok(None) };
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT reference, iban FROM sepa_mandates WHERE customer_id = $1 AND state = 'active'",
            vec![customer_id.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => Some(PreNotified {
            reference: r.try_get("", "reference")?,
            iban: r.try_get("", "iban")?,
            creditor_id: creditor.creditor_id,
        }),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_mandate_is_checked_field_by_field() {
        let today = day(2027, 1, 15);
        let good = MandateInput {
            reference: " MNDT-K10002-1 ".into(),
            signed_on: "2027-01-15".into(),
            holder: " Max  Mustermann ".into(),
            iban: "de12 5001 0517 0648 4898 90".into(),
            bic: "inGddeffxxx".into(),
        };
        let (reference, _, holder, iban, bic) = checked(&good, today).unwrap();
        assert_eq!((reference.as_str(), holder.as_str()), ("MNDT-K10002-1", "Max Mustermann"));
        assert_eq!((iban.as_str(), bic.as_str()), ("DE12500105170648489890", "INGDDEFFXXX"));
        let bad = MandateInput {
            reference: "M 1".into(),
            signed_on: "2027-01-16".into(),
            holder: "".into(),
            iban: "DE12500105170648489891".into(),
            bic: "INGD".into(),
        };
        let fields: Vec<String> = checked(&bad, today).unwrap_err().into_iter().map(|e| e.key).collect();
        assert_eq!(
            fields,
            [
                "sepa.reference_invalid",
                "sepa.signed_future",
                "sepa.holder_required",
                "sepa.iban_invalid",
                "sepa.bic_invalid"
            ]
        );
    }
}
