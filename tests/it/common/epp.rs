//! An EPP registry of our own for the tests (RFC 5730 core, 5731 domains, 5734 framing), on a
//! TLS port (the fixture certificates in tests/fixtures/epp) and a plain one, many sessions at
//! once. The app's client talks to it; pyepp (tests/epp/pyepp_check.py) checks it from outside.
//! Its framing and XML reading are written apart from the client's (namespaces resolved, any
//! element order taken), so one misreading of the RFCs does not hide in both.
//!
//! Accounts: "clientdesk" / "s3cret-pw" and "other" / "other-pw". Transfers with the right
//! code complete at once (trStatus "serverApproved").
use chrono::{DateTime, Months, NaiveDate, Utc};
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::{TlsAcceptor, rustls};

const CA_PEM: &str = include_str!("../../fixtures/epp/ca.pem");
const SERVER_PEM: &str = include_str!("../../fixtures/epp/server.pem");
const SERVER_KEY: &str = include_str!("../../fixtures/epp/server.key");

const EPP_NS: &str = "urn:ietf:params:xml:ns:epp-1.0";
const DOMAIN_NS: &str = "urn:ietf:params:xml:ns:domain-1.0";
const OBJECTS: [&str; 3] =
    [DOMAIN_NS, "urn:ietf:params:xml:ns:contact-1.0", "urn:ietf:params:xml:ns:host-1.0"];
// Offered because pyepp always asks for it at login; no command here uses it.
const EXTENSIONS: [&str; 1] = ["urn:ietf:params:xml:ns:secDNS-1.1"];
const ACCOUNTS: [(&str, &str); 2] = [("clientdesk", "s3cret-pw"), ("other", "other-pw")];
const CLIENT_STATUSES: [&str; 5] = [
    "clientDeleteProhibited",
    "clientHold",
    "clientRenewProhibited",
    "clientTransferProhibited",
    "clientUpdateProhibited",
];
const MAX_FRAME: usize = 1 << 20;
/// The sponsor of the domains `add_foreign` places.
pub const FOREIGN: &str = "foreign-registrar";

/// A domain as the registry holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDomain {
    pub name: String,
    pub roid: String,
    /// The sponsoring client (clID).
    pub owner: String,
    pub creator: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
    /// The client statuses set (shown as "ok" when none is and the domain has nameservers).
    pub statuses: Vec<String>,
    pub ns: Vec<String>,
    pub registrant: String,
    /// (type, contact id)
    pub contacts: Vec<(String, String)>,
    pub auth_info: String,
    /// The last transfer.
    pub transfer: Option<ServerTransfer>,
}

impl ServerDomain {
    pub fn expiry(&self) -> NaiveDate {
        self.expires.date_naive()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerTransfer {
    pub status: String,
    pub requester: String,
    pub losing: String,
    pub requested: DateTime<Utc>,
    pub acted: DateTime<Utc>,
}

#[derive(Default)]
struct Registry {
    domains: BTreeMap<String, ServerDomain>,
    /// (command, code, msg): answered instead of performed, once.
    fail: Vec<(String, u16, String)>,
    /// Commands performed and then left unanswered (the connection closed), once.
    drop_after: Vec<String>,
    log: Vec<String>,
    serial: u64,
}

impl Registry {
    fn next(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }
}

pub struct EppServer {
    pub tls_port: u16,
    pub plain_port: u16,
    /// The CA that signed the TLS port's certificate (for "localhost" and 127.0.0.1).
    pub ca_pem: String,
    state: Arc<Mutex<Registry>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for EppServer {
    fn drop(&mut self) {
        // Each listener's task owns its connections (a JoinSet): aborting it ends them too.
        for task in &self.tasks {
            task.abort();
        }
    }
}

fn tls_acceptor() -> TlsAcceptor {
    let certs = CertificateDer::pem_slice_iter(SERVER_PEM.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("tests/fixtures/epp/server.pem");
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).expect("tests/fixtures/epp/server.key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the fixture certificate and key");
    TlsAcceptor::from(Arc::new(config))
}

impl EppServer {
    pub async fn start() -> EppServer {
        let state = Arc::new(Mutex::new(Registry::default()));
        let tls = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let plain = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (tls_port, plain_port) = (tls.local_addr().unwrap().port(), plain.local_addr().unwrap().port());
        let tasks = vec![
            tokio::spawn(serve(tls, Some(tls_acceptor()), state.clone())),
            tokio::spawn(serve(plain, None, state.clone())),
        ];
        EppServer { tls_port, plain_port, ca_pem: CA_PEM.to_string(), state, tasks }
    }

    fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.state.lock().unwrap()
    }

    /// A domain sponsored by another registrar (`FOREIGN`), transferable with `auth_info`.
    pub fn add_foreign(&self, name: &str, auth_info: &str, expires: NaiveDate) {
        let mut registry = self.registry();
        let roid = format!("D{}-TEST", registry.next());
        let created = Utc::now() - chrono::Duration::days(400);
        let domain = ServerDomain {
            name: name.to_lowercase(),
            roid,
            owner: FOREIGN.into(),
            creator: FOREIGN.into(),
            created,
            expires: expires.and_hms_opt(12, 0, 0).unwrap().and_utc(),
            updated: None,
            statuses: vec![],
            ns: vec!["ns1.foreign.example".into(), "ns2.foreign.example".into()],
            registrant: "FOREIGN-R1".into(),
            contacts: vec![("admin".into(), "FOREIGN-A1".into())],
            auth_info: auth_info.into(),
            transfer: None,
        };
        registry.domains.insert(domain.name.clone(), domain);
    }

    pub fn domain(&self, name: &str) -> Option<ServerDomain> {
        self.registry().domains.get(&name.to_lowercase()).cloned()
    }

    /// The next `command` ("create", "transfer", "login", …) is answered with `code` and `msg`
    /// instead of being performed, once.
    pub fn fail_next(&self, command: &str, code: u16, msg: &str) {
        self.registry().fail.push((command.into(), code, msg.into()));
    }

    /// The next `command` is performed, then the connection closes without an answer: the
    /// client cannot know the outcome.
    pub fn drop_after_next(&self, command: &str) {
        self.registry().drop_after.push(command.into());
    }

    /// Every command seen, as "<client id> <command>" ("-" before login), e.g.
    /// "clientdesk create".
    pub fn commands(&self) -> Vec<String> {
        self.registry().log.clone()
    }
}

async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, state: Arc<Mutex<Registry>>) {
    let mut sessions = tokio::task::JoinSet::new();
    loop {
        let Ok((socket, _)) = listener.accept().await else { continue };
        let (tls, state) = (tls.clone(), state.clone());
        sessions.spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(socket).await {
                        session(stream, state).await;
                    }
                }
                None => session(socket, state).await,
            }
        });
        while sessions.try_join_next().is_some() {}
    }
}

/// One frame's bytes (RFC 5734: a 4-byte big-endian length that counts itself); None when the
/// peer is gone or the length is out of bounds.
async fn read_frame<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let length = stream.read_u32().await.ok()? as usize;
    if !(5..=MAX_FRAME).contains(&length) {
        return None;
    }
    let mut data = vec![0; length - 4];
    stream.read_exact(&mut data).await.ok()?;
    Some(data)
}

async fn write_frame<S: AsyncWrite + Unpin>(stream: &mut S, xml: &str) -> std::io::Result<()> {
    let mut frame = ((xml.len() + 4) as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(xml.as_bytes());
    stream.write_all(&frame).await?;
    stream.flush().await
}

enum Outcome {
    Answer(String),
    AnswerAndClose(String),
    /// Performed, not answered: the connection closes.
    Close,
}

async fn session<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, state: Arc<Mutex<Registry>>) {
    let mut client: Option<String> = None;
    if write_frame(&mut stream, &greeting()).await.is_err() {
        return;
    }
    while let Some(frame) = read_frame(&mut stream).await {
        // pyepp counts a CRLF after the XML into the frame.
        let text = String::from_utf8_lossy(&frame);
        let outcome = handle(&state, &mut client, text.trim_end());
        match outcome {
            Outcome::Answer(xml) => {
                if write_frame(&mut stream, &xml).await.is_err() {
                    return;
                }
            }
            Outcome::AnswerAndClose(xml) => {
                let _ = write_frame(&mut stream, &xml).await;
                break;
            }
            Outcome::Close => break,
        }
    }
    let _ = stream.shutdown().await;
}

fn stamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S.0Z").to_string()
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn greeting() -> String {
    let objects: String = OBJECTS.iter().map(|uri| format!("<objURI>{uri}</objURI>")).collect();
    let extensions: String = EXTENSIONS.iter().map(|uri| format!("<extURI>{uri}</extURI>")).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="{EPP_NS}">
  <greeting>
    <svID>clientdesk test registry</svID>
    <svDate>{date}</svDate>
    <svcMenu>
      <version>1.0</version>
      <lang>en</lang>
      {objects}
      <svcExtension>{extensions}</svcExtension>
    </svcMenu>
    <dcp>
      <access><all/></access>
      <statement>
        <purpose><admin/><prov/></purpose>
        <recipient><ours/><public/></recipient>
        <retention><stated/></retention>
      </statement>
    </dcp>
  </greeting>
</epp>"#,
        date = stamp(Utc::now())
    )
}

/// An element of a request: its namespace, local name, attributes, text, and the local names
/// of the elements around it from the root down (`path`, itself last).
struct Element {
    ns: String,
    path: Vec<String>,
    attrs: Vec<(String, String)>,
    text: String,
}

/// A request's elements in document order.
struct Request {
    elements: Vec<Element>,
}

impl Request {
    fn parse(xml: &str) -> Result<Request, String> {
        let mut reader = NsReader::from_str(xml);
        let decoder = reader.decoder();
        let mut elements: Vec<Element> = Vec::new();
        // Indexes into `elements` of the open ones.
        let mut open: Vec<usize> = Vec::new();
        loop {
            let (ns, event) = reader.read_resolved_event().map_err(|e| e.to_string())?;
            let ns = match ns {
                ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.0).into_owned(),
                ResolveResult::Unbound => String::new(),
                ResolveResult::Unknown(prefix) => {
                    return Err(format!("unknown prefix {}", String::from_utf8_lossy(&prefix)));
                }
            };
            let start = |tag: &BytesStart, elements: &[Element], open: &[usize]| -> Result<Element, String> {
                let mut path = open.last().map(|&i| elements[i].path.clone()).unwrap_or_default();
                path.push(String::from_utf8_lossy(tag.local_name().as_ref()).into_owned());
                let mut attrs = Vec::new();
                for attr in tag.attributes() {
                    let attr = attr.map_err(|e| e.to_string())?;
                    let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
                    let value = attr.decode_and_unescape_value(decoder).map_err(|e| e.to_string())?;
                    attrs.push((key, value.into_owned()));
                }
                Ok(Element { ns: ns.clone(), path, attrs, text: String::new() })
            };
            match event {
                Event::Start(tag) => {
                    let element = start(&tag, &elements, &open)?;
                    elements.push(element);
                    open.push(elements.len() - 1);
                }
                Event::Empty(tag) => {
                    let element = start(&tag, &elements, &open)?;
                    elements.push(element);
                }
                Event::End(_) => {
                    let i = open.pop().ok_or("an end tag too many")?;
                    elements[i].text = elements[i].text.trim().to_string();
                }
                Event::Text(text) => {
                    if let Some(&i) = open.last() {
                        elements[i].text.push_str(&text.decode().map_err(|e| e.to_string())?);
                    }
                }
                Event::CData(data) => {
                    if let Some(&i) = open.last() {
                        elements[i].text.push_str(&data.decode().map_err(|e| e.to_string())?);
                    }
                }
                Event::GeneralRef(entity) => {
                    let resolved = match entity.resolve_char_ref().map_err(|e| e.to_string())? {
                        Some(c) => c.to_string(),
                        None => {
                            let name = entity.decode().map_err(|e| e.to_string())?;
                            resolve_xml_entity(&name).ok_or(format!("unknown entity &{name};"))?.to_string()
                        }
                    };
                    if let Some(&i) = open.last() {
                        elements[i].text.push_str(&resolved);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !open.is_empty() {
            return Err("unclosed elements".into());
        }
        Ok(Request { elements })
    }

    /// The elements whose path ends with `tail`.
    fn all<'a, 't>(&'a self, tail: &'t [&'t str]) -> impl Iterator<Item = &'a Element> {
        self.elements.iter().filter(move |e| e.ends_with_names(tail))
    }

    fn first(&self, tail: &[&str]) -> Option<&Element> {
        self.all(tail).next()
    }

    fn text(&self, tail: &[&str]) -> Option<String> {
        self.first(tail).map(|e| e.text.clone())
    }

    fn texts(&self, tail: &[&str]) -> Vec<String> {
        self.all(tail).map(|e| e.text.clone()).collect()
    }
}

impl Element {
    fn ends_with_names(&self, tail: &[&str]) -> bool {
        self.path.len() >= tail.len() && self.path[self.path.len() - tail.len()..] == *tail
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// An answer before it is written.
struct Reply {
    code: u16,
    msg: String,
    reason: Option<String>,
    /// The domain the error is about (`<extValue><value>`).
    about: Option<String>,
    data: String,
}

fn reply(code: u16) -> Reply {
    let msg = match code {
        1000 => "Command completed successfully",
        1500 => "Command completed successfully; ending session",
        2000 => "Unknown command",
        2001 => "Command syntax error",
        2002 => "Command use error",
        2003 => "Required parameter missing",
        2005 => "Parameter value syntax error",
        2100 => "Unimplemented protocol version",
        2101 => "Unimplemented command",
        2102 => "Unimplemented option",
        2103 => "Unimplemented extension",
        2106 => "Object is not eligible for transfer",
        2200 => "Authentication error",
        2201 => "Authorization error",
        2202 => "Invalid authorization information",
        2301 => "Object not pending transfer",
        2302 => "Object exists",
        2303 => "Object does not exist",
        2304 => "Object status prohibits operation",
        2306 => "Parameter value policy error",
        2307 => "Unimplemented object service",
        _ => "Command failed",
    };
    Reply { code, msg: msg.into(), reason: None, about: None, data: String::new() }
}

/// `code` with a reason, about the domain `name` (none when empty).
fn refuse(code: u16, name: &str, reason: &str) -> Reply {
    Reply { reason: Some(reason.into()), about: (!name.is_empty()).then(|| name.into()), ..reply(code) }
}

fn done(data: String) -> Reply {
    Reply { data, ..reply(1000) }
}

fn render(reply: &Reply, cl_trid: Option<&str>, sv_trid: u64) -> String {
    let mut result = format!(r#"<result code="{}"><msg>{}</msg>"#, reply.code, esc(&reply.msg));
    if let Some(reason) = &reply.reason {
        let value = match &reply.about {
            Some(name) => format!(r#"<domain:name xmlns:domain="{DOMAIN_NS}">{}</domain:name>"#, esc(name)),
            None => "<undef/>".into(),
        };
        let reason = esc(reason);
        result.push_str(&format!("<extValue><value>{value}</value><reason>{reason}</reason></extValue>"));
    }
    result.push_str("</result>");
    let data = match reply.data.as_str() {
        "" => String::new(),
        data => format!("<resData>{data}</resData>"),
    };
    let cl_trid = cl_trid.map(|t| format!("<clTRID>{}</clTRID>", esc(t))).unwrap_or_default();
    let tr_id = format!("<trID>{cl_trid}<svTRID>TEST-{sv_trid}</svTRID></trID>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="{EPP_NS}"><response>{result}{data}{tr_id}</response></epp>"#
    )
}

/// `<domain:{kind}Data xmlns:domain=…>` around `fields` (each `(tag, text)`).
fn domain_data(kind: &str, fields: &[(&str, String)]) -> String {
    let body: String =
        fields.iter().map(|(tag, text)| format!("<domain:{tag}>{}</domain:{tag}>", esc(text))).collect();
    format!(r#"<domain:{kind}Data xmlns:domain="{DOMAIN_NS}">{body}</domain:{kind}Data>"#)
}

fn valid_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A `<domain:period>` in months: years 1–10 (or the months of whole years 1–10).
fn period(request: &Request, verb: &str) -> Result<Option<u32>, Reply> {
    let Some(period) = request.first(&[verb, "period"]) else { return Ok(None) };
    let value: u32 = period.text.parse().map_err(|_| refuse(2005, "", "The period is not a number"))?;
    let months = match period.attr("unit") {
        Some("m") => value,
        _ => value.saturating_mul(12),
    };
    if months % 12 != 0 || !(12..=120).contains(&months) {
        return Err(refuse(2306, "", "The period must be 1 to 10 years"));
    }
    Ok(Some(months))
}

fn add_months(time: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    time.checked_add_months(Months::new(months)).expect("a date in range")
}

fn handle(state: &Mutex<Registry>, client: &mut Option<String>, xml: &str) -> Outcome {
    let mut registry = state.lock().unwrap();
    let request = match Request::parse(xml) {
        Ok(request) => request,
        Err(error) => {
            let serial = registry.next();
            return Outcome::Answer(render(&refuse(2001, "", &error), None, serial));
        }
    };
    let epp = request.elements.first().filter(|e| e.path == ["epp"] && e.ns == EPP_NS);
    if epp.is_none() {
        let serial = registry.next();
        return Outcome::Answer(render(&refuse(2001, "", "Not an EPP document"), None, serial));
    }
    if request.first(&["epp", "hello"]).is_some_and(|e| e.path.len() == 2) {
        return Outcome::Answer(greeting());
    }
    // The command: <command>'s first child other than <extension> and <clTRID>.
    let command = request.elements.iter().find(|e| {
        e.path.len() == 3 && e.path[1] == "command" && !["extension", "clTRID"].contains(&e.path[2].as_str())
    });
    let cl_trid = request.first(&["epp", "command", "clTRID"]).map(|e| e.text.clone());
    let cl_trid = cl_trid.as_deref();
    let Some(command) = command else {
        let serial = registry.next();
        return Outcome::Answer(render(&refuse(2001, "", "No command"), cl_trid, serial));
    };
    let kind = command.path[2].clone();
    let who = client.clone().unwrap_or_else(|| "-".into());
    registry.log.push(format!("{who} {kind}"));

    // (the answer, whether the session ends with it)
    let (answer, last) = 'answer: {
        if client.is_none() && kind != "login" {
            break 'answer (refuse(2002, "", "Not logged in"), false);
        }
        if let Some(at) = registry.fail.iter().position(|(k, _, _)| *k == kind) {
            let (_, code, msg) = registry.fail.remove(at);
            break 'answer (Reply { msg, ..reply(code) }, false);
        }
        match kind.as_str() {
            "login" => (login(&request, client), false),
            "logout" => (reply(1500), true),
            "check" | "info" | "create" | "renew" | "transfer" | "update" | "delete" => {
                // The object element inside, e.g. <domain:create>.
                let object = request.elements.iter().find(|e| e.path.len() == 4 && e.path[2] == kind);
                match object {
                    Some(object) if object.ns == DOMAIN_NS && object.path[3] == kind => {
                        let me = client.clone().unwrap_or_default();
                        (domain_command(&mut registry, &request, &kind, &me), false)
                    }
                    Some(_) => (reply(2101), false),
                    None => (refuse(2001, "", "No object in the command"), false),
                }
            }
            "poll" => (reply(2101), false),
            _ => (reply(2000), false),
        }
    };
    if let Some(at) = registry.drop_after.iter().position(|k| *k == kind) {
        registry.drop_after.remove(at);
        return Outcome::Close;
    }
    let serial = registry.next();
    let xml = render(&answer, cl_trid, serial);
    if last { Outcome::AnswerAndClose(xml) } else { Outcome::Answer(xml) }
}

fn login(request: &Request, client: &mut Option<String>) -> Reply {
    if client.is_some() {
        return refuse(2002, "", "Already logged in");
    }
    let id = request.text(&["login", "clID"]).unwrap_or_default();
    let pw = request.text(&["login", "pw"]).unwrap_or_default();
    if request.text(&["login", "options", "version"]).as_deref() != Some("1.0") {
        return reply(2100);
    }
    if request.text(&["login", "options", "lang"]).as_deref() != Some("en") {
        return refuse(2102, "", "Only English is spoken here");
    }
    if request.texts(&["login", "svcs", "objURI"]).iter().any(|uri| !OBJECTS.contains(&uri.as_str())) {
        return reply(2307);
    }
    let extensions = request.texts(&["svcs", "svcExtension", "extURI"]);
    if extensions.iter().any(|uri| !EXTENSIONS.contains(&uri.as_str())) {
        return reply(2103);
    }
    if !ACCOUNTS.iter().any(|(user, password)| *user == id && *password == pw) {
        return reply(2200);
    }
    *client = Some(id);
    reply(1000)
}

/// What `<domain:infData>` shows as the status: the client statuses, "inactive" without
/// nameservers, "ok" when nothing else applies.
fn shown_statuses(domain: &ServerDomain) -> Vec<String> {
    let mut statuses = domain.statuses.clone();
    if domain.ns.is_empty() {
        statuses.push("inactive".into());
    }
    if statuses.is_empty() {
        statuses.push("ok".into());
    }
    statuses
}

fn transfer_data(domain: &ServerDomain) -> String {
    let transfer = domain.transfer.as_ref().expect("a transfer");
    domain_data(
        "trn",
        &[
            ("name", domain.name.clone()),
            ("trStatus", transfer.status.clone()),
            ("reID", transfer.requester.clone()),
            ("reDate", stamp(transfer.requested)),
            ("acID", transfer.losing.clone()),
            ("acDate", stamp(transfer.acted)),
            ("exDate", stamp(domain.expires)),
        ],
    )
}

fn domain_command(registry: &mut Registry, request: &Request, verb: &str, me: &str) -> Reply {
    let now = Utc::now();
    if verb == "check" {
        let items: String = request
            .texts(&["check", "name"])
            .iter()
            .map(|name| {
                let name = name.to_lowercase();
                let (avail, reason) = if !valid_name(&name) {
                    ("0", Some("Invalid domain name"))
                } else if registry.domains.contains_key(&name) {
                    ("0", Some("In use"))
                } else {
                    ("1", None)
                };
                // pyepp reads a reason for every name that is not available.
                let reason =
                    reason.map(|r| format!("<domain:reason>{r}</domain:reason>")).unwrap_or_default();
                let name = esc(&name);
                format!(r#"<domain:cd><domain:name avail="{avail}">{name}</domain:name>{reason}</domain:cd>"#)
            })
            .collect();
        return done(format!(r#"<domain:chkData xmlns:domain="{DOMAIN_NS}">{items}</domain:chkData>"#));
    }
    let Some(name) = request.text(&[verb, "name"]).map(|n| n.to_lowercase()).filter(|n| !n.is_empty()) else {
        return refuse(2003, "", "The domain name is missing");
    };
    let code = request.text(&[verb, "authInfo", "pw"]);
    if verb == "create" {
        if !valid_name(&name) {
            return refuse(2005, &name, "Invalid domain name");
        }
        if registry.domains.contains_key(&name) {
            return refuse(2302, &name, "The domain is registered already");
        }
        let months = match period(request, verb) {
            Ok(months) => months.unwrap_or(12),
            Err(refused) => return Reply { about: Some(name), ..refused },
        };
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            return refuse(2003, &name, "The auth code is missing");
        };
        let roid = format!("D{}-TEST", registry.next());
        let domain = ServerDomain {
            name: name.clone(),
            roid,
            owner: me.into(),
            creator: me.into(),
            created: now,
            expires: add_months(now, months),
            updated: None,
            statuses: vec![],
            ns: request.texts(&["create", "ns", "hostObj"]).iter().map(|h| h.to_lowercase()).collect(),
            registrant: request.text(&["create", "registrant"]).unwrap_or_default(),
            contacts: request
                .all(&["create", "contact"])
                .map(|c| (c.attr("type").unwrap_or_default().to_string(), c.text.clone()))
                .collect(),
            auth_info: code,
            transfer: None,
        };
        let data = domain_data(
            "cre",
            &[("name", name.clone()), ("crDate", stamp(now)), ("exDate", stamp(domain.expires))],
        );
        registry.domains.insert(name, domain);
        return done(data);
    }
    let Some(domain) = registry.domains.get_mut(&name) else {
        return refuse(2303, &name, "No such domain");
    };
    let sponsor = domain.owner == me;
    match verb {
        "info" => {
            if !sponsor && code.as_ref().is_some_and(|c| *c != domain.auth_info) {
                return refuse(2202, &name, "Wrong auth code");
            }
            let mut body = format!("<domain:name>{}</domain:name>", esc(&name));
            body.push_str(&format!("<domain:roid>{}</domain:roid>", esc(&domain.roid)));
            for status in shown_statuses(domain) {
                body.push_str(&format!(r#"<domain:status s="{status}"/>"#));
            }
            // Always there, even empty: pyepp reads registrant and clID unconditionally.
            body.push_str(&format!("<domain:registrant>{}</domain:registrant>", esc(&domain.registrant)));
            for (kind, id) in &domain.contacts {
                let (kind, id) = (esc(kind), esc(id));
                body.push_str(&format!(r#"<domain:contact type="{kind}">{id}</domain:contact>"#));
            }
            if !domain.ns.is_empty() {
                let host = |h: &String| format!("<domain:hostObj>{}</domain:hostObj>", esc(h));
                let hosts: String = domain.ns.iter().map(host).collect();
                body.push_str(&format!("<domain:ns>{hosts}</domain:ns>"));
            }
            body.push_str(&format!("<domain:clID>{}</domain:clID>", esc(&domain.owner)));
            body.push_str(&format!("<domain:crID>{}</domain:crID>", esc(&domain.creator)));
            body.push_str(&format!("<domain:crDate>{}</domain:crDate>", stamp(domain.created)));
            if let Some(updated) = domain.updated {
                body.push_str(&format!("<domain:upID>{}</domain:upID>", esc(&domain.owner)));
                body.push_str(&format!("<domain:upDate>{}</domain:upDate>", stamp(updated)));
            }
            body.push_str(&format!("<domain:exDate>{}</domain:exDate>", stamp(domain.expires)));
            if let Some(transfer) = &domain.transfer {
                body.push_str(&format!("<domain:trDate>{}</domain:trDate>", stamp(transfer.acted)));
            }
            // The code only to its sponsor.
            if sponsor {
                let pw = esc(&domain.auth_info);
                body.push_str(&format!("<domain:authInfo><domain:pw>{pw}</domain:pw></domain:authInfo>"));
            }
            done(format!(r#"<domain:infData xmlns:domain="{DOMAIN_NS}">{body}</domain:infData>"#))
        }
        "renew" => {
            if !sponsor {
                return refuse(2201, &name, "Not your domain");
            }
            if domain.statuses.iter().any(|s| s == "clientRenewProhibited") {
                return refuse(2304, &name, "clientRenewProhibited");
            }
            let Some(current) = request.text(&["renew", "curExpDate"]) else {
                return refuse(2003, &name, "curExpDate is missing");
            };
            let Ok(current) = NaiveDate::parse_from_str(&current, "%Y-%m-%d") else {
                return refuse(2005, &name, "curExpDate is not a date");
            };
            if current != domain.expiry() {
                return refuse(2306, &name, "curExpDate is not the current expiry date");
            }
            let months = match period(request, verb) {
                Ok(months) => months.unwrap_or(12),
                Err(refused) => return Reply { about: Some(name), ..refused },
            };
            domain.expires = add_months(domain.expires, months);
            done(domain_data("ren", &[("name", name.clone()), ("exDate", stamp(domain.expires))]))
        }
        "transfer" => {
            let op = request.first(&["command", "transfer"]).and_then(|t| t.attr("op")).unwrap_or_default();
            match op {
                "request" => {
                    if sponsor {
                        return refuse(2106, &name, "The domain is yours already");
                    }
                    let Some(code) = code else {
                        return refuse(2003, &name, "The auth code is missing");
                    };
                    if code != domain.auth_info {
                        return refuse(2202, &name, "Wrong auth code");
                    }
                    if domain.statuses.iter().any(|s| s == "clientTransferProhibited") {
                        return refuse(2304, &name, "clientTransferProhibited");
                    }
                    let months = match period(request, verb) {
                        Ok(months) => months.unwrap_or(12),
                        Err(refused) => return Reply { about: Some(name), ..refused },
                    };
                    domain.transfer = Some(ServerTransfer {
                        status: "serverApproved".into(),
                        requester: me.into(),
                        losing: domain.owner.clone(),
                        requested: now,
                        acted: now,
                    });
                    domain.owner = me.into();
                    domain.expires = add_months(domain.expires, months);
                    done(transfer_data(domain))
                }
                "query" => {
                    let party = domain.transfer.as_ref().is_some_and(|t| t.requester == me || t.losing == me);
                    let knows = code.as_ref().is_some_and(|c| *c == domain.auth_info);
                    if !(sponsor || party || knows) {
                        return refuse(2201, &name, "Not your domain");
                    }
                    if domain.transfer.is_none() {
                        return refuse(2301, &name, "No transfer");
                    }
                    done(transfer_data(domain))
                }
                _ => refuse(2102, &name, "Only transfer request and query"),
            }
        }
        "update" => {
            if !sponsor {
                return refuse(2201, &name, "Not your domain");
            }
            let statuses = |list: &str| -> Vec<String> {
                let tail = ["update", list, "status"];
                request.all(&tail).filter_map(|s| s.attr("s")).map(str::to_string).collect()
            };
            let (add_status, rem_status) = (statuses("add"), statuses("rem"));
            let not_client = |s: &&String| !CLIENT_STATUSES.contains(&s.as_str());
            if let Some(bad) = add_status.iter().chain(&rem_status).find(not_client) {
                return refuse(2306, &name, &format!("{bad} is not a client status"));
            }
            let locked = domain.statuses.iter().any(|s| s == "clientUpdateProhibited");
            if locked && !rem_status.iter().any(|s| s == "clientUpdateProhibited") {
                return refuse(2304, &name, "clientUpdateProhibited");
            }
            for host in request.texts(&["update", "add", "ns", "hostObj"]) {
                let host = host.to_lowercase();
                if !domain.ns.contains(&host) {
                    domain.ns.push(host);
                }
            }
            let rem_ns: Vec<String> = request.texts(&["update", "rem", "ns", "hostObj"]);
            domain.ns.retain(|h| !rem_ns.iter().any(|r| r.eq_ignore_ascii_case(h)));
            for status in add_status {
                if !domain.statuses.contains(&status) {
                    domain.statuses.push(status);
                }
            }
            domain.statuses.retain(|s| !rem_status.contains(s));
            for contact in request.all(&["update", "add", "contact"]) {
                let entry = (contact.attr("type").unwrap_or_default().to_string(), contact.text.clone());
                if !domain.contacts.contains(&entry) {
                    domain.contacts.push(entry);
                }
            }
            for contact in request.all(&["update", "rem", "contact"]) {
                let kind = contact.attr("type").unwrap_or_default();
                domain.contacts.retain(|(k, id)| !(k == kind && *id == contact.text));
            }
            if let Some(registrant) = request.text(&["update", "chg", "registrant"]) {
                domain.registrant = registrant;
            }
            if let Some(code) = request.text(&["update", "chg", "authInfo", "pw"]) {
                domain.auth_info = code;
            }
            domain.updated = Some(now);
            reply(1000)
        }
        "delete" => {
            if !sponsor {
                return refuse(2201, &name, "Not your domain");
            }
            if domain.statuses.iter().any(|s| s == "clientDeleteProhibited") {
                return refuse(2304, &name, "clientDeleteProhibited");
            }
            registry.domains.remove(&name);
            reply(1000)
        }
        _ => reply(2101),
    }
}
