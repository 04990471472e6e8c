//! Archiving final invoices: each is typeset once after it was finalised (a customer's
//! e-invoice XML written beside it), stored with its SHA-256 (set once; the database refuses a
//! second), and mailed in the same transaction that
//! records the archive, so a crash at any point renders again (the same bytes) and never
//! mails twice. Downloads return exactly the archived bytes, checked against the hash.
use super::invoice_pdf::{self, SellerExtras};
use crate::billing::einvoice::{self, Profile};
use crate::billing::parties::SellerSettings;
use crate::billing::stored::{original_of, parts, prepaid, reference};
pub use crate::customers::areas::invoices::mail::{self, Archived, archived, archived_xml};
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

/// The e-invoice XML of a final invoice as it is (or would be) archived, if the customer gets
/// one. Proven at finalising; only seller data changed since (contact, IBAN) can fail it, and
/// then nothing is archived until they are mended: PDF and XML go out together.
pub async fn einvoice_xml<C: ConnectionTrait>(db: &C, inv: &invoice::Model) -> AppResult<Option<String>> {
    let Some(profile) = Profile::of(&inv.einvoice) else { return Ok(None) };
    match einvoice::of_invoice(db, inv, profile).await? {
        Ok(xml) => Ok(Some(xml)),
        Err(refused) => {
            tracing::error!(invoice = inv.id, rules = ?refused.0, "e-invoice refused at archiving");
            Err(AppError::Internal)
        }
    }
}

/// The PDF of a final invoice, as it is (or would be) archived: a ZUGFeRD customer's is the
/// hybrid with the XML inside.
pub async fn render<C: ConnectionTrait>(db: &C, inv: &invoice::Model, locale: Locale) -> AppResult<Vec<u8>> {
    let xml = einvoice_xml(db, inv).await?;
    render_with(db, inv, locale, xml.as_deref()).await
}

/// [`render`] with the e-invoice XML already written.
async fn render_with<C: ConnectionTrait>(
    db: &C,
    inv: &invoice::Model,
    locale: Locale,
    xml: Option<&str>,
) -> AppResult<Vec<u8>> {
    let facturx = xml.filter(|_| inv.einvoice == "zugferd").map(str::to_string);
    let (lines, groups) = parts(db, inv.id).await?;
    let before = original_of(db, inv).await?;
    let settings = SellerSettings::load(db).await?;
    let direct_debit = direct_debit(db, inv, &settings).await?;
    let extras = SellerExtras {
        phone: settings.phone,
        bank: settings.bank,
        iban: settings.iban,
        bic: settings.bic,
        direct_debit,
    };
    let (original, paid) = (reference(before.as_ref()), prepaid(inv, before.as_ref()));
    let data = invoice_pdf::data(locale, inv, &lines, &groups, original, paid, &extras);
    let issued = inv.issue_date.ok_or(AppError::Internal)?;
    let ident = format!("invoice-{}-{}", inv.id, inv.number.as_deref().unwrap_or_default());
    let id = inv.id;
    // Typesetting is CPU work: off the async workers, so pages keep being served meanwhile.
    tokio::task::spawn_blocking(move || invoice_pdf::render(&data, issued, &ident, facturx.as_deref()))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(invoice = id, error = %e, "invoice PDF");
            AppError::Internal
        })
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
    let xml = einvoice_xml(&ctx.db, &inv).await?;
    let pdf = render_with(&ctx.db, &inv, locale, xml.as_deref()).await?;
    let file = store_file(store, &format!("invoices/{id}"), "pdf", &pdf).await?;
    let xml_file = match &xml {
        Some(text) => Some(store_file(store, &format!("invoices/{id}"), "xml", text.as_bytes()).await?),
        None => None,
    };
    let (xml_sha, xml_key) = match &xml_file {
        Some(f) => (Some(f.sha256.clone()), Some(f.key.clone())),
        None => (None, None),
    };

    // Not `begin`: an erased customer's retained invoice is archived too (without mail).
    let mut change = ctx.begin_append(customer_id).await?;
    let claimed = change
        .txn
        .execute_raw(stmt(
            &change.txn,
            "UPDATE invoices SET pdf_sha256 = $2, pdf_key = $3, xml_sha256 = $4, xml_key = $5, \
             mail_state = CASE WHEN mail_state = 'pending' THEN 'queued' ELSE mail_state END \
             WHERE id = $1 AND pdf_sha256 IS NULL",
            vec![
                id.into(),
                file.sha256.clone().into(),
                file.key.clone().into(),
                xml_sha.into(),
                xml_key.into(),
            ],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    if inv.mail_state == "pending" && c.erased_at.is_none() && !c.email.trim().is_empty() {
        // The XRechnung goes with the mail; a ZUGFeRD customer's XML is in the PDF.
        let xml = xml_file.filter(|_| inv.einvoice == "xrechnung");
        mail::queue_mail(&mut change, &c, &inv, locale, file, xml, None).await?;
    }
    change.touched(crate::billing::invoices::AREA);
    change.commit().await?;
    Ok(true)
}

/// Store an archived file (an invoice's, a quote's, a dunning notice's) under
/// `{stem}-{first 16 hex of its SHA-256}.{ext}`.
pub async fn store_file(store: &Store, stem: &str, ext: &str, bytes: &[u8]) -> AppResult<Archived> {
    let sha = hex::encode(Sha256::digest(bytes));
    let key = format!("{stem}-{}.{ext}", &sha[..16]);
    let mut writer = store.writer(&key).await.map_err(|_| AppError::Internal)?;
    writer.write(bytes).await.map_err(|_| AppError::Internal)?;
    writer.finish().await.map_err(|_| AppError::Internal)?;
    Ok(Archived { key, sha256: sha, size: bytes.len() as i64 })
}

/// The worker of every server process: archives what was finalised (and quotes sent, dunning
/// notices written), every few seconds and at once when woken.
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
            if let Err(e) = super::quote_archive::archive_pending(&ctx, &store).await {
                tracing::error!(error = %e, "quote archive");
            }
            // After the invoices: a notice waits for its fee document's PDF, which it mails along.
            if let Err(e) = super::dunning_archive::archive_pending(&ctx, &store).await {
                tracing::error!(error = %e, "dunning archive");
            }
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), wake.notified()).await;
        }
    })
}

/// The pre-notification of an invoice whose customer has an active SEPA mandate (and the
/// operator a creditor identifier): it is collected, not transferred.
async fn direct_debit<C: ConnectionTrait>(
    db: &C,
    inv: &invoice::Model,
    settings: &SellerSettings,
) -> AppResult<Option<crate::documents::invoice_pdf::DirectDebitNote>> {
    let mandate =
        crate::billing::sepa::mandates::pre_notified(db, inv.customer_id, &inv.kind, settings).await?;
    Ok(mandate.map(|m| crate::documents::invoice_pdf::DirectDebitNote {
        mandate: m.reference,
        creditor_id: m.creditor_id,
        iban: crate::billing::sepa::model::masked(&m.iban),
    }))
}
