//! Einstellungen > Registrare on SQLite and PostgreSQL: a registrar is saved with its module's
//! settings read field by field (a wrong certificate, handle or timeout named, nothing saved),
//! its password sealed and never sent back, an empty password keeping the stored one, an old
//! version refused; "Verbindung testen" logs in at the test suite's EPP registry over TLS and
//! names a refused login without the password; an ending is sold through a registrar chosen on
//! the TLD price list, and an unknown one is refused.
use crate::common::epp::EppServer;
use crate::common::{TestDb, fields_of};
use clientdesk::catalogue::registrar_model::RegistrarInput;
use clientdesk::catalogue::registrars::{choices, page, save, test_connection};
use clientdesk::catalogue::tld_model::TldInput;
use clientdesk::db::entities::registrar;
use clientdesk::error::AppError;
use sea_orm::EntityTrait;

fn field(key: &str, text: &str) -> (String, String) {
    (key.to_string(), text.to_string())
}

async fn registrars_are_kept_with_sealed_passwords_and_tested(t: TestDb) {
    let server = EppServer::start().await;
    let mut input = RegistrarInput {
        name: "Test-Registry".into(),
        module: "epp".into(),
        host: "localhost".into(),
        port: i32::from(server.tls_port),
        username: "clientdesk".into(),
        secret: "s3cret-pw".into(),
        fields: vec![
            field("ca_pem", "kein Zertifikat"),
            field("registrant", "CD"),
            field("timeout_secs", "301"),
            field("tls", "preferred"),
        ],
        active: true,
        ..Default::default()
    };
    assert_eq!(
        fields_of(save(&t.db, &input).await),
        [
            field("settings.tls", "servers.setting_choice_invalid"),
            field("settings.ca_pem", "servers.setting_pem_invalid"),
            field("settings.registrant", "servers.setting_handle_invalid"),
            field("settings.timeout_secs", "servers.setting_seconds_invalid"),
        ]
    );
    // EPP needs the registry's address and our account; an unknown module is named.
    let bare = RegistrarInput { host: " ".into(), username: String::new(), fields: vec![], ..input.clone() };
    assert_eq!(
        fields_of(save(&t.db, &bare).await),
        [field("host", "validation.required"), field("username", "validation.required")]
    );
    let unknown = RegistrarInput { module: "whois".into(), fields: vec![], ..input.clone() };
    assert_eq!(fields_of(save(&t.db, &unknown).await), [field("module", "registrars.module_unknown")]);
    assert!(page(&t.db).await.unwrap().registrars.is_empty(), "nothing saved");

    input.fields = vec![
        field("ca_pem", &server.ca_pem),
        field("registrant", "CD-OWNER-1"),
        field("timeout_secs", "20"),
        field("tls", ""),
    ];
    let id = save(&t.db, &input).await.unwrap();
    let row = registrar::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap();
    assert!(!row.secret.contains("s3cret-pw"), "sealed");
    let settings: serde_json::Value = serde_json::from_str(&row.settings).unwrap();
    assert_eq!(settings["registrant"], "CD-OWNER-1");
    assert_eq!(settings["timeout_secs"], 20);
    assert!(settings.get("tls").is_none(), "empty: the default (TLS)");
    let shown = page(&t.db).await.unwrap();
    assert_eq!(shown.modules, ["epp", "manual"]);
    let listed = &shown.registrars[0];
    assert!(listed.has_secret && listed.input.secret.is_empty(), "never sent back");
    assert!(listed.tlds.is_empty() && listed.domains == 0);

    let answer = test_connection(&t.db, id).await.unwrap();
    assert!(answer.as_ref().is_ok_and(|a| a.contains("logged in")), "{answer:?}");

    // A new name and an empty password: the stored password stays, so the login still works.
    let renamed = RegistrarInput {
        id: Some(id),
        version: 1,
        name: "Registry A".into(),
        secret: String::new(),
        fields: vec![],
        settings: row.settings.clone(),
        ..input.clone()
    };
    save(&t.db, &renamed).await.unwrap();
    assert!(test_connection(&t.db, id).await.unwrap().is_ok(), "password kept");
    assert!(matches!(save(&t.db, &renamed).await, Err(AppError::Conflict { current_version: 2 })));
    let wrong = RegistrarInput { version: 2, secret: "falsch-pw".into(), ..renamed.clone() };
    save(&t.db, &wrong).await.unwrap();
    let refused = test_connection(&t.db, id).await.unwrap().unwrap_err();
    assert!(refused.contains("2200") && !refused.contains("falsch-pw"), "{refused}");

    // A second registrar may not take the name.
    let twin = RegistrarInput { name: "Registry A".into(), module: "manual".into(), ..Default::default() };
    assert_eq!(fields_of(save(&t.db, &twin).await), [field("name", "registrars.name_taken")]);
    let manual = save(
        &t.db,
        &RegistrarInput { name: "Von Hand".into(), module: "manual".into(), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(choices(&t.db).await.unwrap(), [(id, "Registry A".into()), (manual, "Von Hand".into())]);

    // The TLD price list says which registrar an ending goes to.
    let com = TldInput {
        tld: "com".into(),
        active: true,
        terms: true,
        registrar_id: Some(id),
        ..Default::default()
    };
    clientdesk::catalogue::tlds::save(&t.db, &com).await.unwrap();
    let stale = TldInput { tld: "net".into(), registrar_id: Some(999_999), ..com.clone() };
    assert_eq!(
        fields_of(clientdesk::catalogue::tlds::save(&t.db, &stale).await),
        [field("registrar_id", "tld.registrar_unknown")]
    );
    let tld_row = clientdesk::catalogue::tlds::page(&t.db, 1).await.unwrap().rows.remove(0);
    assert_eq!(tld_row.input.registrar_id, Some(id));
    let listed = page(&t.db).await.unwrap().registrars.remove(0);
    assert_eq!(listed.tlds, ["com"]);
    t.finish().await;
}
db_test!(registrars_are_kept_with_sealed_passwords_and_tested);
