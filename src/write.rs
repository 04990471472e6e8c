//! The one write path for a customer's data. `Ctx::begin` opens a transaction whose first
//! statement takes the customer's lock and refuses an erased customer; the service writes in
//! it and says which areas it touched; `Change::commit` commits and only then publishes the
//! live events and wakes the mail sender. A change dropped without commit (any `?` on the way)
//! rolls back and publishes nothing. Server functions never publish by hand.
use crate::db::{Db, stmt};
use crate::error::{AppError, AppResult};
use crate::live::LiveEvent;
use crate::live::bus::Bus;
use crate::live::client::EVERYTHING;
use crate::records::erasure::lock_live;
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};
use std::sync::Arc;
use tokio::sync::Notify;

/// Where a change's effects go after commit, and who makes it (by name, for "… saved meanwhile").
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    live: Option<Arc<Bus>>,
    mail: Option<Arc<Notify>>,
    /// Wakes the provisioning worker.
    jobs: Option<Arc<Notify>>,
    by: String,
    /// Where delivered mails lie as `.eml` files when no SMTP server is configured (they stand
    /// for the recipient's mailbox): an erasure removes the customer's.
    mail_files: Option<Arc<std::path::PathBuf>>,
    /// Where users reach the app, for links in mails a change queues.
    base_url: Arc<str>,
}

impl Ctx {
    pub fn new(db: Db, live: Arc<Bus>, mail: Arc<Notify>, by: &str) -> Ctx {
        Ctx {
            db,
            live: Some(live),
            mail: Some(mail),
            jobs: None,
            by: by.to_string(),
            mail_files: None,
            base_url: Arc::from(""),
        }
    }

    /// No live events and no wake-up (seeding, tests of services): queued mails wait for the
    /// sender's next round.
    pub fn quiet(db: &Db) -> Ctx {
        Ctx {
            db: db.clone(),
            live: None,
            mail: None,
            jobs: None,
            by: String::new(),
            mail_files: None,
            base_url: Arc::from(""),
        }
    }

    /// The same context acting under another name.
    pub fn acting_as(&self, by: &str) -> Ctx {
        Ctx { by: by.to_string(), ..self.clone() }
    }

    /// The same context, knowing the folder of delivered `.eml` files.
    pub fn with_mail_files(self, dir: std::path::PathBuf) -> Ctx {
        Ctx { mail_files: Some(Arc::new(dir)), ..self }
    }

    /// The same context, waking the provisioning worker when a change queues a job.
    pub fn with_jobs(self, jobs: Arc<Notify>) -> Ctx {
        Ctx { jobs: Some(jobs), ..self }
    }

    /// The same context, with the base URL for links in mails.
    pub fn with_base_url(self, base_url: &str) -> Ctx {
        Ctx { base_url: Arc::from(base_url), ..self }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Remove the `.eml` files of these mails, if mails are delivered as files here. A file
    /// that is not there (never delivered, or sent by SMTP) is no error.
    pub fn remove_mail_files(&self, mail_ids: &[i32]) {
        let Some(dir) = &self.mail_files else { return };
        for id in mail_ids {
            let path = dir.join(format!("{id}.eml"));
            if let Err(e) = std::fs::remove_file(&path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(path = %path.display(), error = %e, "could not remove a mail file");
            }
        }
    }

    /// This instance's live bus, for workers that publish outside a change.
    pub fn live(&self) -> Option<&Arc<Bus>> {
        self.live.as_ref()
    }

    pub fn by(&self) -> &str {
        &self.by
    }

    /// Start a change that only appends to the customer's own records (the Log, IP addresses,
    /// sessions): no lock, since an append never conflicts with a save, and no erasure check,
    /// since the caller's own rules refuse what an erased customer may not do.
    pub async fn begin_append(&self, customer_id: i32) -> AppResult<Change<'_>> {
        let txn = crate::db::begin_write(&self.db).await?;
        Ok(self.change(txn, customer_id))
    }

    /// Start a change of two customers (a licence moving between them): both are locked, the
    /// lower id first, so two such changes cannot wait for each other. `first` is the change's
    /// customer; the other's panels are reached with `touched_other`.
    pub async fn begin_pair(&self, first: i32, second: i32) -> AppResult<Change<'_>> {
        let txn = self.db.begin().await?;
        lock_live(&txn, first.min(second)).await?;
        lock_live(&txn, first.max(second)).await?;
        Ok(self.change(txn, first))
    }

    fn change(&self, txn: DatabaseTransaction, customer_id: i32) -> Change<'_> {
        Change { txn, ctx: self, customer_id, events: Vec::new(), mail: false, job: false, rewrites: false }
    }

    /// Start a change of many customers (the billing run's batch): the live ones among `ids`
    /// are locked, lowest id first, and returned; their panels are reached with `touched_other`.
    pub async fn begin_many(&self, ids: &[i32]) -> AppResult<(Change<'_>, Vec<i32>)> {
        let txn = self.db.begin().await?;
        let live = crate::records::erasure::lock_live_many(&txn, ids).await?;
        let change = self.change(txn, live.first().copied().unwrap_or_default());
        Ok((change, live))
    }

    /// Start a change of customer `customer_id`: take its lock (PostgreSQL: the row; SQLite: the
    /// write lock, so no read runs before the write). Refuses an erased or missing customer.
    pub async fn begin(&self, customer_id: i32) -> AppResult<Change<'_>> {
        let txn = self.db.begin().await?;
        lock_live(&txn, customer_id).await?;
        Ok(self.change(txn, customer_id))
    }
}

/// An open change of one customer (and, for a merge, of the duplicate it absorbs).
pub struct Change<'a> {
    pub txn: DatabaseTransaction,
    ctx: &'a Ctx,
    customer_id: i32,
    events: Vec<LiveEvent>,
    mail: bool,
    job: bool,
    /// This change may rewrite append-only history (crate::db::history).
    rewrites: bool,
}

impl Change<'_> {
    pub fn customer_id(&self) -> i32 {
        self.customer_id
    }

    pub fn ctx(&self) -> &Ctx {
        self.ctx
    }

    /// Area `area` of this customer changed: its panel refetches after commit.
    pub fn touched(&mut self, area: &str) {
        self.touched_other(self.customer_id, area);
    }

    /// The master data changed and is now at `version` (an open form compares it with its own).
    pub fn touched_at_version(&mut self, area: &str, version: i64) {
        let event =
            LiveEvent { version: Some(version), ..LiveEvent::new(self.customer_id, area, &self.ctx.by) };
        self.events.retain(|e| !(e.customer_id == event.customer_id && e.area == event.area));
        self.events.push(event);
    }

    /// Area `area` of another customer changed in the same transaction (a merge's duplicate).
    pub fn touched_other(&mut self, customer_id: i32, area: &str) {
        if !self.events.iter().any(|e| e.customer_id == customer_id && e.area == area) {
            self.events.push(LiveEvent::new(customer_id, area, &self.ctx.by));
        }
    }

    /// Everything of this customer may have changed (merge, erasure): every panel refetches.
    pub fn touched_everything(&mut self) {
        self.touched(EVERYTHING);
    }

    /// A mail was queued: the sender wakes after commit instead of at its next round.
    pub fn mail_queued(&mut self) {
        self.mail = true;
    }

    /// A provisioning job was queued: the worker wakes after commit.
    pub fn job_queued(&mut self) {
        self.job = true;
    }

    /// Raise the customer's version from `expected` by one; a different version is a conflict
    /// and the change must not go on (the caller's `?` rolls it back).
    pub async fn claim_version(&self, expected: i64) -> AppResult<()> {
        let sql = "UPDATE customers SET version = version + 1 WHERE id = $1 AND version = $2";
        let claimed = self
            .txn
            .execute_raw(stmt(&self.txn, sql, vec![self.customer_id.into(), expected.into()]))
            .await?;
        if claimed.rows_affected() == 1 {
            return Ok(());
        }
        let row = self
            .txn
            .query_one_raw(stmt(
                &self.txn,
                "SELECT version FROM customers WHERE id = $1",
                vec![self.customer_id.into()],
            ))
            .await?
            .ok_or(AppError::NotFound)?;
        Err(AppError::Conflict { current_version: row.try_get::<i64>("", "version")? })
    }

    /// Commit; then publish what changed and wake the mail sender.
    /// Let this change rewrite the Verlauf and the Log (an erasure, a merge); the grant ends
    /// with the commit.
    pub async fn allow_history_rewrite(&mut self, reason: &str) -> AppResult<()> {
        crate::db::history::allow_rewrite(&self.txn, reason).await?;
        self.rewrites = true;
        Ok(())
    }

    pub async fn commit(self) -> AppResult<()> {
        if self.rewrites {
            crate::db::history::end_rewrite(&self.txn).await?;
        }
        self.txn.commit().await?;
        if let Some(live) = &self.ctx.live {
            live.publish_all(self.events).await;
        }
        if self.mail
            && let Some(mail) = &self.ctx.mail
        {
            mail.notify_one();
        }
        if self.job
            && let Some(jobs) = &self.ctx.jobs
        {
            // Hosting and domain workers wait on the same notifier: wake every waiting one, and
            // leave a permit for a worker busy right now.
            jobs.notify_waiters();
            jobs.notify_one();
        }
        Ok(())
    }
}
