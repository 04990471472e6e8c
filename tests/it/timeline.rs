//! The timeline on SQLite and PostgreSQL: history, log events, notes and mails of a customer in
//! one list, newest first, and each kind on its own.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::notes::model::{NoteInput, Priority, Visibility};
use clientdesk::customers::areas::timeline::service::timeline;
use clientdesk::customers::service::{self, Actor, seed::seed_customers};

async fn history_log_notes_and_mails_merge_in_time_order(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 16).await.unwrap();
    let d = service::detail(&t.db, 1).await.unwrap();
    let mut f = d.form.clone();
    f.city = "Zeitstadt".into();
    service::update(&t.ctx(), Actor::Staff(1), 1, d.version, &f, (2026, 11, 27)).await.unwrap();
    clientdesk::portal::service::staff_send_reset(&t.ctx(), 1, 1, "http://x").await.unwrap();
    let note = NoteInput {
        title: "Rückruf".into(),
        priority: Priority::Low,
        visibility: Visibility::Hidden,
        ..Default::default()
    };
    clientdesk::customers::areas::notes::service::save(&t.ctx(), 1, 1, &note).await.unwrap();

    let all = timeline(&t.db, 1, &["change", "event", "note", "mail"], 50).await.unwrap();
    let kinds: Vec<&str> = all.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"note"), "newest first on {}", t.backend);
    assert_eq!(kinds.last(), Some(&"change"));
    for k in ["change", "event", "note", "mail"] {
        assert!(kinds.contains(&k), "{k} missing on {}", t.backend);
    }
    let times: Vec<_> = all.iter().map(|i| chrono::DateTime::parse_from_rfc3339(&i.at).unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    let mails = timeline(&t.db, 1, &["mail"], 50).await.unwrap();
    assert!(mails.iter().all(|i| i.kind == "mail") && mails.len() == 1);
    assert!(timeline(&t.db, 2, &["change", "event", "note", "mail"], 50).await.unwrap().is_empty());
    t.finish().await;
}
db_test!(history_log_notes_and_mails_merge_in_time_order);
