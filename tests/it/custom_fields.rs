//! Operator-defined custom fields: definitions are validated, never deleted, and appear in
//! (or, deactivated, vanish from) the customer form. SQLite and PostgreSQL.
use crate::common::TestDb;

use clientdesk::customers::custom_fields::model::CustomFieldInput;
use clientdesk::customers::custom_fields::service;
use clientdesk::customers::model::CustomerForm;
use clientdesk::customers::service::{self as customers, Actor};
use clientdesk::error::AppError;

fn field(key: &str, kind: &str) -> CustomFieldInput {
    CustomFieldInput {
        id: None,
        key: key.into(),
        label_de: "Vertragsart".into(),
        label_en: "Contract type".into(),
        kind: kind.into(),
        options: "Jahresvertrag\n\n Monatsvertrag \n".into(),
        required: false,
        active: true,
    }
}

fn customer() -> CustomerForm {
    CustomerForm {
        last_name: "Albers".into(),
        email: "albers@example.de".into(),
        postcode: "20095".into(),
        city: "Hamburg".into(),
        ..CustomerForm::new_default()
    }
}

async fn definitions_are_validated_and_unique(t: TestDb) {
    let db = &t.db;
    let err = service::save(db, &CustomFieldInput { label_de: String::new(), ..field("Bad Key", "select") })
        .await
        .unwrap_err();
    let fields: Vec<String> = err.field_errors().iter().map(|e| e.field.clone()).collect();
    assert_eq!(fields, vec!["key", "label_de"], "{}", t.backend);
    let err = service::save(db, &CustomFieldInput { options: " \n".into(), ..field("contract", "select") })
        .await
        .unwrap_err();
    assert_eq!(err.field_errors()[0].key, "validation.options_required");

    let id = service::save(db, &field("contract", "select")).await.unwrap();
    let rows = service::list(db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].input.options, "Jahresvertrag\nMonatsvertrag", "{}", t.backend);
    let err = service::save(db, &field("contract", "text")).await.unwrap_err();
    assert_eq!(err.field_errors()[0].key, "validation.field_key_taken");
    assert!(matches!(
        service::save(db, &CustomFieldInput { id: Some(id + 100), ..field("other", "text") }).await,
        Err(AppError::NotFound)
    ));
    t.finish().await;
}
db_test!(definitions_are_validated_and_unique);

async fn a_field_shows_in_the_form_until_deactivated_and_keeps_its_values(t: TestDb) {
    let db = &t.db;
    let id = service::save(db, &field("contract", "select")).await.unwrap();
    let meta = customers::form_meta(db).await.unwrap();
    assert_eq!(meta.custom_fields[0].options, vec!["Jahresvertrag", "Monatsvertrag"], "{}", t.backend);

    let mut form = customer();
    form.custom.insert("contract".into(), "Monatsvertrag".into());
    let cid = customers::create(db, Actor::System, &form, "test", (2026, 11, 27)).await.unwrap();
    assert_eq!(service::list(db).await.unwrap()[0].used_by, 1);

    // A used field keeps its kind and key.
    let err =
        service::save(db, &CustomFieldInput { id: Some(id), ..field("contract", "text") }).await.unwrap_err();
    assert_eq!(err.field_errors()[0].key, "validation.field_kind_used", "{}", t.backend);

    service::save(db, &CustomFieldInput { id: Some(id), active: false, ..field("contract", "select") })
        .await
        .unwrap();
    assert!(customers::form_meta(db).await.unwrap().custom_fields.is_empty());
    assert!(customers::detail(db, cid).await.unwrap().form.custom.is_empty());

    service::save(db, &CustomFieldInput { id: Some(id), ..field("contract", "select") }).await.unwrap();
    let detail = customers::detail(db, cid).await.unwrap();
    assert_eq!(
        detail.form.custom.get("contract").map(String::as_str),
        Some("Monatsvertrag"),
        "{}",
        t.backend
    );
    t.finish().await;
}
db_test!(a_field_shows_in_the_form_until_deactivated_and_keeps_its_values);

async fn saving_a_customer_keeps_values_of_deactivated_fields(t: TestDb) {
    let db = &t.db;
    let id = service::save(db, &field("contract", "select")).await.unwrap();
    let mut form = customer();
    form.custom.insert("contract".into(), "Jahresvertrag".into());
    let cid = customers::create(db, Actor::System, &form, "test", (2026, 11, 27)).await.unwrap();
    service::save(db, &CustomFieldInput { id: Some(id), active: false, ..field("contract", "select") })
        .await
        .unwrap();
    let d = customers::detail(db, cid).await.unwrap();
    let mut changed = d.form.clone();
    changed.city = "Altona".into();
    customers::update(&crate::common::ctx(db), Actor::System, cid, d.version, &changed, (2026, 11, 27))
        .await
        .unwrap();
    service::save(db, &CustomFieldInput { id: Some(id), ..field("contract", "select") }).await.unwrap();
    let d = customers::detail(db, cid).await.unwrap();
    assert_eq!(d.form.custom.get("contract").map(String::as_str), Some("Jahresvertrag"), "{}", t.backend);
    t.finish().await;
}
db_test!(saving_a_customer_keeps_values_of_deactivated_fields);
