//! Delivers queued mails: by SMTP when `SMTP_URL` is set (e.g. `smtps://user:pass@host`), else
//! as `<data>/mail/<id>.eml` files. Wakes when a mail is queued and every few seconds anyway,
//! so mails queued by another instance go out too.
use super::outbox::{Take, claim_next, failed, sent};
use crate::db::Db;
use crate::db::entities::mail_outbox;
use crate::error::{AppError, AppResult};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Where the files mails carry are read from.
    store: Option<crate::storage::Store>,
}

impl Mailer {
    pub fn new(transport: Transport, from: &str) -> Result<Mailer, String> {
        let from = from.parse().map_err(|e| format!("CLIENTDESK_MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from, store: None })
    }

    /// The same mailer, reading attachments from `store`.
    pub fn with_store(self, store: crate::storage::Store) -> Mailer {
        Mailer { store: Some(store), ..self }
    }

    /// The files a mail carries, read now: a file gone from the store fails the mail (it is
    /// not sent without what it announces).
    async fn attachments(&self, mail: &mail_outbox::Model) -> Result<Vec<SinglePart>, String> {
        let listed = super::outbox::attachments_of(mail);
        if listed.is_empty() {
            return Ok(Vec::new());
        }
        let store = self.store.as_ref().ok_or("no file store for attachments")?;
        let mut parts = Vec::with_capacity(listed.len());
        for a in listed {
            let bytes = store.read_all(&a.key).await.map_err(|e| format!("attachment {}: {e}", a.name))?;
            let kind = ContentType::parse(&a.content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").map_err(|e| e.to_string())?);
            parts.push(lettre::message::Attachment::new(a.name).body(bytes, kind));
        }
        Ok(parts)
    }

    /// SMTP from `smtp_url`, or files in `<data_dir>/mail`.
    pub fn from_settings(
        smtp_url: Option<&str>,
        data_dir: &std::path::Path,
        from: &str,
    ) -> Result<Mailer, String> {
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SMTP_URL: {e}"))?
                    .build(),
            ),
            None => Transport::Files(data_dir.join("mail")),
        };
        Mailer::new(transport, from)
    }

    fn message(&self, mail: &mail_outbox::Model, attachments: Vec<SinglePart>) -> Result<Message, String> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(mail.to_addr.parse::<Mailbox>().map_err(|e| e.to_string())?)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<outbox-{}@clientdesk>", mail.id)));
        for cc in mail.cc.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            builder = builder.cc(cc.parse::<Mailbox>().map_err(|e| e.to_string())?);
        }
        // 8bit keeps the text readable in the .eml files and in mail sources (links stay whole);
        // every SMTP server of this century speaks 8BITMIME. lettre would choose
        // quoted-printable for any line over 76 characters, so the body is given pre-encoded
        // when it is valid 8bit (CRLF line ends, lines under 998 bytes, no NUL).
        // The link's token goes in only here, into what the recipient gets.
        let body = match &mail.secret {
            Some(secret) => mail.body.replace(crate::mail::REDACTED_TOKEN, secret),
            None => mail.body.clone(),
        };
        let text = body.replace("\r\n", "\n").replace('\n', "\r\n");
        let valid_8bit = !text.contains('\0') && text.split("\r\n").all(|line| line.len() < 998);
        let body = if valid_8bit {
            Body::dangerous_pre_encoded(text.into_bytes(), ContentTransferEncoding::EightBit)
        } else {
            Body::new(text)
        };
        if attachments.is_empty() {
            return builder.header(ContentType::TEXT_PLAIN).body(body).map_err(|e| e.to_string());
        }
        let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body);
        let mixed = attachments.into_iter().fold(MultiPart::mixed().singlepart(text), |m, a| m.singlepart(a));
        builder.multipart(mixed).map_err(|e| e.to_string())
    }

    async fn deliver(&self, mail: &mail_outbox::Model) -> Result<(), String> {
        let attachments = self.attachments(mail).await?;
        let message = self.message(mail, attachments)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| e.to_string())?;
                let path = dir.join(format!("{}.eml", mail.id));
                tokio::fs::write(&path, message.formatted()).await.map_err(|e| e.to_string())
            }
        }
    }

    /// Try to deliver one queued mail; None when the outbox is empty, else the mail's customer.
    pub async fn send_one(&self, db: &Db) -> AppResult<Option<Option<i32>>> {
        let Some(mail) = claim_next(db).await? else { return Ok(None) };
        match self.deliver(&mail).await {
            Ok(()) => sent(db, Take::from(&mail)).await?,
            Err(error) => {
                tracing::warn!(mail = mail.id, %error, "mail delivery failed");
                failed(db, Take::from(&mail), &error).await?;
            }
        }
        Ok(Some(mail.customer_id))
    }

    /// Send until the outbox is empty; returns the customers whose mails changed status.
    pub async fn drain(&self, db: &Db) -> AppResult<Vec<i32>> {
        let mut customers = Vec::new();
        while let Some(customer) = self.send_one(db).await? {
            customers.extend(customer);
        }
        Ok(customers)
    }

    /// The sender task; open E-Mails panels hear of each status change.
    pub fn spawn(
        self,
        db: Db,
        wake: Arc<Notify>,
        live: Arc<crate::live::bus::Bus>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.drain(&db).await {
                    Ok(mut customers) => {
                        customers.sort_unstable();
                        customers.dedup();
                        for id in customers {
                            live.publish(crate::live::LiveEvent::new(id, crate::mail::AREA, "")).await;
                        }
                    }
                    Err(AppError::Internal) => tracing::error!("mail sender: database error"),
                    Err(_) => {}
                }
                let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
            }
        })
    }
}
