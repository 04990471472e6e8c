//! The server's half of an area definition: what it stores about a customer (records registry),
//! the Verlauf entities it can undo, its timeline source, its warnings and its sidebar figure.
//! Each part is optional; the registry reads them in area order.
use super::timeline::model::TimelineItem;
use crate::customers::model::{CustomerDetail, Warning};
use crate::customers::validate::Ymd;
use crate::db::Db;
use crate::db::entities::change;
use crate::error::AppResult;
use crate::records::registry::CustomerRecords;
use sea_orm::DatabaseTransaction;
use std::collections::HashMap;

#[derive(Clone, Copy)]
pub struct AreaServer {
    /// Its tables in the records registry (Art. 15 report, merge, erasure, retention).
    pub records: &'static [&'static dyn CustomerRecords],
    /// The Verlauf entities it owns: their subjects and their undo.
    pub entities: &'static [&'static dyn HistoryEntity],
    /// What it adds to the Zeitleiste (the client's `AreaDef::timeline` names the kind).
    pub timeline: Option<&'static dyn TimelineSource>,
    /// What it adds to the warnings row of the profile header.
    pub warnings: Option<&'static dyn WarningSource>,
    /// The figure beside its name in the sidebar.
    pub figure: Option<Figure>,
    /// What it gives the demo customers, so that `make run` opens lived-in profiles.
    pub demo: Option<&'static dyn DemoSeed>,
}

impl AreaServer {
    /// An area that stores nothing and adds nothing (a view over other areas' data).
    pub const NONE: AreaServer =
        AreaServer { records: &[], entities: &[], timeline: None, warnings: None, figure: None, demo: None };
}

/// The figure beside an area's name: one scalar SQL expression over the customer (`$1`). All
/// areas' figures of a profile are read in one statement, whatever their number.
#[derive(Clone, Copy, Debug)]
pub struct Figure {
    /// A scalar subquery, e.g. `SELECT COUNT(*) FROM notes WHERE customer_id = $1`.
    pub sql: &'static str,
    pub kind: crate::customers::model::FigureKind,
}

/// Who undoes a change, and the context a save needs.
#[derive(Clone, Copy, Debug)]
pub struct UndoBy<'a> {
    pub staff_id: i32,
    pub customer_id: i32,
    pub today: Ymd,
    pub base_url: &'a str,
}

/// One kind of record whose field changes the Verlauf holds (`changes.entity`).
#[async_trait::async_trait]
pub trait HistoryEntity: Send + Sync {
    /// The `changes.entity` value; never renamed once landed.
    fn entity(&self) -> &'static str;

    /// The names of this entity's records of the customer (record id → name), for the Verlauf
    /// to say whose field changed. None by default (the customer's own fields).
    async fn subjects(&self, _db: &Db, _customer_id: i32) -> AppResult<HashMap<i32, String>> {
        Ok(HashMap::new())
    }

    /// Undo `change` through the entity's normal save path, recording a change that reverts it.
    /// Refused when the field changed again since.
    async fn undo(&self, ctx: &crate::write::Ctx, by: UndoBy<'_>, change: &change::Model) -> AppResult<()>;
}

/// An area's entries of the customer's timeline, newest first, at most `limit`.
#[async_trait::async_trait]
pub trait TimelineSource: Send + Sync {
    async fn items(&self, db: &Db, customer_id: i32, limit: u64) -> AppResult<Vec<TimelineItem>>;
}

/// An area's entries in the warnings row of the profile header, read in the profile's
/// transaction (which may be a save's).
#[async_trait::async_trait]
pub trait WarningSource: Send + Sync {
    async fn warnings(&self, txn: &DatabaseTransaction, customer: &CustomerDetail)
    -> AppResult<Vec<Warning>>;
}

/// The demo customers and staff that areas give their demo data to (only when demo data is
/// switched on). Each area seeds through its own services, deterministically: what a customer
/// gets depends on its position in `customers` only.
pub struct Demo {
    pub customers: Vec<i32>,
    /// Staff ids, so the Verlauf and notes show different people at work.
    pub staff: Vec<i32>,
    pub base_url: String,
    /// Where demo files go; None seeds no files.
    pub store: Option<crate::storage::Store>,
}

impl Demo {
    /// The staff member who acts on the `i`-th customer.
    pub fn staff_for(&self, i: usize) -> i32 {
        self.staff[i % self.staff.len()]
    }
}

#[async_trait::async_trait]
pub trait DemoSeed: Send + Sync {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()>;
}
