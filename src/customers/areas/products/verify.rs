//! The licence check the licensed software calls (`GET /api/licences/verify`): is this key valid
//! for this product on this host? Every answer about a known product is signed with the
//! product's Ed25519 key over the exact payload text, refusals too, so a fake server cannot say
//! "valid" and a tampered answer fails. The first hosts a licence is checked from are bound to
//! it, up to the product's limit; further hosts are refused until staff reset the bindings.
use super::model::LicenceStatus;
use crate::db::entities::{customer, licence, licence_binding, product};
use crate::error::AppResult;
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use chrono::{Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// What the software sends.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub path: String,
    /// Echoed in the signed answer, so an old answer cannot be replayed.
    #[serde(default)]
    pub nonce: String,
}

/// The signed payload. `valid` is true only with reason "ok".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    pub v: u32,
    pub valid: bool,
    /// ok | unknown | in_progress | locked | cancelled | bound_elsewhere
    pub reason: String,
    pub product: String,
    pub key: String,
    pub host: String,
    pub path: String,
    /// The licensee's customer number ("" for an unknown key).
    pub licensee: String,
    pub current_version: String,
    pub updates_until: String,
    pub issued_at: String,
    /// Until when the software may rely on this answer without asking again.
    pub valid_until: String,
    pub nonce: String,
}

/// The answer: the payload as sent and its signature (hex) over those exact bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub payload: String,
    pub signature: String,
    pub alg: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The request itself is wrong (which part): nothing is looked up.
    Malformed(&'static str),
    /// No such product: there is no key to sign with.
    UnknownProduct,
    Answer(Signed),
}

/// How often a known binding's "last seen" is written at most (spares the write lock).
const TOUCH_EVERY: Duration = Duration::minutes(10);
/// How long the software may trust an answer.
const ANSWER_VALID: Duration = Duration::days(7);

/// The host as bound: lower case, no port, no trailing dot; a host name or an IP address.
fn normal_host(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
        return Some(ip.to_string());
    }
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.parse::<u16>().is_ok())
        .map_or(host.as_str(), |(h, _)| h);
    let host = host.trim_end_matches('.');
    (crate::customers::validate::hostname_valid(host) || host == "localhost").then(|| host.to_string())
}

fn check_query(q: &VerifyQuery) -> Result<(String, String, String), &'static str> {
    let key = crate::licensing::key::parse(&q.key).ok_or("key")?;
    let host = normal_host(&q.host).ok_or("host")?;
    let path = q.path.trim().to_string();
    if crate::text::problem("path", &path, 500, crate::text::Lines::One).is_some() {
        return Err("path");
    }
    if q.nonce.len() > 100 || !q.nonce.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("nonce");
    }
    Ok((key, host, path))
}

/// Answer one check from address `ip`.
pub async fn verify(ctx: &Ctx, q: &VerifyQuery, ip: &str) -> AppResult<Outcome> {
    let (key, host, path) = match check_query(q) {
        Ok(parts) => parts,
        Err(part) => return Ok(Outcome::Malformed(part)),
    };
    let Some(product) =
        product::Entity::find().filter(product::Column::Slug.eq(q.product.trim())).one(&ctx.db).await?
    else {
        return Ok(Outcome::UnknownProduct);
    };
    let now = Utc::now();
    let mut payload = Payload {
        v: 1,
        valid: false,
        reason: "unknown".into(),
        product: product.slug.clone(),
        key: key.clone(),
        host: host.clone(),
        path: path.clone(),
        licensee: String::new(),
        current_version: String::new(),
        updates_until: String::new(),
        issued_at: now.to_rfc3339(),
        valid_until: (now + ANSWER_VALID).to_rfc3339(),
        nonce: q.nonce.clone(),
    };
    let found = licence::Entity::find()
        .filter(licence::Column::KeyNorm.eq(&key))
        .filter(licence::Column::ProductId.eq(product.id))
        .one(&ctx.db)
        .await?;
    if let Some(l) = found {
        payload.licensee = customer::Entity::find_by_id(l.customer_id)
            .one(&ctx.db)
            .await?
            .map(|c| c.number)
            .unwrap_or_default();
        payload.current_version = l.current_version.clone();
        payload.updates_until = if l.update_service {
            l.updates_until.map(|d| d.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        payload.reason = if l.status != LicenceStatus::Active.as_str() {
            l.status.clone()
        } else if bind(ctx, &l, product.max_bindings, &host, &path, ip).await? {
            "ok".into()
        } else {
            "bound_elsewhere".into()
        };
        payload.valid = payload.reason == "ok";
    }
    let text = serde_json::to_string(&payload).map_err(|_| crate::error::AppError::Internal)?;
    let signature = crate::licensing::sign::sign(&product.signing_key, text.as_bytes())?;
    Ok(Outcome::Answer(Signed { payload: text, signature: hex::encode(signature), alg: "Ed25519".into() }))
}

/// Is the licence bound to this host and path (binding it now if there is room)?
async fn bind(ctx: &Ctx, l: &licence::Model, max: i32, host: &str, path: &str, ip: &str) -> AppResult<bool> {
    let now = Utc::now();
    let known = licence_binding::Entity::find()
        .filter(licence_binding::Column::LicenceId.eq(l.id))
        .filter(licence_binding::Column::Host.eq(host))
        .filter(licence_binding::Column::Path.eq(path))
        .one(&ctx.db)
        .await?;
    if let Some(b) = known {
        if now - b.last_seen_at >= TOUCH_EVERY {
            let change = ctx.begin_append(l.customer_id).await?;
            let checks = b.checks + 1;
            let mut am: licence_binding::ActiveModel = b.into();
            am.last_seen_at = Set(now);
            am.ip = Set(ip.into());
            am.checks = Set(checks);
            am.update(&change.txn).await?;
            change.commit().await?;
        }
        return Ok(true);
    }
    // The customer's lock: two first checks at once cannot both take the last place.
    let mut change = ctx.begin(l.customer_id).await?;
    let bound = licence_binding::Entity::find()
        .filter(licence_binding::Column::LicenceId.eq(l.id))
        .count(&change.txn)
        .await?;
    if bound >= max.max(0) as u64 {
        return Ok(false);
    }
    licence_binding::ActiveModel {
        licence_id: Set(l.id),
        customer_id: Set(l.customer_id),
        host: Set(host.into()),
        path: Set(path.into()),
        ip: Set(ip.into()),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
        checks: Set(1),
        ..Default::default()
    }
    .insert(&change.txn)
    .await?;
    let place = if path.is_empty() { host.to_string() } else { format!("{host}{path}") };
    let key = crate::licensing::key::display(&l.key_norm);
    let mut event = NewEvent::new(l.customer_id, "licence_bound", Actor::System, format!("{key} · {place}"));
    event.ip = Some(ip);
    record(&change.txn, event).await?;
    change.touched(super::AREA.slug);
    change.touched(crate::customers::areas::log::AREA.slug);
    change.commit().await?;
    Ok(true)
}

/// GET /api/licences/verify: 400 for a malformed request, 404 for an unknown product, 429 (with
/// Retry-After) beyond `LICENCE_CHECKS_PER_MINUTE` from one address, else 200 with the signed
/// answer.
pub async fn handler(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    ip: crate::web::client_ip::ClientIp,
    axum::extract::Query(q): axum::extract::Query<VerifyQuery>,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    if let Err(wait) = state.licence_checks.hit(&ip.to_string()) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            axum::Json(serde_json::json!({"error": "rate_limited"})),
        )
            .into_response();
    }
    match verify(&state.ctx("licence check"), &q, &ip.to_string()).await {
        Ok(Outcome::Answer(signed)) => axum::Json(signed).into_response(),
        Ok(Outcome::Malformed(part)) => {
            (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({"error": "malformed", "field": part})))
                .into_response()
        }
        Ok(Outcome::UnknownProduct) => {
            (StatusCode::NOT_FOUND, axum::Json(serde_json::json!({"error": "unknown_product"})))
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "licence check failed");
            crate::web::respond::internal()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normal_host;

    #[test]
    fn hosts_are_bound_in_one_spelling() {
        assert_eq!(normal_host("Shop.Example.DE.").as_deref(), Some("shop.example.de"));
        assert_eq!(normal_host("shop.example.de:8443").as_deref(), Some("shop.example.de"));
        assert_eq!(normal_host("[2001:DB8::1]").as_deref(), Some("2001:db8::1"));
        assert_eq!(normal_host("192.0.2.7").as_deref(), Some("192.0.2.7"));
        assert_eq!(normal_host("localhost").as_deref(), Some("localhost"));
        for bad in ["", "shop example.de", "shop.example.de/x", "-shop.de", "ä.de"] {
            assert_eq!(normal_host(bad), None, "{bad}");
        }
    }
}
