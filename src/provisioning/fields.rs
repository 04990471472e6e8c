//! The settings each provisioning module reads, described once: the settings pages show a
//! labelled field per setting, and saving reads each field into the stored JSON with a message
//! per field when it is not usable. Settings no module names stay as they are (the page shows
//! them as JSON). Shared by the server and the browser.
#[cfg(feature = "ssr")]
use serde_json::json;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An account-name prefix: `[a-z][a-z0-9]{0,15}`.
    Prefix,
    /// A word of letters, digits and `._-` (a PowerDNS server id).
    Word,
    /// The host part of a MariaDB account: `%`, a name or an address (with `%` and `_` wildcards).
    UserHost,
    /// An http(s) URL.
    Url,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Host names, one per line (a JSON array of strings).
    Hosts,
    /// DNS records, one per line as in a zone file: `name ttl type content` (a JSON array of
    /// `{name, ttl, type, content}`).
    Records,
    /// PEM certificates (one or more `BEGIN CERTIFICATE` blocks), kept as typed.
    Pem,
    /// An EPP contact handle (RFC 5730's clIDType: 3–16 characters, no spaces).
    Handle,
    /// Whole seconds within the range, stored as a number.
    Seconds(u64, u64),
}

/// One setting: its JSON key (also its label, `servers.setting.<key>`) and what it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub kind: Kind,
}

/// Whose settings: the server's (how to reach it), a package's (what an account gets) or a
/// registrar's (how to reach it and what a domain gets where it names nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Server,
    Package,
    Registrar,
}

pub const TLS: &[&str] = &["required", "preferred", "disabled"];
/// EPP runs over TLS (RFC 5734); off only for a registry's local test system.
pub const EPP_TLS: &[&str] = &["required", "disabled"];
pub const RECORD_TYPES: &[&str] = &["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA", "NS"];

const PREFIX: Setting = Setting { key: "prefix", kind: Kind::Prefix };

/// The settings `module` reads in `scope`; every server has the account-name prefix.
pub fn settings(module: &str, scope: Scope) -> &'static [Setting] {
    match (module, scope) {
        ("mariadb", Scope::Server) => &[
            PREFIX,
            Setting { key: "user_host", kind: Kind::UserHost },
            Setting { key: "tls", kind: Kind::Choice(TLS) },
        ],
        ("powerdns", Scope::Server) => &[
            PREFIX,
            Setting { key: "server_id", kind: Kind::Word },
            Setting { key: "api_url", kind: Kind::Url },
            Setting { key: "nameservers", kind: Kind::Hosts },
        ],
        ("powerdns", Scope::Package) => &[Setting { key: "records", kind: Kind::Records }],
        ("epp", Scope::Registrar) => &[
            Setting { key: "tls", kind: Kind::Choice(EPP_TLS) },
            Setting { key: "ca_pem", kind: Kind::Pem },
            Setting { key: "registrant", kind: Kind::Handle },
            Setting { key: "admin", kind: Kind::Handle },
            Setting { key: "tech", kind: Kind::Handle },
            Setting { key: "timeout_secs", kind: Kind::Seconds(1, 300) },
        ],
        (_, Scope::Server) => &[PREFIX],
        (_, Scope::Package | Scope::Registrar) => &[],
    }
}

/// A setting's stored value as its field shows it ('' when unset).
pub fn shown(setting: &Setting, value: Option<&Value>) -> String {
    let Some(value) = value else { return String::new() };
    match setting.kind {
        Kind::Pem => value.as_str().unwrap_or("").trim_end().to_string(),
        Kind::Hosts => {
            value.as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("\n")
        }
        Kind::Records => value
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let part = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                let ttl = r.get("ttl").and_then(|v| v.as_u64()).unwrap_or(3600);
                let name = Some(part("name")).filter(|n| !n.is_empty()).unwrap_or_else(|| "@".into());
                format!("{name} {ttl} {} {}", part("type").to_uppercase(), part("content"))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

/// Why a field's text is not usable: the message key, and the line it is on (lists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub key: &'static str,
    pub line: Option<usize>,
}

#[cfg(feature = "ssr")]
fn invalid(key: &'static str) -> Invalid {
    Invalid { key, line: None }
}

/// The host part of a MariaDB account the module accepts: `%`, a name or an address, with `%`
/// as the wildcard (1–60 characters).
pub fn valid_user_host(host: &str) -> bool {
    (1..=60).contains(&host.len()) && host.chars().all(|c| c.is_ascii_alphanumeric() || ".:-%".contains(c))
}

/// A host name as DNS takes it (Unicode allowed), as its A-label.
#[cfg(feature = "ssr")]
fn host_name(text: &str) -> Option<String> {
    crate::domains::name::DomainName::parse(text).ok().map(|n| n.ace)
}

#[cfg(feature = "ssr")]
fn record(line: &str) -> Option<Value> {
    let mut parts = line.split_whitespace();
    let name = parts.next()?;
    let ttl: u32 = parts.next()?.parse().ok().filter(|t| (60..=604_800).contains(t))?;
    let kind = parts.next()?.to_ascii_uppercase();
    let content = parts.collect::<Vec<_>>().join(" ");
    let name_ok = name == "@"
        || name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_*".contains(&b))
        });
    (name_ok && RECORD_TYPES.contains(&kind.as_str()) && !content.is_empty())
        .then(|| json!({ "name": name.to_ascii_lowercase(), "ttl": ttl, "type": kind, "content": content }))
}

/// A field's text as the value to store; None when empty (the module's default applies).
#[cfg(feature = "ssr")]
pub fn read(setting: &Setting, text: &str) -> Result<Option<Value>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let one_line = !text.contains(['\n', '\r']);
    let value = match setting.kind {
        Kind::Prefix => {
            let ok = text.len() <= 16
                && text.starts_with(|c: char| c.is_ascii_lowercase())
                && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            ok.then(|| json!(text)).ok_or(invalid("servers.setting_prefix_invalid"))?
        }
        Kind::Word => {
            let ok =
                text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
            ok.then(|| json!(text)).ok_or(invalid("servers.setting_word_invalid"))?
        }
        Kind::UserHost => {
            valid_user_host(text).then(|| json!(text)).ok_or(invalid("servers.setting_user_host_invalid"))?
        }
        Kind::Url => {
            let host = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
            let ok = one_line
                && host.is_some_and(|h| h.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '['))
                && !text.contains(char::is_whitespace);
            ok.then(|| json!(text.strip_suffix('/').unwrap_or(text)))
                .ok_or(invalid("servers.setting_url_invalid"))?
        }
        Kind::Choice(words) => {
            words.contains(&text).then(|| json!(text)).ok_or(invalid("servers.setting_choice_invalid"))?
        }
        Kind::Hosts => {
            let mut names = Vec::new();
            for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let name = host_name(line)
                    .ok_or(Invalid { key: "servers.setting_host_invalid", line: Some(n + 1) })?;
                names.push(json!(name));
            }
            Value::Array(names)
        }
        Kind::Records => {
            let mut records = Vec::new();
            for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                records.push(
                    record(line)
                        .ok_or(Invalid { key: "servers.setting_record_invalid", line: Some(n + 1) })?,
                );
            }
            Value::Array(records)
        }
        Kind::Pem => {
            use rustls_pki_types::pem::PemObject;
            let mut certs = rustls_pki_types::CertificateDer::pem_slice_iter(text.as_bytes()).peekable();
            let ok = certs.peek().is_some() && certs.all(|c| c.is_ok());
            ok.then(|| json!(format!("{text}\n"))).ok_or(invalid("servers.setting_pem_invalid"))?
        }
        Kind::Handle => {
            let ok = (3..=16).contains(&text.chars().count()) && !text.contains(char::is_whitespace);
            ok.then(|| json!(text)).ok_or(invalid("servers.setting_handle_invalid"))?
        }
        Kind::Seconds(low, high) => {
            let n = text.parse::<u64>().ok().filter(|n| (low..=high).contains(n));
            n.map(|n| json!(n)).ok_or(invalid("servers.setting_seconds_invalid"))?
        }
    };
    Ok(Some(value))
}

/// The stored settings without the keys `module` names in `scope`: what the page shows as JSON.
pub fn others(module: &str, scope: Scope, stored: &str) -> String {
    let mut map: Map<String, Value> = serde_json::from_str(stored).unwrap_or_default();
    for s in settings(module, scope) {
        map.remove(s.key);
    }
    if map.is_empty() { String::new() } else { Value::Object(map).to_string() }
}

/// The fields of `module` in `scope` as the form starts them, from the stored settings.
pub fn start(module: &str, scope: Scope, stored: &str) -> Vec<(String, String)> {
    let map: Map<String, Value> = serde_json::from_str(stored).unwrap_or_default();
    settings(module, scope).iter().map(|s| (s.key.to_string(), shown(s, map.get(s.key)))).collect()
}

/// Put the form's fields into the settings object: each named setting of the module is read
/// from its field (an empty field removes it); a field that is not usable is reported by key.
#[cfg(feature = "ssr")]
pub fn merge(
    module: &str,
    scope: Scope,
    map: &mut Map<String, Value>,
    fields: &[(String, String)],
) -> Vec<(&'static str, Invalid)> {
    let mut wrong = Vec::new();
    for setting in settings(module, scope) {
        let Some((_, text)) = fields.iter().find(|(k, _)| k == setting.key) else { continue };
        match read(setting, text) {
            Ok(Some(value)) => {
                map.insert(setting.key.into(), value);
            }
            Ok(None) => {
                map.remove(setting.key);
            }
            Err(why) => wrong.push((setting.key, why)),
        }
    }
    wrong
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(module: &str, scope: Scope, key: &str) -> Setting {
        *settings(module, scope).iter().find(|s| s.key == key).unwrap()
    }

    #[test]
    fn records_read_as_a_zone_file_and_show_the_same() {
        let records = setting("powerdns", Scope::Package, "records");
        let text = "@ 3600 A 192.0.2.10\nwww 300 cname @\n\n@ 3600 MX 10 mail.example.net.";
        let value = read(&records, text).unwrap().unwrap();
        assert_eq!(value[1], json!({"name": "www", "ttl": 300, "type": "CNAME", "content": "@"}));
        assert_eq!(value[2]["content"], "10 mail.example.net.");
        assert_eq!(
            shown(&records, Some(&value)),
            "@ 3600 A 192.0.2.10\nwww 300 CNAME @\n@ 3600 MX 10 mail.example.net."
        );
        // The line that is wrong is named: a TTL under 60 s, an unknown type, no content.
        for (text, line) in [("@ 3600 A 1.2.3.4\n@ 30 A 1.2.3.4", 2), ("@ 3600 XYZ a", 1), ("www 3600 A", 1)]
        {
            assert_eq!(
                read(&records, text),
                Err(Invalid { key: "servers.setting_record_invalid", line: Some(line) })
            );
        }
    }

    #[test]
    fn host_names_prefixes_and_choices_are_checked() {
        let ns = setting("powerdns", Scope::Server, "nameservers");
        assert_eq!(
            read(&ns, "NS1.Example.net.\nns2.example.net").unwrap(),
            Some(json!(["ns1.example.net", "ns2.example.net"]))
        );
        assert_eq!(read(&ns, "ns1.example.net\nlocalhost").unwrap_err().line, Some(2));
        let prefix = setting("mariadb", Scope::Server, "prefix");
        assert_eq!(read(&prefix, "web").unwrap(), Some(json!("web")));
        for wrong in ["1web", "Web", "we-b", "abcdefghijklmnopq"] {
            assert!(read(&prefix, wrong).is_err(), "{wrong}");
        }
        let user_host = setting("mariadb", Scope::Server, "user_host");
        assert!(read(&user_host, "10.0.%").is_ok());
        for wrong in ["db_host", "10.0.0.0/255.255.255.0", "a b"] {
            assert!(read(&user_host, wrong).is_err(), "{wrong}");
        }
        let url = setting("powerdns", Scope::Server, "api_url");
        assert_eq!(
            read(&url, "https://dns.example.net:8081/").unwrap(),
            Some(json!("https://dns.example.net:8081"))
        );
        assert!(read(&url, "https://").is_err() && read(&url, "ftp://x").is_err());
        let tls = setting("mariadb", Scope::Server, "tls");
        assert!(read(&tls, "sometimes").is_err());
        assert_eq!(read(&tls, "").unwrap(), None, "empty: the default");
    }

    #[test]
    fn registrar_settings_take_certificates_handles_and_seconds() {
        let pem = setting("epp", Scope::Registrar, "ca_pem");
        let cert = include_str!("../../tests/fixtures/epp/ca.pem");
        let stored = read(&pem, cert).unwrap().unwrap();
        assert_eq!(shown(&pem, Some(&stored)), cert.trim_end());
        for wrong in ["not a certificate", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----"] {
            assert_eq!(read(&pem, wrong).unwrap_err().key, "servers.setting_pem_invalid", "{wrong}");
        }
        let handle = setting("epp", Scope::Registrar, "registrant");
        assert_eq!(read(&handle, " CD-OWNER-1 ").unwrap(), Some(json!("CD-OWNER-1")));
        // RFC 5730 clIDType: 3 to 16 characters.
        for wrong in ["ab", "abcdefghijklmnopq", "CD OWNER"] {
            assert!(read(&handle, wrong).is_err(), "{wrong}");
        }
        assert_eq!(read(&handle, "abcdefghijklmnop").unwrap(), Some(json!("abcdefghijklmnop")));
        let timeout = setting("epp", Scope::Registrar, "timeout_secs");
        assert_eq!(read(&timeout, "300").unwrap(), Some(json!(300)));
        for wrong in ["0", "301", "ten", "-5"] {
            assert!(read(&timeout, wrong).is_err(), "{wrong}");
        }
        let tls = setting("epp", Scope::Registrar, "tls");
        assert!(read(&tls, "preferred").is_err(), "EPP has TLS or, for a test system, none");
    }

    #[test]
    fn merging_keeps_other_settings_and_removes_emptied_ones() {
        let mut map: Map<String, Value> =
            serde_json::from_str(r#"{"prefix":"old","tls":"disabled","custom":1}"#).unwrap();
        let fields = vec![("prefix".to_string(), "neu".to_string()), ("tls".to_string(), String::new())];
        assert!(merge("mariadb", Scope::Server, &mut map, &fields).is_empty());
        assert_eq!(Value::Object(map.clone()), json!({"prefix": "neu", "custom": 1}));
        assert_eq!(others("mariadb", Scope::Server, &Value::Object(map).to_string()), r#"{"custom":1}"#);
        let wrong = merge("mariadb", Scope::Server, &mut Map::new(), &[("user_host".into(), "a b".into())]);
        assert_eq!(wrong[0].0, "user_host");
    }
}
