//! Archiving dunning notices: each is typeset once after the run wrote it (and after its fee
//! document, if any, was archived, so the mail carries both), stored with its SHA-256 (set once;
//! the database refuses a second) and mailed in the same transaction that records the archive,
//! so a crash at any point renders again (the same bytes) and never mails twice. The invoice
//! archive's worker runs this too. Downloads return exactly the archived bytes.
use super::dunning_pdf;
use super::invoice_archive::store_file;
use super::invoice_pdf::SellerExtras;
use crate::billing::parties::SellerSettings;
use crate::customers::areas::invoices::mail::{Archived, archived as archived_invoice, checked};
use crate::db::entities::{customer, dunning_notice, invoice};
use crate::db::stmt;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::mail::model::{Attachment, MailKind};
use crate::storage::Store;
use crate::write::Ctx;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Archive (and mail) the notices that have no PDF yet and whose fee document, if any, is
/// archived; returns how many were archived. A notice that fails is logged and passed (the next
/// round tries again).
pub async fn archive_pending(ctx: &Ctx, store: &Store) -> AppResult<u64> {
    let ids = ctx
        .db
        .query_all_raw(stmt(
            &ctx.db,
            "SELECT n.id, n.customer_id FROM dunning_notices n \
             LEFT JOIN invoices f ON f.id = n.fee_invoice_id \
             WHERE n.pdf_sha256 IS NULL AND (n.fee_invoice_id IS NULL OR f.pdf_sha256 IS NOT NULL) \
             ORDER BY n.id LIMIT 200",
            vec![],
        ))
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<i32>("", "id")?, r.try_get::<i32>("", "customer_id")?)))
        .collect::<AppResult<Vec<_>>>()?;
    let mut done = 0;
    for (id, customer_id) in ids {
        match archive_one(ctx, store, customer_id, id).await {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) => tracing::error!(notice = id, error = %e, "dunning notice not archived"),
        }
    }
    Ok(done)
}

/// Archive one notice; false when another process did it first or its fee document is not
/// archived yet.
pub async fn archive_one(ctx: &Ctx, store: &Store, customer_id: i32, id: i32) -> AppResult<bool> {
    let n = find(&ctx.db, customer_id, id).await?;
    if n.pdf_sha256.is_some() {
        return Ok(false);
    }
    let fee = match n.fee_invoice_id {
        Some(fee_id) => {
            let f = invoice::Entity::find_by_id(fee_id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
            // The mail carries the fee document's archived PDF: wait for it.
            if f.pdf_sha256.is_none() {
                return Ok(false);
            }
            Some(f)
        }
        None => None,
    };
    let inv = invoice::Entity::find_by_id(n.invoice_id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
    let c = customer::Entity::find_by_id(customer_id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
    let locale = Locale::from_code(&c.language).unwrap_or_default();
    let levels = crate::billing::dunning_run::levels(&ctx.db).await?;
    let own_text = levels.iter().find(|l| l.level == n.level).map(|l| l.text.clone()).unwrap_or_default();
    let pdf = render(&ctx.db, &c, &n, &inv, fee.as_ref(), &own_text, locale).await?;
    let file = store_file(store, &format!("dunning/{id}"), "pdf", &pdf).await?;
    let mail = n.mail_state == "pending" && c.erased_at.is_none() && !c.email.trim().is_empty();
    // Read back (and checked against its hash) for its size, before the transaction.
    let fee_file = match (&fee, mail) {
        (Some(f), true) => Some((
            f.number.clone().unwrap_or_default(),
            Archived {
                key: f.pdf_key.clone().unwrap_or_default(),
                sha256: f.pdf_sha256.clone().unwrap_or_default(),
                size: archived_invoice(store, f).await?.len() as i64,
            },
        )),
        _ => None,
    };

    // Not `begin`: an erased customer's retained notice is archived too (without mail).
    let mut change = ctx.begin_append(customer_id).await?;
    // A notice to be mailed to nobody (no address, or erased) is marked as not mailed, and goes
    // out as a letter instead: a notice must reach the customer before the next one charges.
    let claimed = change
        .txn
        .execute_raw(stmt(
            &change.txn,
            "UPDATE dunning_notices SET pdf_sha256 = $2, pdf_key = $3, \
             letter_state = CASE WHEN mail_state = 'pending' AND $4 = 'none' AND letter_state = 'none' \
               AND $5 THEN 'to_print' ELSE letter_state END, \
             mail_state = CASE WHEN mail_state = 'pending' THEN $4 ELSE mail_state END \
             WHERE id = $1 AND pdf_sha256 IS NULL",
            vec![
                id.into(),
                file.sha256.clone().into(),
                file.key.clone().into(),
                (if mail { "queued" } else { "none" }).into(),
                // An erased customer gets no letter either.
                c.erased_at.is_none().into(),
            ],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    if mail {
        let letter = Letter { notice: &n, invoice_number: inv.number.clone().unwrap_or_default(), locale };
        queue_mail(&mut change, &c, letter, file, fee_file).await?;
    }
    change.touched(crate::billing::invoices::AREA);
    change.commit().await?;
    Ok(true)
}

/// The PDF of a notice as it is archived: `inv` the dunned invoice, `fee` the document that
/// charges the notice's fees and interest, `own_text` the level's text ('' for the standard).
pub async fn render<C: ConnectionTrait>(
    db: &C,
    c: &customer::Model,
    n: &dunning_notice::Model,
    inv: &invoice::Model,
    fee: Option<&invoice::Model>,
    own_text: &str,
    locale: Locale,
) -> AppResult<Vec<u8>> {
    let seller = SellerSettings::load(db).await?;
    let extras = SellerExtras {
        phone: seller.phone,
        bank: seller.bank,
        iban: seller.iban,
        bic: seller.bic,
        direct_debit: None,
    };
    let fee_number = fee.and_then(|f| f.number.as_deref());
    // A letter sent today: today's letterhead and the customer's address of today (the PDF is
    // archived once, so it stays as sent).
    let parties = (crate::billing::parties::buyer_of(c), seller.party.clone());
    let data = dunning_pdf::data(locale, n, inv, &parties, fee_number, own_text, &extras);
    let ident = format!("dunning-{}-{}-{}", n.id, inv.number.as_deref().unwrap_or_default(), n.level);
    let (id, issued) = (n.id, n.issued_on);
    // Typesetting is CPU work: off the async workers.
    tokio::task::spawn_blocking(move || dunning_pdf::render(&data, issued, &ident))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(notice = id, error = %e, "dunning notice PDF");
            AppError::Internal
        })
}

/// What the mail says about the notice.
struct Letter<'a> {
    notice: &'a dunning_notice::Model,
    invoice_number: String,
    locale: Locale,
}

/// Queue the notice's mail with its PDF and the fee document's attached, the dunning contacts
/// in CC, in `change`'s transaction.
async fn queue_mail(
    change: &mut crate::write::Change<'_>,
    c: &customer::Model,
    letter: Letter<'_>,
    file: Archived,
    fee: Option<(String, Archived)>,
) -> AppResult<()> {
    let Letter { notice: n, invoice_number: number, locale } = letter;
    let name = crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company);
    let title = dunning_pdf::title(n.level, locale);
    let total = crate::ui::format::cents(dunning_pdf::total_cents(n), locale);
    let pay_by = crate::ui::format::date(&n.pay_by.to_string(), locale);
    let args = [
        ("name", name.as_str()),
        ("title", title.as_str()),
        ("number", number.as_str()),
        ("total", total.as_str()),
        ("pay_by", pay_by.as_str()),
    ];
    let text = crate::mail::templates::render(locale, "dunning_notice", &args);
    let cc = crate::customers::areas::contacts::service::cc_for(&change.txn, c.id, MailKind::Dunning).await?;
    let pdf = |name: String, a: Archived| Attachment {
        name,
        content_type: "application/pdf".into(),
        size: a.size,
        key: a.key,
        sha256: a.sha256,
    };
    let mail = crate::mail::outbox::NewMail {
        customer_id: Some(c.id),
        template: "dunning_notice".into(),
        kind: MailKind::Dunning,
        to: c.email.trim().to_string(),
        cc,
        subject: text.subject,
        body: text.body,
        staff_id: None,
        secret: None,
        attachments: std::iter::once(pdf(dunning_pdf::file_name(n.level, &number, locale), file))
            .chain(fee.map(|(fee_number, f)| pdf(format!("{fee_number}.pdf"), f)))
            .collect(),
    };
    crate::mail::outbox::enqueue(&change.txn, mail).await?;
    change.touched(crate::mail::AREA);
    change.mail_queued();
    Ok(())
}

/// A notice of customer `customer_id`; NotFound for another customer's.
async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<dunning_notice::Model> {
    dunning_notice::Entity::find_by_id(id)
        .filter(dunning_notice::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The archived PDF of a notice, checked against its hash; NotFound before it is archived.
pub async fn archived(store: &Store, n: &dunning_notice::Model) -> AppResult<Vec<u8>> {
    checked(store, n.id, n.pdf_key.as_deref(), n.pdf_sha256.as_deref()).await
}

/// The archived PDF of a notice of customer `customer_id` and the name it is downloaded under
/// (in the customer's language, like the letter).
pub async fn file<C: ConnectionTrait>(
    db: &C,
    store: &Store,
    customer_id: i32,
    id: i32,
) -> AppResult<(Vec<u8>, String)> {
    let n = find(db, customer_id, id).await?;
    let bytes = archived(store, &n).await?;
    let number = invoice::Entity::find_by_id(n.invoice_id).one(db).await?.and_then(|i| i.number);
    let language = customer::Entity::find_by_id(customer_id).one(db).await?.map(|c| c.language);
    let locale = language.and_then(|l| Locale::from_code(&l)).unwrap_or_default();
    Ok((bytes, dunning_pdf::file_name(n.level, &number.unwrap_or_default(), locale)))
}

/// The archived PDF as a download (404 for another customer's notice or one not archived yet).
pub async fn download<C: ConnectionTrait>(
    db: &C,
    store: &Store,
    customer_id: i32,
    id: i32,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match file(db, store, customer_id, id).await {
        Ok((bytes, name)) => crate::web::download::bytes(bytes, &name, "application/pdf"),
        Err(AppError::NotFound) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(_) => crate::web::respond::internal(),
    }
}
