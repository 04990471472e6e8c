//! Staff members and roles on SQLite and PostgreSQL: built-in roles, operator-defined roles,
//! and the rule that someone active can always still manage staff.
use crate::common::TestDb;

use clientdesk::auth::Permission;
use clientdesk::auth::service::{create_session, resolve_session};
use clientdesk::error::AppError;
use clientdesk::staff::model::{RoleInput, StaffChange};
use clientdesk::staff::service::*;

fn field_of(err: AppError) -> String {
    match err {
        AppError::Validation(errors) => format!("{}:{}", errors[0].field, errors[0].key),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn built_in_roles_give_their_permissions(t: TestDb) {
    let roles = list_roles(&t.db).await.unwrap();
    let keys: Vec<&str> = roles.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["administrator", "support", "accounting", "readonly"], "{}", t.backend);
    let reader = add_staff(&t.db, "r@x.test", "Rita Reader", "lang-genug-123", "readonly").await.unwrap();
    let token = create_session(&t.db, reader, None, None).await.unwrap();
    let me = resolve_session(&t.db, &token).await.unwrap().expect("a live session");
    assert_eq!(
        me.permissions,
        vec![
            Permission::CustomersView,
            Permission::LogView,
            Permission::EmailsView,
            Permission::HistoryView,
            Permission::NotesView,
            Permission::IpsView,
            Permission::SessionsView,
            Permission::ProductsView,
            Permission::ProjectsView,
            Permission::FilesView,
            Permission::DomainsView,
            Permission::BillingView,
            Permission::ResellerView
        ]
    );
    assert_eq!(me.role_name, "Nur lesen");
    assert!(!me.can(Permission::CustomersEdit));
    // Unknown role, short password: refused, nothing added.
    assert_eq!(
        field_of(add_staff(&t.db, "x@x.test", "X", "lang-genug-123", "boss").await.unwrap_err()),
        "role_id:validation.required"
    );
    assert_eq!(
        field_of(add_staff(&t.db, "y@x.test", "Y", "kurz", "support").await.unwrap_err()),
        "password:validation.password_short"
    );
    assert_eq!(list_staff(&t.db).await.unwrap().len(), 1);
    t.finish().await;
}
db_test!(built_in_roles_give_their_permissions);

async fn operator_roles_are_named_and_given_permissions(t: TestDb) {
    add_staff(&t.db, "a@x.test", "Admin", "lang-genug-123", "administrator").await.unwrap();
    let id = save_role(
        &t.db,
        &RoleInput {
            id: None,
            name: "Felder".into(),
            permissions: vec![Permission::SettingsFields, Permission::SettingsFields],
        },
    )
    .await
    .unwrap();
    let member = add_staff(&t.db, "f@x.test", "Fritz", "lang-genug-123", "role-1").await.unwrap();
    let token = create_session(&t.db, member, None, None).await.unwrap();
    let me = resolve_session(&t.db, &token).await.unwrap().unwrap();
    assert_eq!(me.permissions, vec![Permission::SettingsFields], "{}", t.backend);

    // A name that exists already, an empty name, a built-in role: refused.
    let clash = RoleInput { id: None, name: "felder".into(), permissions: vec![] };
    assert_eq!(field_of(save_role(&t.db, &clash).await.unwrap_err()), "name:staff.role_name_taken");
    let empty = RoleInput { id: Some(id), name: " ".into(), permissions: vec![] };
    assert_eq!(field_of(save_role(&t.db, &empty).await.unwrap_err()), "name:validation.required");
    let admin_role = list_roles(&t.db).await.unwrap()[0].id;
    let builtin = RoleInput { id: Some(admin_role), name: "Chef".into(), permissions: vec![] };
    assert_eq!(field_of(save_role(&t.db, &builtin).await.unwrap_err()), "name:staff.role_builtin");

    // Changing the role changes what its members may do on their next request.
    save_role(
        &t.db,
        &RoleInput { id: Some(id), name: "Leser+".into(), permissions: vec![Permission::CustomersView] },
    )
    .await
    .unwrap();
    let me = resolve_session(&t.db, &token).await.unwrap().unwrap();
    assert_eq!((me.role_name.as_str(), me.permissions), ("Leser+", vec![Permission::CustomersView]));
    let row = list_roles(&t.db).await.unwrap().into_iter().find(|r| r.id == id).unwrap();
    assert_eq!(row.members, 1);
    t.finish().await;
}
db_test!(operator_roles_are_named_and_given_permissions);

async fn someone_active_can_always_manage_staff(t: TestDb) {
    let admin = add_staff(&t.db, "a@x.test", "Admin", "lang-genug-123", "administrator").await.unwrap();
    let roles = list_roles(&t.db).await.unwrap();
    let role = |key: &str| roles.iter().find(|r| r.key == key).unwrap().id;
    // Nobody deactivates themselves; the only administrator cannot become support.
    let err =
        change_staff(&t.db, admin, &StaffChange { id: admin, role_id: role("administrator"), active: false })
            .await;
    assert_eq!(field_of(err.unwrap_err()), "active:staff.not_yourself", "{}", t.backend);
    let err =
        change_staff(&t.db, admin, &StaffChange { id: admin, role_id: role("support"), active: true }).await;
    assert_eq!(field_of(err.unwrap_err()), "role_id:staff.last_manager");
    let rows = list_staff(&t.db).await.unwrap();
    assert_eq!(rows[0].role_id, Some(role("administrator")), "the refused change rolled back");

    // A custom role that manages staff keeps the office open; taking that away is refused.
    let keeper = save_role(
        &t.db,
        &RoleInput { id: None, name: "Personal".into(), permissions: vec![Permission::ManageStaff] },
    )
    .await
    .unwrap();
    let other = add_staff(&t.db, "p@x.test", "Paula", "lang-genug-123", "role-1").await.unwrap();
    change_staff(&t.db, other, &StaffChange { id: admin, role_id: role("readonly"), active: true })
        .await
        .unwrap();
    let err =
        save_role(&t.db, &RoleInput { id: Some(keeper), name: "Personal".into(), permissions: vec![] }).await;
    assert_eq!(field_of(err.unwrap_err()), "permissions:staff.last_manager");

    // Deactivation ends the member's sessions at once.
    let token = create_session(&t.db, admin, None, None).await.unwrap();
    assert!(resolve_session(&t.db, &token).await.unwrap().is_some());
    change_staff(&t.db, other, &StaffChange { id: admin, role_id: role("readonly"), active: false })
        .await
        .unwrap();
    assert!(resolve_session(&t.db, &token).await.unwrap().is_none());
    change_staff(&t.db, other, &StaffChange { id: admin, role_id: role("readonly"), active: true })
        .await
        .unwrap();
    assert!(resolve_session(&t.db, &token).await.unwrap().is_none(), "reactivation does not revive sessions");

    // "Log out everywhere".
    let a = create_session(&t.db, admin, None, None).await.unwrap();
    let _b = create_session(&t.db, admin, None, None).await.unwrap();
    assert_eq!(list_staff(&t.db).await.unwrap().iter().find(|s| s.id == admin).unwrap().sessions, 2);
    assert_eq!(end_staff_sessions(&t.db, admin).await.unwrap(), 2);
    assert!(resolve_session(&t.db, &a).await.unwrap().is_none());
    t.finish().await;
}
db_test!(someone_active_can_always_manage_staff);
