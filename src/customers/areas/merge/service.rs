//! Kunden zusammenführen: the duplicate's data moves to the kept customer in one transaction,
//! area by area through the registry; staff choose per differing field which value stays; the
//! duplicate's number becomes an alias of the kept customer. Any failure leaves both as they
//! were.
use crate::customers::areas::registry::all_records as all;
use crate::customers::model::{CustomerForm, CustomerProfile};
use crate::customers::service::{self as customers, Actor};
use crate::customers::validate::Ymd;
use crate::db::{Db, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::live::client::EVERYTHING;
use crate::records::model::{FieldDifference, MergeChoice, MergePreview};
use crate::records::progress::Progress;
use crate::records::registry::count_rows;
use crate::ui::fields::{read, write};
use crate::write::Ctx;
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

/// Every form field in which the two differ (custom fields included).
fn differences(keep: &CustomerForm, duplicate: &CustomerForm) -> Vec<FieldDifference> {
    crate::customers::areas::history::service::field_names(keep, duplicate)
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
    if k.erased_at.is_some() || d.erased_at.is_some() {
        return Err(crate::records::erasure::erased_error());
    }
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
        duplicate_id: duplicate,
        keep_number: k.number,
        keep_version: k.version,
        duplicate_number: d.number,
        duplicate_version: d.version,
        moves,
        differing: differences(&k.form, &d.form),
    })
}

/// Merge as chosen. Returns the kept customer's profile.
pub async fn merge(
    ctx: &Ctx,
    staff_id: i32,
    choice: &MergeChoice,
    today: Ymd,
    progress: &Progress,
) -> AppResult<CustomerProfile> {
    run(ctx, staff_id, choice, today, progress, None).await
}

/// `merge`, failing on purpose after `fail_after` areas have moved their rows: the tests prove
/// with it that a failure at any point leaves both customers as they were.
#[doc(hidden)]
pub async fn merge_with_fault(
    ctx: &Ctx,
    staff_id: i32,
    choice: &MergeChoice,
    today: Ymd,
    fail_after: usize,
) -> AppResult<CustomerProfile> {
    run(ctx, staff_id, choice, today, &Progress::none(), Some(fail_after)).await
}

async fn run(
    ctx: &Ctx,
    staff_id: i32,
    choice: &MergeChoice,
    today: Ymd,
    progress: &Progress,
    fail_after: Option<usize>,
) -> AppResult<CustomerProfile> {
    if choice.keep_id == choice.duplicate_id {
        return Err(same_customer());
    }
    let db = &ctx.db;
    let (keep, duplicate) =
        (customers::detail(db, choice.keep_id).await?, customers::detail(db, choice.duplicate_id).await?);
    if keep.erased_at.is_some() || duplicate.erased_at.is_some() {
        return Err(crate::records::erasure::erased_error());
    }
    let mut form = keep.form.clone();
    for field in &choice.take_from_duplicate {
        write(&mut form, field, read(&duplicate.form, field));
    }
    let defs = customers::validate_form(db, &form, today).await?;
    // Both locked, the lower id first, as a billing batch locks its customers: merging 150 into
    // 100 while a batch holds 100 and waits for 150 would otherwise deadlock. (Customers whose
    // reseller moves are locked later, in no order; PostgreSQL would end such a rare cycle after
    // its deadlock timeout with an error, never a hang.)
    let mut change = ctx.begin_pair(choice.keep_id, choice.duplicate_id).await?;
    change.allow_history_rewrite("merge").await?;
    claim(&change.txn, choice.duplicate_id, choice.duplicate_version).await?;
    let actor = Actor::Staff(staff_id);
    customers::update_in(&change, actor, choice.keep_version, &form, &defs, None).await?;
    let txn = &change.txn;
    let areas = all();
    for (done, area) in areas.iter().enumerate() {
        if fail_after == Some(done) {
            return Err(AppError::Internal);
        }
        progress.step(done, areas.len());
        area.merge(txn, choice.duplicate_id, choice.keep_id).await?;
    }
    progress.step(areas.len(), areas.len());
    finish(txn, staff_id, &keep.number, choice.keep_id, &duplicate.number, choice.duplicate_id).await?;
    // Old numbers find the kept customer in the list search.
    let aliases = crate::customers::service::convert::alias_numbers(txn, choice.keep_id).await?;
    let text = crate::customers::service::convert::search_text_with(&keep.number, &aliases, &form);
    txn.execute_raw(stmt(
        txn,
        "UPDATE customers SET search_text = $2 WHERE id = $1",
        vec![choice.keep_id.into(), text.into()],
    ))
    .await?;
    // Taking the duplicate's address: the kept customer's portal login follows it (after the
    // areas moved the duplicate's login over, deactivated, so it gives the address up).
    if !keep.form.email.trim().eq_ignore_ascii_case(form.email.trim()) {
        let base_url = ctx.base_url().to_string();
        let follow = crate::auth::portal_logins::own_address_changed;
        if follow(&change.txn, choice.keep_id, &form.email, &base_url, Some(staff_id)).await? {
            change.mail_queued();
        }
    }
    let saved = customers::profile(&change.txn, choice.keep_id).await?;
    // Every area of both changed: every panel refetches; the Daten form learns the version.
    change.touched_at_version(crate::customers::areas::data::AREA.slug, saved.detail.version);
    change.touched_everything();
    change.touched_other(choice.duplicate_id, EVERYTHING);
    change.commit().await?;
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
        crate::events::service::NewEvent::new(
            keep,
            "customers_merged",
            Actor::Staff(staff_id),
            duplicate_number,
        ),
    )
    .await?;
    txn.execute_raw(stmt(txn, "DELETE FROM customers WHERE id = $1", vec![duplicate.into()])).await?;
    Ok(())
}

/// Customers that look like duplicates of `id`: the same e-mail address, phone number, postal
/// address or an IP address both used.
pub async fn candidates(db: &Db, id: i32) -> AppResult<Vec<crate::records::model::MergeCandidate>> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Row {
        id: i32,
        number: String,
        first_name: String,
        last_name: String,
        company: String,
        reason: String,
    }
    let sql = "SELECT o.id, o.number, o.first_name, o.last_name, o.company, 'email' AS reason \
         FROM customers c JOIN customers o ON LOWER(o.email) = LOWER(c.email) AND o.id <> c.id \
         WHERE c.id = $1 AND c.email <> '' \
         UNION SELECT o.id, o.number, o.first_name, o.last_name, o.company, 'phone' \
         FROM customers c JOIN customers o ON o.phone = c.phone AND o.id <> c.id WHERE c.id = $1 AND c.phone <> '' \
         UNION SELECT o.id, o.number, o.first_name, o.last_name, o.company, 'address' \
         FROM customers c JOIN customers o ON o.street = c.street AND o.house_number = c.house_number \
         AND o.postcode = c.postcode AND o.id <> c.id WHERE c.id = $1 AND c.street <> '' AND c.postcode <> '' \
         UNION SELECT o.id, o.number, o.first_name, o.last_name, o.company, 'ip' \
         FROM customer_ips a JOIN customer_ips b ON b.ip = a.ip AND b.customer_id <> a.customer_id \
         JOIN customers o ON o.id = b.customer_id WHERE a.customer_id = $1";
    let rows = Row::find_by_statement(stmt(db, sql, vec![id.into()])).all(db).await?;
    let mut out: Vec<crate::records::model::MergeCandidate> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|c| c.id == r.id) {
            Some(c) => c.reasons.push(r.reason),
            None => out.push(crate::records::model::MergeCandidate {
                id: r.id,
                number: r.number,
                name: crate::ui::format::display_name(&r.first_name, &r.last_name, &r.company),
                reasons: vec![r.reason],
            }),
        }
    }
    const ORDER: [&str; 4] = ["email", "phone", "address", "ip"];
    for c in &mut out {
        c.reasons.sort_by_key(|r| ORDER.iter().position(|o| o == r));
    }
    out.sort_by(|a, b| b.reasons.len().cmp(&a.reasons.len()).then(a.id.cmp(&b.id)));
    out.truncate(20);
    Ok(out)
}

/// The customer a merged-away id now lives in.
pub async fn alias_of<C: ConnectionTrait>(db: &C, old_id: i32) -> AppResult<Option<i32>> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT customer_id FROM customer_aliases WHERE old_id = $1",
            vec![old_id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i32>("", "customer_id")).transpose()?)
}

/// A customer by number or by a number merged into it.
pub async fn id_by_number<C: ConnectionTrait>(db: &C, number: &str) -> AppResult<Option<i32>> {
    let number = number.trim().to_uppercase();
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT id FROM customers WHERE number = $1 UNION SELECT customer_id FROM customer_aliases WHERE number = $1",
            vec![number.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i32>("", "id")).transpose()?)
}
