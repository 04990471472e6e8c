//! The area platform on SQLite and PostgreSQL: the sidebar figures of every area come from one
//! statement and count what the customer has.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::notes::model::{NoteInput, Priority, Visibility};
use clientdesk::customers::areas::notes::service::save;
use clientdesk::customers::model::{AreaFigure, FigureKind};
use clientdesk::customers::service::{figures, profile, seed::seed_customers};

fn figure(figures: &[AreaFigure], area: &str) -> i64 {
    let f = figures.iter().find(|f| f.area == area).unwrap_or_else(|| panic!("no figure for {area}"));
    assert_eq!(f.kind, FigureKind::Count);
    f.value
}

async fn sidebar_figures_count_notes_and_mails(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 21).await.unwrap();
    let start = figures(&t.db, 1).await.unwrap();
    assert_eq!((figure(&start, "notes"), figure(&start, "emails")), (0, 0), "{}", t.backend);
    for title in ["Eins", "Zwei", "Drei"] {
        let note = NoteInput {
            title: title.into(),
            priority: Priority::Low,
            visibility: Visibility::Hidden,
            ..Default::default()
        };
        save(&t.ctx(), 1, 1, &note).await.unwrap();
    }
    for _ in 0..2 {
        clientdesk::portal::service::staff_send_reset(&t.ctx(), 1, 1, "http://x").await.unwrap();
    }
    let now = figures(&t.db, 1).await.unwrap();
    assert_eq!((figure(&now, "notes"), figure(&now, "emails")), (3, 2), "{}", t.backend);
    let other = figures(&t.db, 2).await.unwrap();
    assert_eq!((figure(&other, "notes"), figure(&other, "emails")), (0, 0), "another customer's");
    t.finish().await;
}
db_test!(sidebar_figures_count_notes_and_mails);

/// The demo seeding gives the first customers lived-in profiles: history by two staff members,
/// contacts, notes (one pinned), mails in every status, logins with their addresses.
async fn demo_customers_have_lived_in_profiles(t: TestDb) {
    use clientdesk::customers::areas::{contacts, history, ips};
    common::server::add_staff(&t.db).await;
    clientdesk::staff::service::add_staff(&t.db, "sven@x.test", "Sven Support", "lang-genug-1", "support")
        .await
        .unwrap();
    seed_customers(&t.db, 5, 3).await.unwrap();
    let dir = std::env::temp_dir().join(format!("clientdesk-demo-files-{}", std::process::id()));
    let store = clientdesk::storage::Store::local(&dir).unwrap();
    clientdesk::demo::seed_areas(&t.db, "http://127.0.0.1:3000", Some(&store)).await.unwrap();

    let changes = history::service::list(&t.db, 1, "", 50).await.unwrap();
    let people: std::collections::BTreeSet<_> = changes.iter().map(|c| c.actor_name.as_str()).collect();
    assert!(people.len() >= 2, "history by different staff on {}: {people:?}", t.backend);
    assert!(!contacts::service::list(&t.db, 1).await.unwrap().is_empty(), "a contact");
    let notes = clientdesk::customers::areas::notes::service::list(&t.db, 1).await.unwrap();
    assert!(notes.iter().any(|n| n.input.pinned), "a pinned note");
    let mut statuses = std::collections::BTreeSet::new();
    for id in 1..=5 {
        let mails = clientdesk::mail::outbox::for_customer(&t.db, id, 50, false).await.unwrap();
        statuses.extend(mails.into_iter().map(|m| m.status));
    }
    use clientdesk::mail::model::MailStatus;
    assert_eq!(statuses, [MailStatus::Queued, MailStatus::Sent, MailStatus::Failed].into(), "{}", t.backend);
    assert!(ips::service::for_customer(&t.db, 1).await.unwrap().len() >= 2, "login addresses");
    let profile = profile(&t.db, 1).await.unwrap();
    assert!(profile.warnings.iter().any(|w| w.key == "warning.pinned_note"));
    let counts = figures(&t.db, 1).await.unwrap();
    assert!(figure(&counts, "notes") >= 2 && figure(&counts, "emails") >= 2);
    // Demo domains: the endings a shop sells, and the third customer's domains.
    let domains = clientdesk::customers::areas::domains::service::list(&t.db, 3, 1).await.unwrap();
    assert_eq!(domains.rows.len(), 1, "{}", t.backend);
    assert_eq!(domains.rows[0].name, "kunde3-shop.de");
    assert!(clientdesk::catalogue::tlds::active_tlds(&t.db).await.unwrap().contains(&"co.uk".to_string()));
    // Demo files: one for the customer, one internal, both readable from the store.
    let files = clientdesk::customers::areas::files::service::for_portal(&t.db, 1, 1).await.unwrap();
    assert_eq!(files.rows.len(), 1, "{}", t.backend);
    assert_eq!(figure(&counts, "files"), 2);
    let row = clientdesk::customers::areas::files::service::portal_file(
        &t.db,
        1,
        files.rows[0].id,
        clientdesk::customers::service::business_day(),
    )
    .await
    .unwrap();
    assert!(
        String::from_utf8(store.read_all(&row.storage_key).await.unwrap())
            .unwrap()
            .starts_with("Leistung;Preis")
    );
    t.finish().await;
}
db_test!(demo_customers_have_lived_in_profiles);
