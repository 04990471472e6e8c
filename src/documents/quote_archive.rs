//! Archiving sent quotes: each is typeset once after it was sent, stored with its SHA-256 (set
//! once; the database refuses a second) and mailed in the same transaction that records the
//! archive, so a crash at any point renders again (the same bytes) and never mails twice. The
//! invoice archive's worker runs this too. Downloads return exactly the archived bytes.
use crate::billing::parties::{SellerSettings, buyer_of};
use crate::billing::quotes::{AREA, lines_of};
use crate::customers::areas::invoices::mail::{Archived, checked};
use crate::db::entities::{customer, quote};
use crate::db::stmt;
use crate::documents::invoice_pdf::SellerExtras;
use crate::documents::quote_pdf;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::mail::model::{Attachment, MailKind};
use crate::storage::Store;
use crate::write::Ctx;
use sea_orm::{ConnectionTrait, EntityTrait};

/// Archive (and mail) the sent quotes that have no PDF yet; returns how many were archived. A
/// quote that fails is logged and passed (the next round tries again).
pub async fn archive_pending(ctx: &Ctx, store: &Store) -> AppResult<u64> {
    let ids = ctx
        .db
        .query_all_raw(stmt(
            &ctx.db,
            "SELECT id, customer_id FROM quotes WHERE number IS NOT NULL AND pdf_sha256 IS NULL ORDER BY id LIMIT 200",
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
            Err(e) => tracing::error!(quote = id, error = %e, "quote not archived"),
        }
    }
    Ok(done)
}

/// Archive one quote; false when another process did it first.
pub async fn archive_one(ctx: &Ctx, store: &Store, customer_id: i32, id: i32) -> AppResult<bool> {
    let q = quote::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
    if q.pdf_sha256.is_some() || q.number.is_none() {
        return Ok(false);
    }
    let c = customer::Entity::find_by_id(customer_id).one(&ctx.db).await?.ok_or(AppError::NotFound)?;
    let locale = Locale::from_code(&c.language).unwrap_or_default();
    let seller = SellerSettings::load(&ctx.db).await?;
    let pdf = render(&ctx.db, &q, &c, &seller, locale).await?;
    let file =
        crate::documents::invoice_archive::store_file(store, &format!("quotes/{id}"), "pdf", &pdf).await?;
    // Not `begin`: an erased customer's retained quote is archived too (without mail).
    let mut change = ctx.begin_append(customer_id).await?;
    let claimed = change
        .txn
        .execute_raw(stmt(
            &change.txn,
            "UPDATE quotes SET pdf_sha256 = $2, pdf_key = $3, \
             mail_state = CASE WHEN mail_state = 'pending' THEN 'queued' ELSE mail_state END \
             WHERE id = $1 AND pdf_sha256 IS NULL",
            vec![id.into(), file.sha256.clone().into(), file.key.clone().into()],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    if q.mail_state == "pending" && c.erased_at.is_none() && !c.email.trim().is_empty() {
        let staff_id = q.sent_by_id.filter(|_| q.sent_by_kind.as_deref() == Some("staff"));
        queue_mail(&mut change, &c, &q, locale, file, staff_id).await?;
    }
    change.touched(AREA);
    change.commit().await?;
    Ok(true)
}

/// The PDF of a sent quote as it is archived.
pub async fn render<C: ConnectionTrait>(
    db: &C,
    q: &quote::Model,
    c: &customer::Model,
    seller: &SellerSettings,
    locale: Locale,
) -> AppResult<Vec<u8>> {
    let lines = lines_of(db, q.id).await?;
    let extras = SellerExtras {
        phone: seller.phone.clone(),
        bank: seller.bank.clone(),
        iban: seller.iban.clone(),
        bic: seller.bic.clone(),
        direct_debit: None,
    };
    let data = quote_pdf::data(locale, q, &buyer_of(c), &seller.party, &lines, &extras);
    let issued = q.issue_date.ok_or(AppError::Internal)?;
    let ident = format!("quote-{}-{}", q.id, q.number.as_deref().unwrap_or_default());
    let id = q.id;
    tokio::task::spawn_blocking(move || quote_pdf::render(&data, issued, &ident))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(quote = id, error = %e, "quote PDF");
            AppError::Internal
        })
}

async fn queue_mail(
    change: &mut crate::write::Change<'_>,
    c: &customer::Model,
    q: &quote::Model,
    locale: Locale,
    file: Archived,
    staff_id: Option<i32>,
) -> AppResult<()> {
    let number = q.number.clone().unwrap_or_default();
    let name = crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company);
    let amount = crate::ui::format::cents(q.gross_cents, locale);
    let until = crate::ui::format::date(&q.valid_until.to_string(), locale);
    let args = [("name", name.as_str()), ("number", number.as_str()), ("amount", &amount), ("until", &until)];
    let text = crate::mail::templates::render(locale, "quote_sent", &args);
    let cc =
        crate::customers::areas::contacts::service::cc_for(&change.txn, c.id, MailKind::Invoices).await?;
    let mail = crate::mail::outbox::NewMail {
        customer_id: Some(c.id),
        template: "quote_sent".into(),
        kind: MailKind::Invoices,
        to: c.email.trim().to_string(),
        cc,
        subject: text.subject,
        body: text.body,
        staff_id,
        secret: None,
        attachments: vec![Attachment {
            name: format!("{number}.pdf"),
            content_type: "application/pdf".into(),
            size: file.size,
            key: file.key,
            sha256: file.sha256,
        }],
    };
    crate::mail::outbox::enqueue(&change.txn, mail).await?;
    change.touched(crate::mail::AREA);
    change.mail_queued();
    Ok(())
}

/// The archived PDF of a sent quote, checked against its hash; NotFound for a draft.
pub async fn archived(store: &Store, q: &quote::Model) -> AppResult<Vec<u8>> {
    checked(store, q.id, q.pdf_key.as_deref(), q.pdf_sha256.as_deref()).await
}

/// The archived PDF as a download named by the quote's number (404 for a draft).
pub async fn download(store: &Store, q: &quote::Model) -> axum::response::Response {
    use axum::response::IntoResponse;
    match archived(store, q).await {
        Ok(bytes) => {
            let name = format!("{}.pdf", q.number.clone().unwrap_or_default());
            crate::web::download::bytes(bytes, &name, "application/pdf")
        }
        Err(AppError::NotFound) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(_) => crate::web::respond::internal(),
    }
}
