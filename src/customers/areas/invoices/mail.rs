//! The invoice mail: the archived PDF attached, the invoice contacts in CC, queued in the
//! caller's transaction (after archiving, or again by staff); and reading the archive back,
//! checked against the hash recorded at archiving.
use crate::billing::einvoice_rules::{Address, parse_address};
use crate::db::entities::{customer, invoice};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Locale;
use crate::mail::model::{Attachment, MailKind};
use crate::storage::Store;
use crate::write::Ctx;
use sea_orm::EntityTrait;
use sha2::{Digest, Sha256};

/// Where an invoice's PDF lies, as a mail attaches it.
pub struct Archived {
    pub key: String,
    pub sha256: String,
    pub size: i64,
}

/// Queue the invoice's mail to the customer with the archived PDF (and an XRechnung's XML)
/// attached and the invoice contacts in CC, in `change`'s transaction.
pub async fn queue_mail(
    change: &mut crate::write::Change<'_>,
    c: &customer::Model,
    inv: &invoice::Model,
    locale: Locale,
    file: Archived,
    xml: Option<Archived>,
    staff_id: Option<i32>,
) -> AppResult<()> {
    let customer_id = c.id;
    let number = inv.number.clone().unwrap_or_default();
    let name = crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company);
    let before = crate::billing::stored::original_of(&change.txn, inv).await?;
    let original = before.as_ref().and_then(|o| o.number.clone()).unwrap_or_default();
    let (template, text) = if inv.kind == "cancellation" {
        let args = [("name", name.as_str()), ("number", number.as_str()), ("original", original.as_str())];
        ("cancellation_issued", crate::mail::templates::render(locale, "cancellation_issued", &args))
    } else if inv.kind == "correction" {
        // What the original's payment does not settle is what is still owed.
        let prepaid = crate::billing::stored::prepaid(inv, before.as_ref());
        let owed = crate::ui::format::cents(inv.gross_cents - prepaid, locale);
        let args = [
            ("name", name.as_str()),
            ("number", number.as_str()),
            ("original", original.as_str()),
            ("owed", &owed),
        ];
        ("correction_issued", crate::mail::templates::render(locale, "correction_issued", &args))
    } else {
        let amount = crate::ui::format::cents(inv.gross_cents, locale);
        let due = inv.due_date.map(|d| crate::ui::format::date(&d.to_string(), locale)).unwrap_or_default();
        let args = [("name", name.as_str()), ("number", number.as_str()), ("amount", &amount), ("due", &due)];
        ("invoice_issued", crate::mail::templates::render(locale, "invoice_issued", &args))
    };
    let mut cc =
        crate::customers::areas::contacts::service::cc_for(&change.txn, customer_id, MailKind::Invoices)
            .await?;
    // An XRechnung also goes to the address the customer receives e-invoices at.
    if xml.is_some()
        && let Some(Address::Email(to)) = parse_address(&c.einvoice_address)
        && !to.eq_ignore_ascii_case(c.email.trim())
        && !cc.iter().any(|m| m.eq_ignore_ascii_case(&to))
    {
        cc.push(to);
    }
    let mail = crate::mail::outbox::NewMail {
        customer_id: Some(customer_id),
        template: template.into(),
        kind: MailKind::Invoices,
        to: c.email.trim().to_string(),
        cc,
        subject: text.subject,
        body: text.body,
        staff_id,
        secret: None,
        attachments: std::iter::once(Attachment {
            name: format!("{number}.pdf"),
            content_type: "application/pdf".into(),
            size: file.size,
            key: file.key,
            sha256: file.sha256,
        })
        .chain(xml.map(|x| Attachment {
            name: format!("{number}.xml"),
            content_type: "application/xml".into(),
            size: x.size,
            key: x.key,
            sha256: x.sha256,
        }))
        .collect(),
    };
    crate::mail::outbox::enqueue(&change.txn, mail).await?;
    change.touched(crate::mail::AREA);
    change.mail_queued();
    Ok(())
}

/// "Erneut senden": the archived invoice mailed again, by a staff member (its bytes are checked
/// against the hash first).
pub async fn resend(ctx: &Ctx, store: &Store, customer_id: i32, id: i32, staff_id: i32) -> AppResult<()> {
    let inv = crate::billing::invoices::find(&ctx.db, customer_id, id).await?;
    let (Some(key), Some(sha256)) = (inv.pdf_key.clone(), inv.pdf_sha256.clone()) else {
        return Err(AppError::Validation(vec![FieldError::new("invoice", "invoices.not_archived")]));
    };
    let size = archived(store, &inv).await?.len() as i64;
    let xml = match (inv.einvoice.as_str(), inv.xml_key.clone(), inv.xml_sha256.clone()) {
        ("xrechnung", Some(key), Some(sha256)) => {
            let size = archived_xml(store, &inv).await?.len() as i64;
            Some(Archived { key, sha256, size })
        }
        _ => None,
    };
    let mut change = ctx.begin(customer_id).await?;
    let c = customer::Entity::find_by_id(customer_id).one(&change.txn).await?.ok_or(AppError::NotFound)?;
    if c.email.trim().is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("invoice", "invoices.no_email")]));
    }
    let locale = Locale::from_code(&c.language).unwrap_or_default();
    queue_mail(&mut change, &c, &inv, locale, Archived { key, sha256, size }, xml, Some(staff_id)).await?;
    change.commit().await
}

/// The archived PDF of an invoice, exactly as archived: refused when the stored bytes do not
/// match the hash recorded at archiving.
pub async fn archived(store: &Store, inv: &invoice::Model) -> AppResult<Vec<u8>> {
    checked(store, inv.id, inv.pdf_key.as_deref(), inv.pdf_sha256.as_deref()).await
}

/// The archived e-invoice XML of an invoice, checked like the PDF; NotFound when it has none.
pub async fn archived_xml(store: &Store, inv: &invoice::Model) -> AppResult<Vec<u8>> {
    checked(store, inv.id, inv.xml_key.as_deref(), inv.xml_sha256.as_deref()).await
}

pub async fn checked(store: &Store, id: i32, key: Option<&str>, sha: Option<&str>) -> AppResult<Vec<u8>> {
    let (Some(key), Some(sha)) = (key, sha) else { return Err(AppError::NotFound) };
    let bytes = store.read_all(key).await.map_err(|_| AppError::NotFound)?;
    if hex::encode(Sha256::digest(&bytes)) != sha {
        tracing::error!(invoice = id, key, "archived invoice file does not match its hash");
        return Err(AppError::Internal);
    }
    Ok(bytes)
}
