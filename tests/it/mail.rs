//! The outbox on SQLite and PostgreSQL: written mails with placeholders and preview, resending,
//! delivery into .eml files, and failed SMTP deliveries retried, then marked failed with the reason.
use crate::common::{self, TestDb};
use clientdesk::mail::model::{MailKind, MailStatus};

use clientdesk::customers::areas::emails::compose::{preview, resend, send};
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::mail::outbox::{MAX_ATTEMPTS, for_customer};
use clientdesk::mail::sender::Mailer;
use common::server::{self, deliver_mail};

async fn written_mails_are_previewed_sent_and_resent_as_they_were(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 3, 8).await.unwrap();
    let c = clientdesk::customers::service::detail(&t.db, 2).await.unwrap();
    let p = preview(&t.db, 2, MailKind::General, "Ihre Kundennummer {number}", "Hallo {name},\nalles gut.")
        .await
        .unwrap();
    assert_eq!(p.subject, format!("Ihre Kundennummer {}", c.number), "{}", t.backend);
    assert!(p.body.starts_with(&format!("Hallo {},", c.display_name)));
    assert_eq!(p.to, c.form.email);
    match send(&t.ctx(), 1, 2, MailKind::General, " ", "Text").await {
        Err(AppError::Validation(e)) => assert_eq!(e[0].key, "emails.required"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(for_customer(&t.db, 2, 10, false).await.unwrap().is_empty(), "nothing queued");

    let first =
        send(&t.ctx(), 1, 2, MailKind::General, "Ihre Kundennummer {number}", "Hallo {name},\nalles gut.")
            .await
            .unwrap();
    let again = resend(&t.ctx(), 1, 2, first, "http://x").await.unwrap();
    assert!(
        matches!(resend(&t.ctx(), 1, 3, first, "http://x").await, Err(AppError::NotFound)),
        "another customer's mail"
    );
    let mails = deliver_mail(&t.db).await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails[0].contains("Content-Transfer-Encoding: 8bit") && mails[0].contains("alles gut."),
        "{}",
        mails[0]
    );
    let rows = for_customer(&t.db, 2, 10, false).await.unwrap();
    assert_eq!(rows.iter().map(|m| m.id).collect::<Vec<_>>(), vec![again, first]);
    assert!(rows.iter().all(|m| m.status == MailStatus::Sent && m.body == rows[0].body));
    let kinds: Vec<String> = clientdesk::customers::areas::log::service::for_customer(&t.db, 2, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["mail_resent", "mail_sent"]);
    t.finish().await;
}
db_test!(written_mails_are_previewed_sent_and_resent_as_they_were);

async fn failed_deliveries_are_retried_then_marked_failed_with_the_reason(t: TestDb) {
    server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 9).await.unwrap();
    send(&t.ctx(), 1, 1, MailKind::General, "Test", "Text").await.unwrap();
    // Nothing listens on port 9: every attempt fails.
    let mailer = Mailer::from_settings(
        Some("smtp://127.0.0.1:9"),
        &std::env::temp_dir(),
        "clientdesk <no-reply@clientdesk.invalid>",
    )
    .unwrap();
    for attempt in 1..=MAX_ATTEMPTS {
        assert!(mailer.send_one(&t.db).await.unwrap().is_some(), "attempt {attempt} on {}", t.backend);
        let row = &for_customer(&t.db, 1, 1, false).await.unwrap()[0];
        assert_eq!(row.attempts, attempt);
        assert_eq!(row.status, if attempt < MAX_ATTEMPTS { MailStatus::Queued } else { MailStatus::Failed });
        assert!(!row.last_error.is_empty());
    }
    assert!(mailer.send_one(&t.db).await.unwrap().is_none(), "a failed mail is not tried again");
    t.finish().await;
}
db_test!(failed_deliveries_are_retried_then_marked_failed_with_the_reason);

/// Mails stored before link secrets were kept apart carry usable tokens: the migration that
/// adds the secret column redacts them.
async fn the_migration_redacts_tokens_in_stored_mails(t: TestDb) {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    // Back to before the migration that added the secret column (and the ones after it).
    let names: Vec<String> = migration::Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
    let at = names.iter().position(|n| n == "m20261204_000014_mail_secrets").unwrap();
    migration::Migrator::down(&t.db, Some((names.len() - at) as u32)).await.unwrap();
    let insert = "INSERT INTO mail_outbox (customer_id, template, kind, to_addr, cc, subject, body, status, \
                  attempts, last_error, created_at) VALUES (NULL, 'password_reset', 'system', 'a@x.test', '', \
                  'Link', $1, 'sent', 1, '', $2)";
    let body = "Hallo,\nhttps://x.test/portal/reset?token=0a1b2c3d4e5f\nGruß";
    t.db.execute_raw(clientdesk::db::stmt(&t.db, insert, vec![body.into(), chrono::Utc::now().into()]))
        .await
        .unwrap();
    migration::Migrator::up(&t.db, None).await.unwrap();
    let row = t.db.query_one_raw(clientdesk::db::stmt(&t.db, "SELECT body FROM mail_outbox", vec![])).await;
    let stored: String = row.unwrap().unwrap().try_get("", "body").unwrap();
    assert_eq!(
        stored,
        format!("Hallo,\nhttps://x.test/portal/reset?token={}\nGruß", clientdesk::mail::REDACTED_TOKEN),
        "{}",
        t.backend
    );
    t.finish().await;
}
db_test!(the_migration_redacts_tokens_in_stored_mails);
