//! Notes on SQLite and PostgreSQL: every edit keeps the previous version with author and time,
//! a stale edit is a conflict, pinned notes join the warnings row, visible ones the portal.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::notes::model::{NoteInput, Priority, Visibility};
use clientdesk::customers::areas::notes::service::{for_portal, list, save};
use clientdesk::customers::service::{profile, seed::seed_customers};
use clientdesk::error::AppError;

fn note(title: &str) -> NoteInput {
    NoteInput {
        title: title.into(),
        body: "Ruft nur vormittags an.".into(),
        priority: Priority::High,
        visibility: Visibility::Hidden,
        ..Default::default()
    }
}

async fn notes_keep_their_versions_and_pinned_ones_show_as_warnings(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 14).await.unwrap();
    let id = save(&t.ctx(), 1, 1, &note("Telefon")).await.unwrap();
    match save(&t.ctx(), 1, 1, &note(" ")).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].field, "title", "{}", t.backend),
        other => panic!("expected validation, got {other:?}"),
    }
    // A priority or visibility outside the choices does not even decode.
    let sent = serde_json::json!({"version": 0, "title": "T", "body": "", "priority": "egal", "visibility": "none", "pinned": false});
    assert!(serde_json::from_value::<NoteInput>(sent).is_err());
    let mut edit = list(&t.db, 1).await.unwrap()[0].input.clone();
    edit.body = "Ruft nur nachmittags an.".into();
    edit.pinned = true;
    edit.visibility = Visibility::Warning;
    save(&t.ctx(), 1, 1, &edit).await.unwrap();
    // The same stale version again: a conflict, nothing lost.
    assert!(matches!(save(&t.ctx(), 1, 1, &edit).await, Err(AppError::Conflict { current_version: 2 })));

    let rows = list(&t.db, 1).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].input.id, Some(id));
    assert_eq!(rows[0].input.body, "Ruft nur nachmittags an.");
    assert_eq!(rows[0].versions.len(), 1);
    assert_eq!(
        (rows[0].versions[0].version, rows[0].versions[0].body.as_str()),
        (1, "Ruft nur vormittags an.")
    );
    assert_eq!(rows[0].versions[0].edited_by, "Anna Albers");

    let warnings = profile(&t.db, 1).await.unwrap().warnings;
    assert!(
        warnings.iter().any(|w| w.key == "warning.pinned_note" && w.args[0].1 == "Telefon"),
        "{}",
        t.backend
    );
    assert!(profile(&t.db, 2).await.unwrap().warnings.iter().all(|w| w.key != "warning.pinned_note"));
    assert_eq!(for_portal(&t.db, 1).await.unwrap()[0].visibility, Visibility::Warning);
    assert!(for_portal(&t.db, 2).await.unwrap().is_empty());
    assert!(matches!(save(&t.ctx(), 1, 2, &edit).await, Err(AppError::NotFound)), "another customer's note");
    t.finish().await;
}
db_test!(notes_keep_their_versions_and_pinned_ones_show_as_warnings);
