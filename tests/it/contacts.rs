//! Contacts on SQLite and PostgreSQL: saved with validation and a version check, recorded field
//! by field in the Verlauf (with undo, also of a removal), CC by mail kind in the outbox, and a
//! contact's own portal login whose rights gate the portal and which ends with the contact.
use crate::common::{self, TestDb};

use clientdesk::customers::areas::contacts::model::{CcKind, ContactInput, PortalRight};
use clientdesk::customers::areas::contacts::service::{cc_for, list, save, set_active};
use clientdesk::customers::areas::history::service::{list as history, undo};
use clientdesk::customers::service::{Actor, seed::seed_customers, today};
use clientdesk::db::entities::portal_login;
use clientdesk::error::AppError;
use clientdesk::mail::model::MailKind;
use common::server::{self, call, client, deliver_mail, login, reset_token, start};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const BASE: &str = "http://127.0.0.1:3000";

fn contact(first: &str, email: &str, cc: &[CcKind]) -> ContactInput {
    ContactInput {
        first_name: first.into(),
        last_name: "Muster".into(),
        email: email.into(),
        language: "de".into(),
        position: "Buchhaltung".into(),
        cc: cc.to_vec(),
        ..Default::default()
    }
}

async fn contacts_are_validated_recorded_and_undoable(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 21).await.unwrap();
    let staff = Actor::Staff(1);
    let bad = ContactInput { email: "erika@".into(), phone: "ruf an".into(), ..contact("", "", &[]) };
    let bad = ContactInput { last_name: String::new(), ..bad };
    match save(&t.ctx(), staff, 1, &bad, BASE).await {
        Err(AppError::Validation(e)) => {
            let mut fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
            fields.sort();
            assert_eq!(fields, ["email", "last_name", "phone"], "{}", t.backend);
        }
        other => panic!("expected validation, got {other:?}"),
    }
    assert!(list(&t.db, 1).await.unwrap().is_empty(), "a refused save changes nothing");
    // A CC kind or right outside the choices does not even decode.
    let mut sent = serde_json::to_value(contact("Erika", "e@x.test", &[])).unwrap();
    sent["cc"] = json!(["spam"]);
    assert!(serde_json::from_value::<ContactInput>(sent.clone()).is_err());
    sent["cc"] = json!([]);
    sent["rights"] = json!(["admin"]);
    assert!(serde_json::from_value::<ContactInput>(sent).is_err());

    let id = save(&t.ctx(), staff, 1, &contact("Erika", " Erika@Muster.TEST ", &[CcKind::Invoices]), BASE)
        .await
        .unwrap();
    let mut edit = list(&t.db, 1).await.unwrap()[0].input.clone();
    assert_eq!(edit.email, "erika@muster.test", "stored trimmed, in lower case");
    edit.phone = "+49 30 1234567".into();
    edit.cc = vec![CcKind::Dunning, CcKind::Invoices];
    save(&t.ctx(), staff, 1, &edit, BASE).await.unwrap();
    assert!(
        matches!(save(&t.ctx(), staff, 1, &edit, BASE).await, Err(AppError::Conflict { current_version: 2 })),
        "a stale edit is a conflict"
    );
    assert!(matches!(save(&t.ctx(), staff, 2, &edit, BASE).await, Err(AppError::NotFound)), "foreign id");

    let changes = history(&t.db, 1, "", 50).await.unwrap();
    let phone = changes.iter().find(|c| c.entity == "contact" && c.field == "phone").unwrap();
    assert_eq!((phone.old_value.as_str(), phone.new_value.as_str()), ("", "+49 30 1234567"));
    assert_eq!(phone.subject.as_deref(), Some("Erika Muster"));
    assert_eq!(phone.actor_name, "Anna Albers");
    let cc = changes.iter().find(|c| c.field == "cc" && c.old_value == "invoices").unwrap();
    assert_eq!(cc.new_value, "invoices,dunning", "kinds kept in a fixed order");

    // Undo the phone change: a reversing change, linked; refused once the field changed again.
    undo(&t.ctx(), 1, 1, phone.id, today(), BASE).await.unwrap();
    assert_eq!(list(&t.db, 1).await.unwrap()[0].input.phone, "");
    let reverted = history(&t.db, 1, "", 50).await.unwrap();
    assert_eq!(reverted[0].reverts, Some(phone.id), "{}", t.backend);
    match undo(&t.ctx(), 1, 1, phone.id, today(), BASE).await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "history.changed_since"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // Removal keeps the row and its history; undo restores it.
    let version = list(&t.db, 1).await.unwrap()[0].input.version;
    set_active(&t.ctx(), staff, 1, (id, version), false, BASE, None).await.unwrap();
    assert!(!list(&t.db, 1).await.unwrap()[0].active);
    assert!(cc_for(&t.db, 1, MailKind::Invoices).await.unwrap().is_empty(), "a removed contact gets no CC");
    let removal = history(&t.db, 1, "", 1).await.unwrap().remove(0);
    assert_eq!((removal.field.as_str(), removal.new_value.as_str()), ("active", "false"));
    undo(&t.ctx(), 1, 1, removal.id, today(), BASE).await.unwrap();
    assert!(list(&t.db, 1).await.unwrap()[0].active, "{}", t.backend);
    t.finish().await;
}
db_test!(contacts_are_validated_recorded_and_undoable);

async fn mail_kinds_reach_the_contacts_who_chose_them_in_cc(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 22).await.unwrap();
    let staff = Actor::Staff(1);
    save(&t.ctx(), staff, 1, &contact("Ina", "ina@x.test", &[CcKind::Invoices]), BASE).await.unwrap();
    save(&t.ctx(), staff, 1, &contact("Alf", "alf@x.test", &[CcKind::All]), BASE).await.unwrap();
    save(&t.ctx(), staff, 1, &contact("Tim", "tim@x.test", &[CcKind::Tickets]), BASE).await.unwrap();
    save(&t.ctx(), staff, 2, &contact("Ola", "ola@x.test", &[CcKind::All]), BASE).await.unwrap();

    let p = clientdesk::customers::areas::emails::compose::preview(
        &t.db,
        1,
        MailKind::Invoices,
        "Rechnung",
        "Text",
    )
    .await
    .unwrap();
    assert_eq!(p.cc, ["ina@x.test", "alf@x.test"], "{}", t.backend);
    let general =
        clientdesk::customers::areas::emails::compose::preview(&t.db, 1, MailKind::General, "Hallo", "Text")
            .await
            .unwrap();
    assert!(general.cc.is_empty(), "general mail goes to the customer only");
    assert!(matches!(
        clientdesk::customers::areas::emails::compose::preview(&t.db, 1, MailKind::System, "x", "y").await,
        Err(AppError::Validation(_))
    ));

    clientdesk::customers::areas::emails::compose::send(
        &t.ctx(),
        1,
        1,
        MailKind::Tickets,
        "Ticket 42",
        "Text",
    )
    .await
    .unwrap();
    let mails = deliver_mail(&t.db).await;
    assert_eq!(mails.len(), 1);
    let cc_line = mails[0].lines().find(|l| l.starts_with("Cc:")).expect("a Cc header");
    assert!(cc_line.contains("alf@x.test") && cc_line.contains("tim@x.test"), "{cc_line}");
    assert!(!cc_line.contains("ina@x.test") && !mails[0].contains("ola@x.test"), "{cc_line}");
    t.finish().await;
}
db_test!(mail_kinds_reach_the_contacts_who_chose_them_in_cc);

async fn a_contact_logs_in_with_its_own_rights_until_it_is_removed(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 23).await.unwrap();
    let srv = start(t.db.clone()).await;
    let staff = login(&srv).await;
    let mut input = contact("Kai", "kai@x.test", &[]);
    input.portal_access = true;
    input.rights = vec![PortalRight::Tickets];
    let saved = call(&staff, &srv.base, "save_contact", json!({"id": 1, "contact": input})).await;
    let contact_id = saved.as_i64().unwrap_or_else(|| panic!("saved: {saved}")) as i32;
    let rows = call(&staff, &srv.base, "customer_contacts", json!({"id": 1})).await;
    assert_eq!(rows[0]["login"], "invited", "{rows}");

    // The invitation arrives in the contact's language; its link sets the password.
    let mails = deliver_mail(&t.db).await;
    assert!(mails[0].contains("To: kai@x.test") && mails[0].contains("Kai Muster"), "{}", mails[0]);
    let token = reset_token(&mails[0]);
    clientdesk::portal::service::reset_password(&t.db, &token, "kai-passwort-1", None).await.unwrap();

    let portal = client(&srv.base);
    let res = portal
        .post(format!("{}/portal/auth/login", srv.base))
        .form(&[("email", "kai@x.test"), ("password", "kai-passwort-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/portal", "{}", t.backend);
    let me = call(&portal, &srv.base, "portal_me", json!({})).await;
    assert_eq!((me["name"].as_str(), me["is_contact"].as_bool()), (Some("Kai Muster"), Some(true)));
    assert_eq!(me["rights"], json!(["tickets"]));
    let refused = call(&portal, &srv.base, "portal_profile", json!({})).await;
    assert_eq!(serde_json::from_value::<AppError>(refused).ok(), Some(AppError::Forbidden));
    // Notes to the customer are about the account: also behind the data right.
    let refused = call(&portal, &srv.base, "portal_notes", json!({})).await;
    assert_eq!(serde_json::from_value::<AppError>(refused).ok(), Some(AppError::Forbidden));

    // Granted the master data, the contact's save is recorded as the contact's.
    let mut edit: ContactInput = serde_json::from_value(rows[0]["input"].clone()).unwrap();
    edit.rights = vec![PortalRight::Data, PortalRight::Tickets];
    call(&staff, &srv.base, "save_contact", json!({"id": 1, "contact": edit})).await;
    let profile = call(&portal, &srv.base, "portal_profile", json!({})).await;
    let mut form = profile["form"].clone();
    form["city"] = json!("Kiel");
    let version = profile["version"].clone();
    let saved = call(&portal, &srv.base, "portal_save", json!({"version": version, "form": form})).await;
    assert_eq!(saved["form"]["city"], "Kiel", "{saved}");
    let city = history(&t.db, 1, "contact", 10).await.unwrap().remove(0);
    assert_eq!((city.field.as_str(), city.actor_name.as_str()), ("city", "Kai Muster"));

    // Removing the contact ends its login at once.
    let rows = call(&staff, &srv.base, "customer_contacts", json!({"id": 1})).await;
    let version = rows[0]["input"]["version"].clone();
    call(&staff, &srv.base, "remove_contact", json!({"id": 1, "contact": contact_id, "version": version}))
        .await;
    let gone = call(&portal, &srv.base, "portal_me", json!({})).await;
    assert_eq!(serde_json::from_value::<AppError>(gone).ok(), Some(AppError::Unauthenticated));
    let login = portal_login::Entity::find()
        .filter(portal_login::Column::ContactId.eq(contact_id))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!login.active, "{}", t.backend);
    drop(srv);
    t.finish().await;
}
db_test!(a_contact_logs_in_with_its_own_rights_until_it_is_removed);
