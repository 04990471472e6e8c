//! The XML of EPP: commands written in the schemas' element order (RFC 5730, 5731), greetings
//! and responses read by local names, so any prefix (`epp:result`) and any whitespace is fine.
use super::{CheckItem, Command, ContactRole, DomainInfo, EppError, Greeting, ResData, Response};
use quick_xml::Reader;
use quick_xml::escape::{escape, unescape};
use quick_xml::events::{BytesStart, Event};

pub const EPP_NS: &str = "urn:ietf:params:xml:ns:epp-1.0";
pub const DOMAIN_NS: &str = "urn:ietf:params:xml:ns:domain-1.0";
pub const CONTACT_NS: &str = "urn:ietf:params:xml:ns:contact-1.0";
pub const HOST_NS: &str = "urn:ietf:params:xml:ns:host-1.0";

/// An XML document written front to back; every text and attribute value escaped.
struct Out {
    buf: String,
}

impl Out {
    /// `<?xml …?><epp xmlns=…><command>`
    fn command() -> Out {
        let mut out = Out { buf: String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#) };
        out.open("epp", &[("xmlns", EPP_NS)]);
        out.open("command", &[]);
        out
    }

    /// `<clTRID>` (left out when empty: the schema wants 3–64 characters) and the closing tags.
    fn finish(mut self, cl_trid: &str) -> String {
        if !cl_trid.is_empty() {
            self.leaf("clTRID", &[], cl_trid);
        }
        self.close("command");
        self.close("epp");
        self.buf
    }

    fn start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (key, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(key);
            self.buf.push_str("=\"");
            self.buf.push_str(&escape(*value));
            self.buf.push('"');
        }
    }

    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.start(tag, attrs);
        self.buf.push('>');
    }

    fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.start(tag, attrs);
        self.buf.push_str("/>");
    }

    fn close(&mut self, tag: &str) {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
    }

    fn leaf(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(tag, attrs);
        self.buf.push_str(&escape(text));
        self.close(tag);
    }

    /// `<verb op=…><domain:verb xmlns:domain=…>` … `</domain:verb></verb>`
    fn domain(&mut self, verb: &str, op: Option<&str>, body: impl FnOnce(&mut Out)) {
        match op {
            Some(op) => self.open(verb, &[("op", op)]),
            None => self.open(verb, &[]),
        }
        let inner = format!("domain:{verb}");
        self.open(&inner, &[("xmlns:domain", DOMAIN_NS)]);
        body(self);
        self.close(&inner);
        self.close(verb);
    }

    fn period(&mut self, years: u8) {
        self.leaf("domain:period", &[("unit", "y")], &years.to_string());
    }

    fn auth_info(&mut self, code: &str) {
        self.open("domain:authInfo", &[]);
        self.leaf("domain:pw", &[], code);
        self.close("domain:authInfo");
    }

    fn nameservers(&mut self, hosts: &[String]) {
        if hosts.is_empty() {
            return;
        }
        self.open("domain:ns", &[]);
        for host in hosts {
            self.leaf("domain:hostObj", &[], host);
        }
        self.close("domain:ns");
    }

    fn contacts(&mut self, contacts: &[(ContactRole, String)]) {
        for (role, id) in contacts {
            self.leaf("domain:contact", &[("type", role.as_str())], id);
        }
    }
}

/// `<login>`: protocol 1.0 in English, for the given object URIs, no extensions.
pub fn login(username: &str, password: &str, obj_uris: &[&str], cl_trid: &str) -> String {
    let mut x = Out::command();
    x.open("login", &[]);
    x.leaf("clID", &[], username);
    x.leaf("pw", &[], password);
    x.open("options", &[]);
    x.leaf("version", &[], "1.0");
    x.leaf("lang", &[], "en");
    x.close("options");
    x.open("svcs", &[]);
    for uri in obj_uris {
        x.leaf("objURI", &[], uri);
    }
    x.close("svcs");
    x.close("login");
    x.finish(cl_trid)
}

pub fn logout(cl_trid: &str) -> String {
    let mut x = Out::command();
    x.empty("logout", &[]);
    x.finish(cl_trid)
}

/// A domain command, with its elements in the order of the domain-1.0 schema.
pub fn command(cmd: &Command, cl_trid: &str) -> String {
    let mut x = Out::command();
    match cmd {
        Command::Check { names } => x.domain("check", None, |x| {
            for name in names {
                x.leaf("domain:name", &[], name);
            }
        }),
        Command::Create { name, years, nameservers, registrant, contacts, auth_info } => {
            x.domain("create", None, |x| {
                x.leaf("domain:name", &[], name);
                x.period(*years);
                x.nameservers(nameservers);
                if !registrant.is_empty() {
                    x.leaf("domain:registrant", &[], registrant);
                }
                x.contacts(contacts);
                x.auth_info(auth_info);
            })
        }
        Command::Info { name, auth_info } => x.domain("info", None, |x| {
            x.leaf("domain:name", &[], name);
            if let Some(code) = auth_info {
                x.auth_info(code);
            }
        }),
        Command::Renew { name, current_expiry, years } => x.domain("renew", None, |x| {
            x.leaf("domain:name", &[], name);
            x.leaf("domain:curExpDate", &[], &current_expiry.format("%Y-%m-%d").to_string());
            x.period(*years);
        }),
        Command::TransferRequest { name, years, auth_info } => x.domain("transfer", Some("request"), |x| {
            x.leaf("domain:name", &[], name);
            if let Some(years) = years {
                x.period(*years);
            }
            x.auth_info(auth_info);
        }),
        Command::TransferQuery { name } => x.domain("transfer", Some("query"), |x| {
            x.leaf("domain:name", &[], name);
        }),
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
        } => x.domain("update", None, |x| {
            x.leaf("domain:name", &[], name);
            let changes = [
                ("domain:add", add_ns, add_contacts, add_status),
                ("domain:rem", rem_ns, rem_contacts, rem_status),
            ];
            for (tag, ns, contacts, statuses) in changes {
                if ns.is_empty() && contacts.is_empty() && statuses.is_empty() {
                    continue;
                }
                x.open(tag, &[]);
                x.nameservers(ns);
                x.contacts(contacts);
                for status in statuses {
                    x.empty("domain:status", &[("s", status.as_str())]);
                }
                x.close(tag);
            }
            if registrant.is_some() || auth_info.is_some() {
                x.open("domain:chg", &[]);
                if let Some(registrant) = registrant {
                    x.leaf("domain:registrant", &[], registrant);
                }
                if let Some(code) = auth_info {
                    x.auth_info(code);
                }
                x.close("domain:chg");
            }
        }),
        Command::Delete { name } => x.domain("delete", None, |x| {
            x.leaf("domain:name", &[], name);
        }),
    }
    x.finish(cl_trid)
}

/// An element of a parsed document: its local name, attributes (by local name, namespace
/// declarations left out), children and text (unescaped, trimmed).
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A child's text, if the child is there.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.clone())
    }
}

fn malformed(what: impl std::fmt::Display) -> EppError {
    EppError::Protocol(format!("malformed XML: {what}"))
}

fn utf8(bytes: &[u8]) -> Result<&str, EppError> {
    std::str::from_utf8(bytes).map_err(malformed)
}

fn local(qname: &[u8]) -> Result<String, EppError> {
    let name = utf8(qname)?;
    Ok(name.rsplit(':').next().unwrap_or(name).to_string())
}

fn element(start: &BytesStart<'_>) -> Result<Node, EppError> {
    let mut node = Node { name: local(start.name().as_ref())?, ..Default::default() };
    for attr in start.attributes() {
        let attr = attr.map_err(malformed)?;
        let key = utf8(attr.key.as_ref())?;
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = unescape(utf8(&attr.value)?).map_err(malformed)?.into_owned();
        node.attrs.push((local(key.as_bytes())?, value));
    }
    Ok(node)
}

/// A finished element into its parent, or as the root.
fn place(open: &mut [Node], root: &mut Option<Node>, node: Node) -> Result<(), EppError> {
    match open.last_mut() {
        Some(parent) => parent.children.push(node),
        None if root.is_none() => *root = Some(node),
        None => return Err(malformed("more than one root element")),
    }
    Ok(())
}

/// The document's root element as a tree. Text is gathered raw (quick-xml reports entity
/// references apart from the text around them) and unescaped when its element closes.
pub(crate) fn parse(xml: &str) -> Result<Node, EppError> {
    let mut reader = Reader::from_str(xml);
    let mut open: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        match reader.read_event().map_err(malformed)? {
            Event::Start(start) => open.push(element(&start)?),
            Event::Empty(start) => {
                let node = element(&start)?;
                place(&mut open, &mut root, node)?;
            }
            Event::End(_) => {
                let mut node = open.pop().ok_or_else(|| malformed("an end tag without a start"))?;
                let text = unescape(&node.text).map_err(malformed)?.trim().to_string();
                node.text = text;
                place(&mut open, &mut root, node)?;
            }
            Event::Text(text) => {
                if let Some(node) = open.last_mut() {
                    node.text.push_str(utf8(&text)?);
                }
            }
            Event::GeneralRef(entity) => {
                if let Some(node) = open.last_mut() {
                    node.text.push('&');
                    node.text.push_str(utf8(&entity)?);
                    node.text.push(';');
                }
            }
            Event::CData(data) => {
                if let Some(node) = open.last_mut() {
                    node.text.push_str(&escape(utf8(&data)?));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() {
        return Err(malformed("the document ends inside an element"));
    }
    root.ok_or_else(|| malformed("no root element"))
}

/// The `<epp>` root's one child of that name (`greeting`, `response`).
fn body(xml: &str, name: &str) -> Result<Node, EppError> {
    let mut root = parse(xml)?;
    if root.name != "epp" {
        return Err(EppError::Protocol(format!("not EPP: a <{}> document", root.name)));
    }
    let at = root.children.iter().position(|c| c.name == name);
    match at {
        Some(at) => Ok(root.children.swap_remove(at)),
        None => {
            let found = root.children.first().map_or("nothing", |c| c.name.as_str());
            Err(EppError::Protocol(format!("expected <{name}>, found <{found}>")))
        }
    }
}

pub fn parse_greeting(xml: &str) -> Result<Greeting, EppError> {
    let greeting = body(xml, "greeting")?;
    let menu = greeting.child("svcMenu");
    let texts = |node: Option<&Node>, name: &str| -> Vec<String> {
        node.map(|n| n.all(name).map(|c| c.text.clone()).collect()).unwrap_or_default()
    };
    Ok(Greeting {
        server_id: greeting.text_of("svID").unwrap_or_default(),
        obj_uris: texts(menu, "objURI"),
        ext_uris: texts(menu.and_then(|m| m.child("svcExtension")), "extURI"),
    })
}

pub fn parse_response(xml: &str) -> Result<Response, EppError> {
    let response = body(xml, "response")?;
    let first =
        response.child("result").ok_or_else(|| EppError::Protocol("a response without a result".into()))?;
    let code = first
        .attr("code")
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| (1000..3000).contains(c))
        .ok_or_else(|| EppError::Protocol(format!("a result code {:?}", first.attr("code"))))?;
    let results: Vec<&Node> = response.all("result").collect();
    let msg = results.iter().filter_map(|r| r.text_of("msg")).collect::<Vec<_>>().join("; ");
    let reasons = results
        .iter()
        .flat_map(|r| r.all("extValue"))
        .filter_map(|v| v.text_of("reason"))
        .filter(|r| !r.is_empty())
        .collect();
    let tr_id = response.child("trID");
    let data = match response.child("resData").and_then(|d| d.children.first()) {
        Some(data) => res_data(data)?,
        None => ResData::None,
    };
    Ok(Response {
        code,
        msg,
        reasons,
        cl_trid: tr_id.and_then(|t| t.text_of("clTRID")),
        sv_trid: tr_id.and_then(|t| t.text_of("svTRID")),
        data,
    })
}

fn required(node: &Node, name: &str) -> Result<String, EppError> {
    node.text_of(name).ok_or_else(|| EppError::Protocol(format!("<{}> without <{name}>", node.name)))
}

fn res_data(data: &Node) -> Result<ResData, EppError> {
    Ok(match data.name.as_str() {
        "chkData" => ResData::Check(
            data.all("cd")
                .map(|cd| -> Result<CheckItem, EppError> {
                    let name =
                        cd.child("name").ok_or_else(|| EppError::Protocol("<cd> without <name>".into()))?;
                    Ok(CheckItem {
                        name: name.text.clone(),
                        available: matches!(name.attr("avail"), Some("1" | "true")),
                        reason: cd.text_of("reason").filter(|r| !r.is_empty()),
                    })
                })
                .collect::<Result<_, EppError>>()?,
        ),
        "creData" => ResData::Create {
            name: required(data, "name")?,
            created: data.text_of("crDate"),
            expires: data.text_of("exDate"),
        },
        "infData" => ResData::Info(DomainInfo {
            name: required(data, "name")?,
            roid: data.text_of("roid").unwrap_or_default(),
            statuses: data.all("status").filter_map(|s| s.attr("s")).map(str::to_string).collect(),
            registrant: data.text_of("registrant").filter(|r| !r.is_empty()),
            contacts: data
                .all("contact")
                .map(|c| (c.attr("type").unwrap_or_default().to_string(), c.text.clone()))
                .collect(),
            // Host objects or, where the registry keeps hosts as attributes, their names.
            nameservers: data
                .child("ns")
                .map(|ns| {
                    ns.all("hostObj")
                        .map(|h| h.text.clone())
                        .chain(ns.all("hostAttr").filter_map(|h| h.text_of("hostName")))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            client_id: data.text_of("clID").unwrap_or_default(),
            created: data.text_of("crDate"),
            expires: data.text_of("exDate"),
            auth_info: data.child("authInfo").and_then(|a| a.text_of("pw")),
        }),
        "renData" => ResData::Renew { name: required(data, "name")?, expires: data.text_of("exDate") },
        "trnData" => ResData::Transfer {
            name: required(data, "name")?,
            status: required(data, "trStatus")?,
            expires: data.text_of("exDate"),
        },
        other => return Err(EppError::Protocol(format!("unexpected <resData><{other}>"))),
    })
}

#[cfg(test)]
#[path = "xml_tests.rs"]
mod tests;
