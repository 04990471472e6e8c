//! Kontakte on the server: the contacts in the records registry, their fields in the Verlauf
//! (names and undo), and the demo customers' contact persons.
use super::model::{CcKind, ContactInput};
use super::service::{ENTITY, RECORDS, names, save, undo};
use crate::customers::areas::server::{AreaServer, Demo, DemoSeed, HistoryEntity, UndoBy};
use crate::customers::service::Actor;
use crate::db::Db;
use crate::db::entities::change;
use crate::error::AppResult;
use crate::write::Ctx;

pub const SERVER: AreaServer = AreaServer {
    records: &[&RECORDS],
    entities: &[&ContactFields],
    demo: Some(&DemoContacts),
    ..AreaServer::NONE
};

/// Every third demo customer has a bookkeeper who gets invoices and dunning in CC; every sixth
/// also a technician for tickets and products.
struct DemoContacts;

#[async_trait::async_trait]
impl DemoSeed for DemoContacts {
    async fn seed(&self, db: &Db, demo: &Demo) -> AppResult<()> {
        let people = [
            ("ms", "Petra", "Buchner", "Buchhaltung", &[CcKind::Invoices, CcKind::Dunning][..]),
            ("mr", "Tobias", "Technik", "IT", &[CcKind::Tickets, CcKind::Products][..]),
        ];
        for (i, &id) in demo.customers.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
            for (n, (salutation, first, last, position, cc)) in
                people.iter().enumerate().take(1 + usize::from(i % 6 == 0))
            {
                let input = ContactInput {
                    salutation: salutation.to_string(),
                    first_name: first.to_string(),
                    last_name: last.to_string(),
                    email: format!(
                        "{}.{}{i}{n}@demo.clientdesk.test",
                        first.to_lowercase(),
                        last.to_lowercase()
                    ),
                    position: position.to_string(),
                    language: "de".into(),
                    cc: cc.to_vec(),
                    ..Default::default()
                };
                save(
                    &crate::write::Ctx::quiet(db),
                    Actor::Staff(demo.staff_for(i)),
                    id,
                    &input,
                    &demo.base_url,
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// A contact's fields in the Verlauf (`changes.entity` "contact").
struct ContactFields;

#[async_trait::async_trait]
impl HistoryEntity for ContactFields {
    fn entity(&self) -> &'static str {
        ENTITY
    }

    async fn subjects(&self, db: &Db, customer_id: i32) -> AppResult<std::collections::HashMap<i32, String>> {
        names(db, customer_id).await
    }

    async fn undo(&self, ctx: &Ctx, by: UndoBy<'_>, c: &change::Model) -> AppResult<()> {
        undo(ctx, by.staff_id, by.customer_id, c, by.base_url).await
    }
}
