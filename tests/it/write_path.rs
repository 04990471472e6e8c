//! The one write path: a committed change publishes the areas it touched (only after commit)
//! and wakes the mail sender when it queued mail; a change that fails on the way writes and
//! publishes nothing; an erased customer cannot be changed at all.
use crate::common::TestDb;
use clientdesk::customers::areas::notes::model::{NoteInput, Priority, Visibility};
use clientdesk::customers::areas::notes::service::{list, save};
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::live::LiveEvent;
use clientdesk::live::bus::Bus;
use clientdesk::write::Ctx;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// The next event of the bus, or `None` when none comes within a second. On PostgreSQL the bus
/// says "resync" once its listener is connected; that is not a change.
async fn next(rx: &mut broadcast::Receiver<Arc<LiveEvent>>) -> Option<LiveEvent> {
    loop {
        match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            Ok(Ok(e)) if e.area == "resync" => continue,
            Ok(Ok(e)) => return Some((*e).clone()),
            _ => return None,
        }
    }
}

fn note(title: &str) -> NoteInput {
    NoteInput {
        title: title.into(),
        priority: Priority::Medium,
        visibility: Visibility::Hidden,
        ..Default::default()
    }
}

/// A bus on the test database and a receiver that hears every event from now on.
async fn listening(t: &TestDb) -> (Arc<Bus>, broadcast::Receiver<Arc<LiveEvent>>) {
    let bus = Bus::new(t.db.clone());
    let mut rx = bus.subscribe();
    if t.backend == "postgres" {
        // Wait until the listener is connected, or the first notification could be missed. At the
        // end of a full run on two busy cores its connection has taken over 10 s.
        let ready = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.unwrap().unwrap();
        assert_eq!(ready.area, "resync");
    }
    (bus, rx)
}

async fn a_change_publishes_after_commit_and_a_failed_one_nothing(t: TestDb) {
    seed_customers(&t.db, 2, 1).await.unwrap();
    let (bus, mut rx) = listening(&t).await;
    let wake = Arc::new(Notify::new());
    let ctx = Ctx::new(t.db.clone(), bus.clone(), wake.clone(), "Anna Admin");

    let id = save(&ctx, 1, 1, &note("Rückruf")).await.unwrap();
    let event = next(&mut rx).await.expect("the save's event");
    assert_eq!((event.customer_id, event.area.as_str(), event.by.as_str()), (1, "notes", "Anna Admin"));
    assert_eq!(next(&mut rx).await, None, "one event per change");

    // A stale edit is refused: nothing written, nothing published.
    let stale = NoteInput { id: Some(id), version: 0, ..note("Anders") };
    assert!(matches!(save(&ctx, 1, 1, &stale).await, Err(AppError::Conflict { current_version: 1 })));
    assert_eq!(next(&mut rx).await, None, "a failed change publishes nothing");
    assert_eq!(list(&t.db, 1).await.unwrap()[0].input.title, "Rückruf");

    // A change dropped without commit rolls back and publishes nothing.
    {
        let mut change = ctx.begin(2).await.unwrap();
        change.touched("notes");
        change.mail_queued();
    }
    assert_eq!(next(&mut rx).await, None);
    let woken = tokio::time::timeout(Duration::from_millis(200), wake.notified()).await;
    assert!(woken.is_err(), "no wake-up without a commit");

    // A committed change that queued mail wakes the sender.
    let mut change = ctx.begin(2).await.unwrap();
    change.touched("emails");
    change.mail_queued();
    change.commit().await.unwrap();
    assert_eq!(next(&mut rx).await.map(|e| (e.customer_id, e.area)), Some((2, "emails".to_string())));
    tokio::time::timeout(Duration::from_secs(1), wake.notified()).await.expect("the sender wakes");

    // An unknown customer cannot be changed.
    assert!(matches!(ctx.begin(999_999).await.err(), Some(AppError::NotFound)));
}
db_test!(a_change_publishes_after_commit_and_a_failed_one_nothing);

async fn an_outright_delete_refreshes_the_profiles_that_lose_their_reseller(t: TestDb) {
    use clientdesk::customers::areas::{data, erase::service::erase, history};
    use clientdesk::records::{model::ErasureRequest, progress::Progress};
    use sea_orm::ConnectionTrait;
    crate::common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 2).await.unwrap();
    let sql = "UPDATE customers SET reseller_id = 1 WHERE id = 3";
    t.db.execute_raw(clientdesk::db::stmt(&t.db, sql, vec![])).await.unwrap();
    let (bus, mut rx) = listening(&t).await;
    let ctx = Ctx::new(t.db.clone(), bus, Arc::new(Notify::new()), "Anna Admin");
    let version = clientdesk::customers::service::detail(&t.db, 1).await.unwrap().version;
    let request =
        ErasureRequest { customer_id: 1, version, request_ref: "Ticket 1".into(), hard_delete: true };
    assert_eq!(erase(&ctx, 1, &request, &Progress::none()).await.unwrap().outcome, "hard_deleted");
    let mut seen = Vec::new();
    while let Some(e) = next(&mut rx).await {
        seen.push((e.customer_id, e.area));
    }
    for expected in [
        (1, clientdesk::live::client::EVERYTHING.to_string()),
        (3, data::AREA.slug.to_string()),
        (3, history::AREA.slug.to_string()),
    ] {
        assert!(seen.contains(&expected), "{expected:?} in {seen:?} on {}", t.backend);
    }
}
db_test!(an_outright_delete_refreshes_the_profiles_that_lose_their_reseller);
