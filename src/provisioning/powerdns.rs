//! PowerDNS zones through its HTTP API: a DNS-hosting product creates the customer's zone
//! (marked as ours in the zone's `account`), suspends it by disabling every record set, the SOA
//! included (the zone then answers nothing), unsuspends it, and removes it. A zone of the same
//! name that is not ours is never touched.
use super::{Account, JobCtx, ProvError, Provisioner, Remote, ServerConf};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

pub struct PowerDns;

const SUSPENDED: &str = ":suspended";

/// The API's base (`…/api/v1/servers/<id>`): `api_url` in the settings, else http on host:port.
fn base(server: &ServerConf) -> String {
    let sid = server.settings.get("server_id").and_then(|v| v.as_str()).unwrap_or("localhost");
    match server.settings.get("api_url").and_then(|v| v.as_str()) {
        Some(url) => format!("{}/api/v1/servers/{sid}", url.trim_end_matches('/')),
        None => format!("http://{}:{}/api/v1/servers/{sid}", server.host, server.port),
    }
}

fn zone_id(a: &Account) -> Result<String, ProvError> {
    if a.domain.is_empty() || !a.domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        return Err(ProvError::Permanent(format!("the domain {:?} is not a zone name", a.domain)));
    }
    Ok(format!("{}.", a.domain.trim_end_matches('.')))
}

fn owner(a: &Account) -> String {
    format!("clientdesk:{}", a.hosting_id)
}

fn client() -> Result<reqwest::Client, ProvError> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        // The API key goes to the server named, never through a proxy from the environment.
        .no_proxy()
        .build()
        .map_err(|e| ProvError::Permanent(e.to_string()))
}

/// One API call; the body of a success, or the error classified: the network and 5xx are
/// transient, other refusals permanent.
async fn call(
    server: &ServerConf,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<(StatusCode, Value), ProvError> {
    let mut request =
        client()?.request(method, format!("{}{path}", base(server))).header("X-API-Key", &server.secret);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.map_err(|e| ProvError::Transient(e.without_url().to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| ProvError::Transient(e.without_url().to_string()))?;
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, value))
}

fn refused(status: StatusCode, body: &Value) -> ProvError {
    let message =
        body.get("error").and_then(|e| e.as_str()).map(String::from).unwrap_or_else(|| body.to_string());
    let message = format!("PowerDNS {}: {}", status.as_u16(), message.chars().take(300).collect::<String>());
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        ProvError::Transient(message)
    } else {
        ProvError::Permanent(message)
    }
}

/// The zone, or None when there is none.
async fn zone(server: &ServerConf, id: &str) -> Result<Option<Value>, ProvError> {
    match call(server, Method::GET, &format!("/zones/{id}"), None).await? {
        (StatusCode::OK, body) => Ok(Some(body)),
        (StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY, _) => Ok(None),
        (status, body) => Err(refused(status, &body)),
    }
}

fn account_of(zone: &Value) -> &str {
    zone.get("account").and_then(|a| a.as_str()).unwrap_or("")
}

/// The zone, checked to be ours (suspended or not).
async fn own_zone(server: &ServerConf, a: &Account) -> Result<Option<Value>, ProvError> {
    let id = zone_id(a)?;
    match zone(server, &id).await? {
        Some(z) if account_of(&z).trim_end_matches(SUSPENDED) == owner(a) => Ok(Some(z)),
        Some(_) => Err(ProvError::Permanent(format!("the zone {id} exists and is not ours"))),
        None => Ok(None),
    }
}

/// Every record set of the zone with `disabled` set on each record, as one PATCH.
fn switched(zone: &Value, disabled: bool) -> Value {
    let rrsets: Vec<Value> = zone
        .get("rrsets")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .map(|set| {
            let records: Vec<Value> = set
                .get("records")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
                .map(|r| json!({ "content": r.get("content").cloned().unwrap_or(Value::Null), "disabled": disabled }))
                .collect();
            json!({
                "name": set.get("name").cloned().unwrap_or(Value::Null),
                "type": set.get("type").cloned().unwrap_or(Value::Null),
                "ttl": set.get("ttl").cloned().unwrap_or(json!(3600)),
                "changetype": "REPLACE",
                "records": records,
            })
        })
        .collect();
    json!({ "rrsets": rrsets })
}

async fn patch(server: &ServerConf, id: &str, body: Value) -> Result<(), ProvError> {
    match call(server, Method::PATCH, &format!("/zones/{id}"), Some(body)).await? {
        (s, _) if s.is_success() => Ok(()),
        (status, body) => Err(refused(status, &body)),
    }
}

async fn set_account(server: &ServerConf, id: &str, account: &str) -> Result<(), ProvError> {
    match call(server, Method::PUT, &format!("/zones/{id}"), Some(json!({ "account": account }))).await? {
        (s, _) if s.is_success() => Ok(()),
        (status, body) => Err(refused(status, &body)),
    }
}

/// Switch every record of our zone on or off, then mark the zone's state in its account.
async fn switch(j: &JobCtx, a: &Account, disabled: bool) -> Result<(), ProvError> {
    let id = zone_id(a)?;
    let step = if disabled { "disable" } else { "enable" };
    j.step(step, || async {
        let Some(z) = own_zone(&j.server, a).await? else {
            return Err(ProvError::Permanent(format!("the zone {id} does not exist")));
        };
        patch(&j.server, &id, switched(&z, disabled)).await
    })
    .await?;
    let account = if disabled { format!("{}{SUSPENDED}", owner(a)) } else { owner(a) };
    j.step("account", || set_account(&j.server, &id, &account)).await
}

/// Names inside record content as PowerDNS takes them (absolute, with the final dot): `@` is the
/// zone, a name without a final dot lies inside it. For CNAME and NS that is the whole content,
/// for MX and SRV the last word (`10 mail` → `10 mail.kunde.de.`).
fn qualify(kind: &str, content: &str, zone: &str) -> String {
    let full = |n: &str| match n {
        "@" => zone.to_string(),
        n if n.ends_with('.') => n.to_string(),
        n => format!("{n}.{zone}"),
    };
    let content = content.trim();
    match kind {
        "CNAME" | "NS" => full(content),
        "MX" | "SRV" => match content.rsplit_once(' ') {
            Some((head, name)) => format!("{head} {}", full(name)),
            None => content.to_string(),
        },
        _ => content.to_string(),
    }
}

/// The package's default records (`records: [{name, type, content, ttl}]`, `@` for the apex).
fn default_rrsets(a: &Account, zone: &str) -> Vec<Value> {
    let mut sets: Vec<(String, String, u64, Vec<String>)> = Vec::new();
    for r in a.package.get("records").and_then(|r| r.as_array()).into_iter().flatten() {
        let name = r.get("name").and_then(|v| v.as_str()).unwrap_or("@");
        let name =
            if name == "@" { zone.to_string() } else { format!("{}.{zone}", name.trim_end_matches('.')) };
        let kind = r.get("type").and_then(|v| v.as_str()).unwrap_or("A").to_uppercase();
        let ttl = r.get("ttl").and_then(|v| v.as_u64()).unwrap_or(3600);
        let content = qualify(&kind, r.get("content").and_then(|v| v.as_str()).unwrap_or(""), zone);
        match sets.iter_mut().find(|s| s.0 == name && s.1 == kind) {
            Some(set) => set.3.push(content),
            None => sets.push((name, kind, ttl, vec![content])),
        }
    }
    sets.into_iter()
        .map(|(name, kind, ttl, contents)| {
            let records: Vec<Value> =
                contents.into_iter().map(|c| json!({ "content": c, "disabled": false })).collect();
            json!({ "name": name, "type": kind, "ttl": ttl, "changetype": "REPLACE", "records": records })
        })
        .collect()
}

/// The zone's nameservers: the customer's own where they have some ("Eigene Nameserver"), else
/// the server's.
fn nameservers(server: &ServerConf, a: &Account) -> Vec<String> {
    let own: Vec<&str> = a.nameservers.iter().map(String::as_str).collect();
    let names = if own.is_empty() {
        server
            .settings
            .get("nameservers")
            .and_then(|n| n.as_array())
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str())
            .collect()
    } else {
        own
    };
    names.into_iter().map(|n| format!("{}.", n.trim_end_matches('.'))).collect()
}

/// A and AAAA records for the customer's own nameservers that lie inside the zone (glue): without
/// them nobody could find the nameservers that serve it.
fn glue_rrsets(a: &Account, zone: &str) -> Vec<Value> {
    let inside = |host: &str| {
        let host = format!("{host}.");
        host == zone || host.ends_with(&format!(".{zone}"))
    };
    let mut sets = Vec::new();
    for (host, ips) in a.glue.iter().filter(|(h, _)| a.nameservers.contains(h) && inside(h)) {
        for (kind, v6) in [("A", false), ("AAAA", true)] {
            let records: Vec<Value> = ips
                .iter()
                .filter(|ip| ip.is_ipv6() == v6)
                .map(|ip| json!({ "content": ip.to_string(), "disabled": false }))
                .collect();
            if !records.is_empty() {
                sets.push(json!({ "name": format!("{host}."), "type": kind, "ttl": 3600, "changetype": "REPLACE", "records": records }));
            }
        }
    }
    sets
}

#[async_trait::async_trait]
impl Provisioner for PowerDns {
    fn module(&self) -> &'static str {
        "powerdns"
    }

    fn needs_domain(&self) -> bool {
        true
    }

    async fn test_connection(&self, server: &ServerConf) -> Result<String, ProvError> {
        match call(server, Method::GET, "", None).await? {
            (StatusCode::OK, body) => {
                let version = body.get("version").and_then(|v| v.as_str()).unwrap_or("?");
                Ok(format!("PowerDNS {version}"))
            }
            (status, body) => Err(refused(status, &body)),
        }
    }

    async fn create(&self, j: &JobCtx, a: &Account) -> Result<String, ProvError> {
        let id = zone_id(a)?;
        j.step("zone", || async {
            // Made by an earlier attempt: ours already, nothing to do.
            if own_zone(&j.server, a).await?.is_some() {
                j.log("zone", "exists already (ours)").await;
                return Ok(());
            }
            let body = json!({
                "name": id,
                "kind": "Native",
                "nameservers": nameservers(&j.server, a),
                "account": owner(a),
            });
            match call(&j.server, Method::POST, "/zones", Some(body)).await? {
                (StatusCode::CREATED, _) => Ok(()),
                // Made meanwhile: ours or not decides.
                (StatusCode::CONFLICT, _) => own_zone(&j.server, a).await.map(|_| ()),
                (status, body) => Err(refused(status, &body)),
            }
        })
        .await?;
        let mut records = default_rrsets(a, &id);
        records.extend(glue_rrsets(a, &id));
        if !records.is_empty() {
            j.step("records", || patch(&j.server, &id, json!({ "rrsets": records }))).await?;
        }
        Ok(id)
    }

    async fn suspend(&self, j: &JobCtx, a: &Account, _reason: &str) -> Result<(), ProvError> {
        switch(j, a, true).await
    }

    async fn unsuspend(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        switch(j, a, false).await
    }

    async fn terminate(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        let id = zone_id(a)?;
        j.step("zone", || async {
            match zone(&j.server, &id).await? {
                None => return Ok(()),
                // Not ours (the create never made it): nothing of ours to remove, and theirs stays.
                Some(z) if account_of(&z).trim_end_matches(SUSPENDED) != owner(a) => {
                    j.log("zone", "exists but is not ours: left alone").await;
                    return Ok(());
                }
                Some(_) => {}
            }
            match call(&j.server, Method::DELETE, &format!("/zones/{id}"), None).await? {
                (s, _) if s.is_success() || s == StatusCode::NOT_FOUND => Ok(()),
                (status, body) => Err(refused(status, &body)),
            }
        })
        .await
    }

    async fn status(&self, j: &JobCtx, a: &Account) -> Result<Remote, ProvError> {
        Ok(match own_zone(&j.server, a).await? {
            None => Remote::Missing,
            Some(z) if account_of(&z).ends_with(SUSPENDED) => Remote::Suspended,
            Some(_) => Remote::Active,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_in_record_content_are_made_absolute() {
        let zone = "kunde.de.";
        assert_eq!(super::qualify("CNAME", "@", zone), "kunde.de.");
        assert_eq!(super::qualify("CNAME", "web.example.net.", zone), "web.example.net.");
        assert_eq!(super::qualify("MX", "10 mail", zone), "10 mail.kunde.de.");
        assert_eq!(super::qualify("SRV", "0 5 5060 sip", zone), "0 5 5060 sip.kunde.de.");
        assert_eq!(super::qualify("A", "192.0.2.10", zone), "192.0.2.10");
        assert_eq!(super::qualify("TXT", "\"v=spf1 -all\"", zone), "\"v=spf1 -all\"");
    }
}
