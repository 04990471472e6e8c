//! The self-service login of a customer over HTTP: a password set from the mailed link.
use super::server::{call, client, deliver_mail, reset_token};
use serde_json::json;

pub async fn post_form(c: &reqwest::Client, url: String, form: &[(&str, &str)]) -> String {
    let res = c.post(url).form(form).send().await.unwrap();
    assert_eq!(res.status(), 303, "a redirect");
    res.headers()["location"].to_str().unwrap().to_string()
}

/// Staff send the reset mail for customer `id`; returns the token from the delivered mail.
pub async fn send_reset(
    staff: &reqwest::Client,
    base: &str,
    db: &clientdesk::db::Db,
    id: i32,
) -> (String, String) {
    let sent = call(staff, base, "send_password_reset", json!({"id": id})).await;
    let email = sent.as_str().unwrap_or_else(|| panic!("{sent}")).to_string();
    let mails = deliver_mail(db).await;
    let eml = mails.last().expect("a mail").clone();
    assert!(eml.contains(&format!("To: {email}")) || eml.to_lowercase().contains(&email), "{eml}");
    (email, reset_token(&eml))
}

/// Customer `id` with the password "kunden-passwort-1", set through a mailed link; returns a
/// fresh client (not logged in) and the login address.
pub async fn customer_with_password(
    staff: &reqwest::Client,
    base: &str,
    db: &clientdesk::db::Db,
    id: i32,
) -> (reqwest::Client, String) {
    let (email, token) = send_reset(staff, base, db, id).await;
    let c = client(base);
    let to = post_form(
        &c,
        format!("{base}/portal/auth/reset"),
        &[("token", &token), ("password", "kunden-passwort-1"), ("repeat", "kunden-passwort-1")],
    )
    .await;
    assert_eq!(to, "/portal/login?reset=1");
    (c, email)
}

pub async fn login_step(c: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    post_form(c, format!("{base}/portal/auth/login"), &[("email", email), ("password", password)]).await
}
