//! Kunden zusammenführen: the duplicate's data moves to the kept customer in one transaction,
//! area by area through the registry; staff choose per differing field which value stays; the
//! duplicate's number becomes an alias of the kept customer. Any failure leaves both as they
//! were.
use super::model::{FieldDifference, MergeChoice, MergePreview};
use super::registry::{all, count_rows};
use crate::customers::model::{CustomerForm, CustomerProfile};
use crate::customers::service::{self as customers, Actor};
use crate::customers::validate::Ymd;
use crate::db::{Db, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::ui::fields::{read, write};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

/// Every form field in which the two differ (custom fields included).
fn differences(keep: &CustomerForm, duplicate: &CustomerForm) -> Vec<FieldDifference> {
    let mut names: Vec<String> =
        CustomerForm::TEXT_FIELDS.iter().chain(CustomerForm::FLAGS).map(|f| f.to_string()).collect();
    let custom: std::collections::BTreeSet<&String> =
        keep.custom.keys().chain(duplicate.custom.keys()).collect();
    names.extend(custom.into_iter().map(|k| format!("custom.{k}")));
    names
        .into_iter()
        .filter_map(|field| {
            let (k, d) = (read(keep, &field), read(duplicate, &field));
            (k != d).then_some(FieldDifference { field, keep: k, duplicate: d })
        })
        .collect()
}

fn same_customer() -> AppError {
    AppError::Validation(vec![FieldError::new("duplicate", "merge.same_customer")])
}

/// What merging `duplicate` into `keep` would move and which fields differ.
pub async fn preview(db: &Db, keep: i32, duplicate: i32) -> AppResult<MergePreview> {
    if keep == duplicate {
        return Err(same_customer());
    }
    let (k, d) = (customers::detail(db, keep).await?, customers::detail(db, duplicate).await?);
    let txn = db.begin().await?;
    let mut moves = Vec::new();
    for area in all() {
        for claim in area.claims().iter().filter(|c| c.column != "id") {
            let n = count_rows(&txn, claim, duplicate).await?;
            if n > 0 {
                moves.push((area.area().to_string(), claim.table.to_string(), n));
            }
        }
    }
    txn.commit().await?;
    Ok(MergePreview {
        keep_number: k.number,
        keep_version: k.version,
        duplicate_number: d.number,
        duplicate_version: d.version,
        moves,
        differing: differences(&k.form, &d.form),
    })
}

/// Merge as chosen. Returns the kept customer's profile.
pub async fn merge(db: &Db, staff_id: i32, choice: &MergeChoice, today: Ymd) -> AppResult<CustomerProfile> {
    merge_with_fault(db, staff_id, choice, today, None).await
}

/// `merge`, failing on purpose after `fail_after` areas have moved their rows: the tests prove
/// with it that a failure at any point leaves both customers as they were.
#[doc(hidden)]
pub async fn merge_with_fault(
    db: &Db,
    staff_id: i32,
    choice: &MergeChoice,
    today: Ymd,
    fail_after: Option<usize>,
) -> AppResult<CustomerProfile> {
    if choice.keep_id == choice.duplicate_id {
        return Err(same_customer());
    }
    let (keep, duplicate) =
        (customers::detail(db, choice.keep_id).await?, customers::detail(db, choice.duplicate_id).await?);
    let mut form = keep.form.clone();
    for field in &choice.take_from_duplicate {
        write(&mut form, field, read(&duplicate.form, field));
    }
    let defs = customers::validate_form(db, &form, today).await?;
    let txn = db.begin().await?;
    // The duplicate is claimed first (a write: SQLite's lock, and the version check).
    claim(&txn, choice.duplicate_id, choice.duplicate_version).await?;
    let actor = Actor::Staff(staff_id);
    customers::update_in(&txn, actor, choice.keep_id, choice.keep_version, &form, &defs, None).await?;
    for (done, area) in all().into_iter().enumerate() {
        if fail_after == Some(done) {
            return Err(AppError::Internal);
        }
        area.merge(&txn, choice.duplicate_id, choice.keep_id).await?;
    }
    finish(&txn, staff_id, &keep.number, choice.keep_id, &duplicate.number, choice.duplicate_id).await?;
    let saved = customers::profile(&txn, choice.keep_id).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn claim(txn: &DatabaseTransaction, id: i32, version: i64) -> AppResult<()> {
    let claimed = txn
        .execute_raw(stmt(
            txn,
            "UPDATE customers SET version = version + 1 WHERE id = $1 AND version = $2",
            vec![id.into(), version.into()],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        let current = customers::detail(txn, id).await?;
        return Err(AppError::Conflict { current_version: current.version });
    }
    Ok(())
}

/// The duplicate's number becomes an alias, the merge is recorded in the kept customer's
/// Verlauf and Log (the duplicate's own history moved there), and the emptied record goes.
async fn finish(
    txn: &DatabaseTransaction,
    staff_id: i32,
    keep_number: &str,
    keep: i32,
    duplicate_number: &str,
    duplicate: i32,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        txn,
        "INSERT INTO customer_aliases (number, old_id, customer_id, merged_at) VALUES ($1, $2, $3, $4)",
        vec![duplicate_number.into(), duplicate.into(), keep.into(), chrono::Utc::now().into()],
    ))
    .await?;
    let merged = crate::customers::areas::history::service::FieldChange {
        field: "merged".into(),
        old: duplicate_number.into(),
        new: keep_number.into(),
    };
    let history = &crate::customers::areas::history::service::record_changes;
    history(txn, keep, "customer", keep, Actor::Staff(staff_id), &[merged], None).await?;
    crate::events::service::record(
        txn,
        crate::events::service::NewEvent {
            customer_id: keep,
            kind: "customers_merged",
            actor: crate::events::service::ActorRef::Staff(staff_id),
            impersonator_staff_id: None,
            ip: None,
            user_agent: None,
            payload: duplicate_number.into(),
        },
    )
    .await?;
    txn.execute_raw(stmt(txn, "DELETE FROM customers WHERE id = $1", vec![duplicate.into()])).await?;
    Ok(())
}
