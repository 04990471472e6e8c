//! EPP, the registries' provisioning protocol, as a registrar speaks it: RFC 5730 (core), 5731
//! (domain names) and 5734 (over TCP with TLS). The protocol only: commands out, responses in,
//! one session per connection. No database and no jobs; an EPP error code is an answer
//! (`Ok(Response)`), only a broken connection or a malformed answer is an `EppError`.
pub mod frame;
pub mod session;
pub mod xml;

pub use session::Session;

use std::fmt;
use std::time::Duration;

/// Where and as whom to connect.
#[derive(Clone, PartialEq)]
pub struct EppConf {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// PEM of extra trusted CA certificates (the tests' fixture CA), trusted besides the
    /// webpki roots; empty = the webpki roots only.
    pub ca_pem: String,
    pub username: String,
    pub password: String,
    /// For connecting and for every read and write.
    pub timeout: Duration,
}

impl fmt::Debug for EppConf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EppConf")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("ca_pem", &format_args!("{} bytes", self.ca_pem.len()))
            .field("username", &self.username)
            .field("password", &format_args!("{MASK}"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What logs show in place of a password or auth code.
const MASK: &str = "***";

/// The server's greeting: who it is and which objects and extensions it offers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Greeting {
    pub server_id: String,
    pub obj_uris: Vec<String>,
    pub ext_uris: Vec<String>,
}

/// A domain contact's role (`<domain:contact type=…>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactRole {
    Admin,
    Tech,
    Billing,
}

impl ContactRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactRole::Admin => "admin",
            ContactRole::Tech => "tech",
            ContactRole::Billing => "billing",
        }
    }
}

/// A command of the domain mapping (urn:ietf:params:xml:ns:domain-1.0). Names are A-labels.
#[derive(Clone, PartialEq)]
pub enum Command {
    Check {
        names: Vec<String>,
    },
    Create {
        name: String,
        years: u8,
        nameservers: Vec<String>,
        registrant: String,
        contacts: Vec<(ContactRole, String)>,
        auth_info: String,
    },
    Info {
        name: String,
        auth_info: Option<String>,
    },
    Renew {
        name: String,
        current_expiry: chrono::NaiveDate,
        years: u8,
    },
    TransferRequest {
        name: String,
        years: Option<u8>,
        auth_info: String,
    },
    TransferQuery {
        name: String,
    },
    Update {
        name: String,
        add_ns: Vec<String>,
        rem_ns: Vec<String>,
        add_status: Vec<String>,
        rem_status: Vec<String>,
        add_contacts: Vec<(ContactRole, String)>,
        rem_contacts: Vec<(ContactRole, String)>,
        registrant: Option<String>,
        auth_info: Option<String>,
    },
    Delete {
        name: String,
    },
}

impl Command {
    /// The EPP verb, for logs and errors ("create", "transfer", …).
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Check { .. } => "check",
            Command::Create { .. } => "create",
            Command::Info { .. } => "info",
            Command::Renew { .. } => "renew",
            Command::TransferRequest { .. } | Command::TransferQuery { .. } => "transfer",
            Command::Update { .. } => "update",
            Command::Delete { .. } => "delete",
        }
    }
}

// By hand: auth codes never reach a log.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked = |code: &Option<String>| code.as_ref().map(|_| MASK);
        match self {
            Command::Check { names } => f.debug_struct("Check").field("names", names).finish(),
            Command::Create { name, years, nameservers, registrant, contacts, auth_info: _ } => f
                .debug_struct("Create")
                .field("name", name)
                .field("years", years)
                .field("nameservers", nameservers)
                .field("registrant", registrant)
                .field("contacts", contacts)
                .field("auth_info", &MASK)
                .finish(),
            Command::Info { name, auth_info } => {
                f.debug_struct("Info").field("name", name).field("auth_info", &masked(auth_info)).finish()
            }
            Command::Renew { name, current_expiry, years } => f
                .debug_struct("Renew")
                .field("name", name)
                .field("current_expiry", current_expiry)
                .field("years", years)
                .finish(),
            Command::TransferRequest { name, years, auth_info: _ } => f
                .debug_struct("TransferRequest")
                .field("name", name)
                .field("years", years)
                .field("auth_info", &MASK)
                .finish(),
            Command::TransferQuery { name } => f.debug_struct("TransferQuery").field("name", name).finish(),
            Command::Update {
                name,
                add_ns,
                rem_ns,
                add_status,
                rem_status,
                add_contacts,
                rem_contacts,
                registrant,
                auth_info,
            } => f
                .debug_struct("Update")
                .field("name", name)
                .field("add_ns", add_ns)
                .field("rem_ns", rem_ns)
                .field("add_status", add_status)
                .field("rem_status", rem_status)
                .field("add_contacts", add_contacts)
                .field("rem_contacts", rem_contacts)
                .field("registrant", registrant)
                .field("auth_info", &masked(auth_info))
                .finish(),
            Command::Delete { name } => f.debug_struct("Delete").field("name", name).finish(),
        }
    }
}

/// The server's answer to a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The first `<result>`'s code: 1xxx success, 2xxx failure.
    pub code: u16,
    /// Every `<result>`'s `<msg>`, joined by "; ".
    pub msg: String,
    /// `<extValue><reason>` texts, for the error shown to staff.
    pub reasons: Vec<String>,
    pub cl_trid: Option<String>,
    pub sv_trid: Option<String>,
    pub data: ResData,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.code < 2000
    }

    /// "2306 Parameter value policy error (reason; reason)", as staff see a refusal.
    pub fn error_text(&self) -> String {
        if self.reasons.is_empty() {
            format!("{} {}", self.code, self.msg)
        } else {
            format!("{} {} ({})", self.code, self.msg, self.reasons.join("; "))
        }
    }
}

/// A response's `<resData>`; dates as the server wrote them (see `date_of`).
#[derive(Debug, Clone, PartialEq)]
pub enum ResData {
    None,
    Check(Vec<CheckItem>),
    Create { name: String, created: Option<String>, expires: Option<String> },
    Info(DomainInfo),
    Renew { name: String, expires: Option<String> },
    Transfer { name: String, status: String, expires: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckItem {
    pub name: String,
    pub available: bool,
    pub reason: Option<String>,
}

#[derive(Clone, PartialEq, Default)]
pub struct DomainInfo {
    pub name: String,
    pub roid: String,
    pub statuses: Vec<String>,
    pub registrant: Option<String>,
    /// (the `type` attribute, the contact's id)
    pub contacts: Vec<(String, String)>,
    pub nameservers: Vec<String>,
    pub client_id: String,
    pub created: Option<String>,
    pub expires: Option<String>,
    pub auth_info: Option<String>,
}

// By hand: the auth code a registry returns to its sponsor never reaches a log.
impl fmt::Debug for DomainInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DomainInfo")
            .field("name", &self.name)
            .field("roid", &self.roid)
            .field("statuses", &self.statuses)
            .field("registrant", &self.registrant)
            .field("contacts", &self.contacts)
            .field("nameservers", &self.nameservers)
            .field("client_id", &self.client_id)
            .field("created", &self.created)
            .field("expires", &self.expires)
            .field("auth_info", &self.auth_info.as_ref().map(|_| MASK))
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EppError {
    /// Connecting, TLS, reading or writing failed or timed out: transient, try again later (a
    /// command's outcome is then unknown).
    #[error("EPP connection: {0}")]
    Io(String),
    /// A malformed frame or XML, an unexpected answer, or a configuration the protocol cannot
    /// work with: retrying does not help.
    #[error("EPP protocol: {0}")]
    Protocol(String),
}

/// The date of an EPP date-time ("2027-12-04T10:00:00.0Z" → 2027-12-04): its leading YYYY-MM-DD.
pub fn date_of(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim().get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_from_their_leading_day() {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 12, 4);
        assert_eq!(date_of("2027-12-04T10:00:00.0Z"), day);
        assert_eq!(date_of(" 2027-12-04"), day);
        assert_eq!(date_of("2027-12"), None);
        assert_eq!(date_of("04.12.2027"), None);
    }

    #[test]
    fn secrets_are_masked_in_debug() {
        let conf = EppConf {
            host: "epp.example".into(),
            port: 700,
            tls: true,
            ca_pem: String::new(),
            username: "clientdesk".into(),
            password: "s3cret-pw".into(),
            timeout: Duration::from_secs(5),
        };
        let shown = format!("{conf:?}");
        assert!(!shown.contains("s3cret-pw") && shown.contains("***"), "{shown}");
        let create = Command::Create {
            name: "example.com".into(),
            years: 1,
            nameservers: vec![],
            registrant: "R1".into(),
            contacts: vec![],
            auth_info: "Code-4711!".into(),
        };
        let code = String::from("Code-4711!");
        let transfer = Command::TransferRequest { name: "example.com".into(), years: None, auth_info: code };
        let update = Command::Update {
            name: "example.com".into(),
            add_ns: vec![],
            rem_ns: vec![],
            add_status: vec![],
            rem_status: vec![],
            add_contacts: vec![],
            rem_contacts: vec![],
            registrant: None,
            auth_info: Some("Code-4711!".into()),
        };
        let info = Command::Info { name: "example.com".into(), auth_info: Some("Code-4711!".into()) };
        for command in [create, transfer, update, info] {
            let shown = format!("{command:?}");
            assert!(!shown.contains("Code-4711") && shown.contains("***"), "{shown}");
        }
        let info = DomainInfo { auth_info: Some("Code-4711!".into()), ..Default::default() };
        assert!(!format!("{info:?}").contains("Code-4711"));
    }
}
