//! Archiving final invoices: each is typeset once after it was finalised, stored with its
//! SHA-256 (set once; the database refuses a second), and mailed in the same transaction that
//! records the archive, so a crash at any point renders again (the same bytes) and never
//! mails twice. Downloads return exactly the archived bytes, checked against the hash.
use super::invoice_pdf::{self, PrintGroup, PrintLine, SellerExtras};
use crate::billing::parties::SellerSettings;
pub use crate::customers::areas::invoices::mail::{self, Archived, archived};
use crate::db::entities::{customer, invoice};
use crate::db::stmt;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::storage::Store;
use crate::write::Ctx;
use sea_orm::{ConnectionTrait, EntityTrait};
use sha2::{Digest, Sha256};

/// Invoices archived per round of the worker.
pub const BATCH: u64 = 200;

/// The stored lines and rate groups of invoice `id`, in order.
pub async fn parts<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<(Vec<PrintLine>, Vec<PrintGroup>)> {
    let lines = db
        .query_all_raw(stmt(
            db,
            "SELECT description, quantity_milli, unit_price_e4, net_cents, rate_bp, category, service_from, \
             service_to FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
            vec![id.into()],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(PrintLine {
                description: r.try_get("", "description")?,
                quantity_milli: r.try_get("", "quantity_milli")?,
                unit_price_e4: r.try_get("", "unit_price_e4")?,
                net_cents: r.try_get("", "net_cents")?,
                rate_bp: r.try_get("", "rate_bp")?,
                category: r.try_get("", "category")?,
                service_from: r.try_get("", "service_from")?,
                service_to: r.try_get("", "service_to")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let groups = db
        .query_all_raw(stmt(
            db,
            "SELECT category, rate_bp, net_cents, tax_cents FROM invoice_tax_groups WHERE invoice_id = $1 \
             ORDER BY category, rate_bp DESC",
            vec![id.into()],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(PrintGroup {
                category: r.try_get("", "category")?,
                rate_bp: r.try_get("", "rate_bp")?,
                net_cents: r.try_get("", "net_cents")?,
                tax_cents: r.try_get("", "tax_cents")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok((lines, groups))
}

/// The number and issue date of the invoice `inv` cancels or corrects, if any.
async fn original_of<C: ConnectionTrait>(
    db: &C,
    inv: &invoice::Model,
) -> AppResult<Option<(String, chrono::NaiveDate)>> {
    let Some(id) = inv.corrects_id else { return Ok(None) };
    let original = invoice::Entity::find_by_id(id).one(db).await?;
    Ok(original.and_then(|o| Some((o.number?, o.issue_date?))))
}

/// The PDF of a final invoice, as it is (or would be) archived.
pub async fn render<C: ConnectionTrait>(db: &C, inv: &invoice::Model, locale: Locale) -> AppResult<Vec<u8>> {
    let (lines, groups) = parts(db, inv.id).await?;
    let original = original_of(db, inv).await?;
    let original = original.as_ref().map(|(n, d)| (n.as_str(), *d));
    let settings = SellerSettings::load(db).await?;
    let extras =
        SellerExtras { phone: settings.phone, bank: settings.bank, iban: settings.iban, bic: settings.bic };
    let data = invoice_pdf::data(locale, inv, &lines, &groups, original, &extras);
    let issued = inv.issue_date.ok_or(AppError::Internal)?;
    let ident = format!("invoice-{}-{}", inv.id, inv.number.as_deref().unwrap_or_default());
    let id = inv.id;
    // Typesetting is CPU work: off the async workers, so pages keep being served meanwhile.
    tokio::task::spawn_blocking(move || invoice_pdf::render(&data, issued, &ident))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(invoice = id, error = %e, "invoice PDF");
            AppError::Internal
        })
}

/// The e-invoice of a final invoice under `profile`, or the rules it fails (`buyer_reference`
/// is BT-10: a Leitweg-ID, or the customer number).
pub async fn einvoice<C: ConnectionTrait>(
    db: &C,
    inv: &invoice::Model,
    profile: super::einvoice::Profile,
    buyer_reference: &str,
) -> AppResult<Result<String, super::einvoice::Refused>> {
    let (lines, groups) = parts(db, inv.id).await?;
    let original = original_of(db, inv).await?;
    let original = original.as_ref().map(|(n, d)| (n.as_str(), *d));
    let seller = SellerSettings::load(db).await?;
    let src = super::einvoice::Source {
        invoice: inv,
        lines: &lines,
        groups: &groups,
        original,
        seller: &seller,
        buyer_reference,
    };
    Ok(super::einvoice::cii(&src, profile))
}

/// Archive (and mail) the final invoices that have no PDF yet; returns how many were archived.
pub async fn archive_pending(ctx: &Ctx, store: &Store) -> AppResult<u64> {
    archive_after(ctx, store, 0).await.map(|(done, _)| done)
}

/// One batch of invoices after id `after`; returns how many were archived and the last id seen
/// (a failing invoice is passed, not retried at once).
pub async fn archive_after(ctx: &Ctx, store: &Store, after: i32) -> AppResult<(u64, Option<i32>)> {
    let ids = ctx
        .db
        .query_all_raw(stmt(
            &ctx.db,
            "SELECT id, customer_id FROM invoices WHERE number IS NOT NULL AND pdf_sha256 IS NULL AND id > $2 \
             ORDER BY id LIMIT $1",
            vec![(BATCH as i64).into(), after.into()],
        ))
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<i32>("", "id")?, r.try_get::<i32>("", "customer_id")?)))
        .collect::<AppResult<Vec<_>>>()?;
    let mut done = 0;
    let last = ids.last().map(|(id, _)| *id);
    // As many invoices at once as there are cores: typesetting is what takes the time.
    let at_once = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let mut running = tokio::task::JoinSet::new();
    for (id, customer_id) in ids {
        while running.len() >= at_once {
            done += running.join_next().await.and_then(Result::ok).unwrap_or(0);
        }
        let (ctx, store) = (ctx.clone(), store.clone());
        running.spawn(async move {
            // One invoice that fails (a typesetting or storage error) must not hold up the others.
            match archive_one(&ctx, &store, customer_id, id).await {
                Ok(true) => 1,
                Ok(false) => 0,
                Err(e) => {
                    tracing::error!(invoice = id, error = %e, "invoice not archived");
                    0
                }
            }
        });
    }
    while let Some(one) = running.join_next().await {
        done += one.unwrap_or(0);
    }
    Ok((done, last))
}

/// Archive one invoice; false when another process did it first.
pub async fn archive_one(ctx: &Ctx, store: &Store, customer_id: i32, id: i32) -> AppResult<bool> {
    let inv = invoice::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
    if inv.pdf_sha256.is_some() || inv.number.is_none() {
        return Ok(false);
    }
    let c = customer::Entity::find_by_id(customer_id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
    let locale = Locale::from_code(&c.language).unwrap_or_default();
    let pdf = render(&ctx.db, &inv, locale).await?;
    let sha = hex::encode(Sha256::digest(&pdf));
    let key = format!("invoices/{id}-{}.pdf", &sha[..16]);
    let mut writer = store.writer(&key).await.map_err(|_| AppError::Internal)?;
    writer.write(&pdf).await.map_err(|_| AppError::Internal)?;
    writer.finish().await.map_err(|_| AppError::Internal)?;

    // Not `begin`: an erased customer's retained invoice is archived too (without mail).
    let mut change = ctx.begin_append(customer_id).await?;
    let claimed = change
        .txn
        .execute_raw(stmt(
            &change.txn,
            "UPDATE invoices SET pdf_sha256 = $2, pdf_key = $3, \
             mail_state = CASE WHEN mail_state = 'pending' THEN 'queued' ELSE mail_state END \
             WHERE id = $1 AND pdf_sha256 IS NULL",
            vec![id.into(), sha.clone().into(), key.clone().into()],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    if inv.mail_state == "pending" && c.erased_at.is_none() && !c.email.trim().is_empty() {
        let file = Archived { key, sha256: sha, size: pdf.len() as i64 };
        mail::queue_mail(&mut change, &c, &inv, locale, file, None).await?;
    }
    change.touched(crate::billing::invoices::AREA);
    change.commit().await?;
    Ok(true)
}

/// The worker of every server process: archives what was finalised, every few seconds and at
/// once when woken.
pub fn spawn(
    ctx: Ctx,
    store: Store,
    wake: std::sync::Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut after = 0;
        loop {
            match archive_after(&ctx, &store, after).await {
                // A full batch: go on after its last invoice at once.
                Ok((_, Some(last))) => {
                    after = last;
                    continue;
                }
                // Everything seen: the next round starts from the beginning (failed ones again).
                Ok((_, None)) => after = 0,
                Err(e) => {
                    after = 0;
                    tracing::error!(error = %e, "invoice archive");
                }
            }
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), wake.notified()).await;
        }
    })
}
