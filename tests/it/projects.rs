//! Projekte on SQLite and PostgreSQL: version-checked saves in the Verlauf (and undone through
//! it), tasks in a dense order through adds and moves, time entries within a day, overdue
//! projects in the warnings row.
use crate::common::{self, TestDb};
use clientdesk::customers::areas::history::service::{list as history, undo};
use clientdesk::customers::areas::projects::model::{ProjectInput, ProjectStatus, TimeInput};
use clientdesk::customers::areas::projects::service::*;
use clientdesk::customers::service::{Actor, profile, seed::seed_customers, today as ymd};
use clientdesk::error::AppError;

fn key_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn projects_keep_their_history_order_and_time(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 31).await.unwrap();
    let staff = Actor::Staff(1);
    let input = ProjectInput {
        name: "Shop-Umzug".into(),
        staff_id: Some(1),
        due_on: "2020-01-31".into(),
        status: ProjectStatus::InProgress,
        fee: "1.250,5".into(),
        ..Default::default()
    };
    assert_eq!(
        key_of(save(&t.ctx(), staff, 1, &ProjectInput { fee: "viel".into(), ..input.clone() }).await),
        "projects.fee_invalid"
    );
    assert_eq!(
        key_of(save(&t.ctx(), staff, 1, &ProjectInput { staff_id: Some(999), ..input.clone() }).await),
        "projects.staff_unknown"
    );
    let id = save(&t.ctx(), staff, 1, &input).await.unwrap();
    let page = list(&t.db, 1, 1).await.unwrap();
    let row = &page.rows[0];
    assert_eq!(
        (row.input.fee.as_str(), row.staff_name.as_deref()),
        ("1250,50", Some("Anna Albers")),
        "cents kept exactly"
    );
    assert!(row.overdue, "open and due in 2020");
    let warnings = profile(&t.db, 1).await.unwrap().warnings;
    assert!(
        warnings.iter().any(|w| w.key == "warning.project_overdue" && w.args[0].1 == "Shop-Umzug"),
        "{}",
        t.backend
    );

    // Done: no longer overdue, no longer a warning; a stale save is a conflict.
    let mut done = row.input.clone();
    done.status = ProjectStatus::Done;
    save(&t.ctx(), staff, 1, &done).await.unwrap();
    assert!(matches!(save(&t.ctx(), staff, 1, &done).await, Err(AppError::Conflict { current_version: 2 })));
    assert!(!list(&t.db, 1, 1).await.unwrap().rows[0].overdue);
    assert!(profile(&t.db, 1).await.unwrap().warnings.iter().all(|w| w.key != "warning.project_overdue"));
    assert!(
        matches!(save(&t.ctx(), staff, 2, &done).await, Err(AppError::NotFound)),
        "another customer's project"
    );

    // The Verlauf names the project; undo reopens it.
    let changes = history(&t.db, 1, "", 50).await.unwrap();
    let status = changes
        .iter()
        .find(|c| c.entity == "project" && c.field == "status" && c.new_value == "done")
        .unwrap();
    assert_eq!(status.subject.as_deref(), Some("Shop-Umzug"));
    undo(&t.ctx(), 1, 1, status.id, ymd(), "").await.unwrap();
    assert_eq!(list(&t.db, 1, 1).await.unwrap().rows[0].input.status, ProjectStatus::InProgress);

    // Tasks: added at the end, moved without gaps, ticked off.
    let a = add_task(&t.ctx(), 1, id, "Daten sichern").await.unwrap();
    let b = add_task(&t.ctx(), 1, id, "DNS umstellen").await.unwrap();
    let c = add_task(&t.ctx(), 1, id, "Abnahme").await.unwrap();
    assert_eq!(key_of(add_task(&t.ctx(), 1, id, " ").await), "validation.required");
    move_task(&t.ctx(), 1, c, true).await.unwrap();
    move_task(&t.ctx(), 1, a, true).await.unwrap(); // already first: stays
    move_task(&t.ctx(), 1, a, false).await.unwrap();
    set_task_done(&t.ctx(), 1, b, true).await.unwrap();
    let d = detail(&t.db, 1, id).await.unwrap();
    let order: Vec<(&str, bool)> = d.tasks.iter().map(|t| (t.title.as_str(), t.done)).collect();
    assert_eq!(
        order,
        [("Abnahme", false), ("Daten sichern", false), ("DNS umstellen", true)],
        "{}",
        t.backend
    );
    assert!(matches!(move_task(&t.ctx(), 2, a, true).await, Err(AppError::NotFound)));

    // Time: 1 to 1,440 minutes; removed until billed.
    let day = |minutes| TimeInput { worked_on: "2026-12-01".into(), minutes, note: "Umzug".into() };
    assert_eq!(key_of(add_time(&t.ctx(), 1, 1, id, &day(0)).await), "projects.minutes_range");
    assert_eq!(key_of(add_time(&t.ctx(), 1, 1, id, &day(1_441)).await), "projects.minutes_range");
    let full = add_time(&t.ctx(), 1, 1, id, &day(1_440)).await.unwrap();
    let short = add_time(&t.ctx(), 1, 1, id, &day(1)).await.unwrap();
    assert_eq!(list(&t.db, 1, 1).await.unwrap().rows[0].minutes, 1_441);
    remove_time(&t.ctx(), 1, short).await.unwrap();
    let d = detail(&t.db, 1, id).await.unwrap();
    assert_eq!((d.time.len(), d.time[0].id, d.row.tasks_total, d.row.tasks_done), (1, full, 3, 1));
    assert!(matches!(remove_time(&t.ctx(), 2, full).await, Err(AppError::NotFound)));
    t.finish().await;
}
db_test!(projects_keep_their_history_order_and_time);
