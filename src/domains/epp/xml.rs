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
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn names(node: &Node) -> Vec<&str> {
        node.children.iter().map(|c| c.name.as_str()).collect()
    }

    /// The built command parsed back: `<epp><command>`'s children, and the domain element.
    fn built(cmd: &Command) -> (String, Node) {
        let xml = command(cmd, "ABC-12345");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""), "{xml}");
        assert!(xml.contains(r#"<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">"#), "{xml}");
        let verb = cmd.verb();
        assert!(
            xml.contains(&format!(r#"<domain:{verb} xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">"#)),
            "{xml}"
        );
        let root = parse(&xml).unwrap();
        assert_eq!(root.name, "epp");
        let command = root.child("command").unwrap();
        assert_eq!(names(command), [verb, "clTRID"]);
        assert_eq!(command.text_of("clTRID").as_deref(), Some("ABC-12345"));
        let inner = command.child(verb).unwrap().child(verb).unwrap().clone();
        (xml, inner)
    }

    #[test]
    fn check_lists_the_names() {
        let (_, check) = built(&Command::Check { names: vec!["example.com".into(), "example.net".into()] });
        assert_eq!(names(&check), ["name", "name"]);
        assert_eq!(check.children[1].text, "example.net");
    }

    #[test]
    fn create_follows_the_schema_order_and_escapes() {
        let (xml, create) = built(&Command::Create {
            name: "example.com".into(),
            years: 2,
            nameservers: vec!["ns1.example.net".into(), "ns2.example.net".into()],
            registrant: "jd1234".into(),
            contacts: vec![(ContactRole::Admin, "sh8013".into()), (ContactRole::Tech, "sh8014".into())],
            auth_info: "2fooBAR<&\"'>".into(),
        });
        assert_eq!(names(&create), ["name", "period", "ns", "registrant", "contact", "contact", "authInfo"]);
        assert_eq!(create.child("period").unwrap().attr("unit"), Some("y"));
        assert_eq!(create.text_of("period").as_deref(), Some("2"));
        let ns = create.child("ns").unwrap();
        assert_eq!(names(ns), ["hostObj", "hostObj"]);
        assert_eq!(ns.children[0].text, "ns1.example.net");
        assert_eq!(create.children[4].attr("type"), Some("admin"));
        assert_eq!(create.children[5].attr("type"), Some("tech"));
        assert_eq!(create.child("authInfo").unwrap().text_of("pw").as_deref(), Some("2fooBAR<&\"'>"));
        assert!(!xml.contains("<&"), "escaped: {xml}");
    }

    #[test]
    fn create_without_nameservers_or_registrant_leaves_them_out() {
        let (_, create) = built(&Command::Create {
            name: "example.com".into(),
            years: 1,
            nameservers: vec![],
            registrant: String::new(),
            contacts: vec![],
            auth_info: "code".into(),
        });
        assert_eq!(names(&create), ["name", "period", "authInfo"]);
    }

    #[test]
    fn info_sends_the_code_when_given() {
        let (_, info) = built(&Command::Info { name: "example.com".into(), auth_info: Some("c0de".into()) });
        assert_eq!(names(&info), ["name", "authInfo"]);
        let (_, info) = built(&Command::Info { name: "example.com".into(), auth_info: None });
        assert_eq!(names(&info), ["name"]);
    }

    #[test]
    fn renew_names_the_current_expiry_day() {
        let (_, renew) = built(&Command::Renew {
            name: "example.com".into(),
            current_expiry: NaiveDate::from_ymd_opt(2027, 4, 3).unwrap(),
            years: 5,
        });
        assert_eq!(names(&renew), ["name", "curExpDate", "period"]);
        assert_eq!(renew.text_of("curExpDate").as_deref(), Some("2027-04-03"));
        assert_eq!(renew.text_of("period").as_deref(), Some("5"));
    }

    #[test]
    fn transfers_carry_their_op() {
        let name = String::from("example.com");
        let cmd = Command::TransferRequest { name: name.clone(), years: Some(1), auth_info: "x".into() };
        let (xml, request) = built(&cmd);
        assert!(xml.contains(r#"<transfer op="request">"#), "{xml}");
        assert_eq!(names(&request), ["name", "period", "authInfo"]);
        let cmd = Command::TransferRequest { name, years: None, auth_info: "x".into() };
        assert_eq!(names(&built(&cmd).1), ["name", "authInfo"]);
        let (xml, query) = built(&Command::TransferQuery { name: "example.com".into() });
        assert!(xml.contains(r#"<transfer op="query">"#), "{xml}");
        assert_eq!(names(&query), ["name"]);
    }

    #[test]
    fn update_puts_add_rem_chg_in_order() {
        let (_, update) = built(&Command::Update {
            name: "example.com".into(),
            add_ns: vec!["ns2.example.com".into()],
            rem_ns: vec!["ns1.example.com".into()],
            add_status: vec!["clientHold".into()],
            rem_status: vec![],
            add_contacts: vec![(ContactRole::Tech, "mak21".into())],
            rem_contacts: vec![(ContactRole::Billing, "sh8013".into())],
            registrant: Some("sh8013".into()),
            auth_info: Some("2BARfoo".into()),
        });
        assert_eq!(names(&update), ["name", "add", "rem", "chg"]);
        let add = update.child("add").unwrap();
        assert_eq!(names(add), ["ns", "contact", "status"]);
        assert_eq!(add.child("status").unwrap().attr("s"), Some("clientHold"));
        assert_eq!(names(update.child("rem").unwrap()), ["ns", "contact"]);
        let chg = update.child("chg").unwrap();
        assert_eq!(names(chg), ["registrant", "authInfo"]);
        assert_eq!(chg.child("authInfo").unwrap().text_of("pw").as_deref(), Some("2BARfoo"));
    }

    #[test]
    fn an_update_of_nothing_but_the_code_has_only_chg() {
        let (_, update) = built(&Command::Update {
            name: "example.com".into(),
            add_ns: vec![],
            rem_ns: vec![],
            add_status: vec![],
            rem_status: vec![],
            add_contacts: vec![],
            rem_contacts: vec![],
            registrant: None,
            auth_info: Some("new".into()),
        });
        assert_eq!(names(&update), ["name", "chg"]);
    }

    #[test]
    fn delete_names_the_domain() {
        let (_, delete) = built(&Command::Delete { name: "example.com".into() });
        assert_eq!(names(&delete), ["name"]);
    }

    #[test]
    fn login_and_logout() {
        let xml = login("ClientX", "foo-BAR2", &[DOMAIN_NS, CONTACT_NS], "ABC-1");
        let root = parse(&xml).unwrap();
        let command = root.child("command").unwrap();
        assert_eq!(names(command), ["login", "clTRID"]);
        let login = command.child("login").unwrap();
        assert_eq!(names(login), ["clID", "pw", "options", "svcs"]);
        assert_eq!(names(login.child("options").unwrap()), ["version", "lang"]);
        let uris: Vec<&str> = login.child("svcs").unwrap().all("objURI").map(|u| u.text.as_str()).collect();
        assert_eq!(uris, [DOMAIN_NS, CONTACT_NS]);
        let root = parse(&logout("")).unwrap();
        assert_eq!(names(root.child("command").unwrap()), ["logout"]);
    }

    const GREETING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <greeting>
    <svID>Example EPP server epp.example.com</svID>
    <svDate>2000-06-08T22:00:00.0Z</svDate>
    <svcMenu>
      <version>1.0</version>
      <lang>en</lang>
      <lang>fr</lang>
      <objURI>urn:ietf:params:xml:ns:obj1</objURI>
      <objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>
      <svcExtension>
        <extURI>http://custom/obj1ext-1.0</extURI>
      </svcExtension>
    </svcMenu>
    <dcp><access><all/></access><statement><purpose><admin/><prov/></purpose>
      <recipient><ours/><public/></recipient><retention><stated/></retention></statement></dcp>
  </greeting>
</epp>"#;

    #[test]
    fn a_greeting_names_server_and_services() {
        let greeting = parse_greeting(GREETING).unwrap();
        assert_eq!(greeting.server_id, "Example EPP server epp.example.com");
        assert_eq!(greeting.obj_uris, ["urn:ietf:params:xml:ns:obj1", DOMAIN_NS]);
        assert_eq!(greeting.ext_uris, ["http://custom/obj1ext-1.0"]);
        assert!(matches!(parse_response(GREETING), Err(EppError::Protocol(_))));
    }

    fn response(res_data: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <response>
    <result code="1000">
      <msg>Command completed successfully</msg>
    </result>
    <resData>{res_data}</resData>
    <trID>
      <clTRID>ABC-12345</clTRID>
      <svTRID>54322-XYZ</svTRID>
    </trID>
  </response>
</epp>"#
        )
    }

    #[test]
    fn a_check_answer() {
        let xml = response(
            r#"<domain:chkData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:cd><domain:name avail="1">example.com</domain:name></domain:cd>
        <domain:cd>
          <domain:name avail="0">example.net</domain:name>
          <domain:reason>In use</domain:reason>
        </domain:cd>
        <domain:cd><domain:name avail="true">example.org</domain:name></domain:cd>
      </domain:chkData>"#,
        );
        let r = parse_response(&xml).unwrap();
        assert_eq!((r.code, r.msg.as_str()), (1000, "Command completed successfully"));
        assert_eq!(r.cl_trid.as_deref(), Some("ABC-12345"));
        assert_eq!(r.sv_trid.as_deref(), Some("54322-XYZ"));
        assert!(r.is_success() && r.reasons.is_empty());
        let item = |name: &str, available, reason: Option<&str>| CheckItem {
            name: name.into(),
            available,
            reason: reason.map(str::to_string),
        };
        assert_eq!(
            r.data,
            ResData::Check(vec![
                item("example.com", true, None),
                item("example.net", false, Some("In use")),
                item("example.org", true, None)
            ])
        );
    }

    #[test]
    fn a_create_answer() {
        let xml = response(
            r#"<domain:creData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:name>example.com</domain:name>
        <domain:crDate>1999-04-03T22:00:00.0Z</domain:crDate>
        <domain:exDate>2001-04-03T22:00:00.0Z</domain:exDate>
      </domain:creData>"#,
        );
        assert_eq!(
            parse_response(&xml).unwrap().data,
            ResData::Create {
                name: "example.com".into(),
                created: Some("1999-04-03T22:00:00.0Z".into()),
                expires: Some("2001-04-03T22:00:00.0Z".into()),
            }
        );
    }

    #[test]
    fn an_info_answer() {
        let xml = response(
            r#"<domain:infData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:name>example.com</domain:name>
        <domain:roid>EXAMPLE1-REP</domain:roid>
        <domain:status s="ok"/>
        <domain:status s="clientHold" lang="en">Payment overdue.</domain:status>
        <domain:registrant>jd1234</domain:registrant>
        <domain:contact type="admin">sh8013</domain:contact>
        <domain:contact type="tech">sh8013</domain:contact>
        <domain:ns>
          <domain:hostObj>ns1.example.com</domain:hostObj>
          <domain:hostObj>ns1.example.net</domain:hostObj>
        </domain:ns>
        <domain:host>ns1.example.com</domain:host>
        <domain:clID>ClientX</domain:clID>
        <domain:crID>ClientY</domain:crID>
        <domain:crDate>1999-04-03T22:00:00.0Z</domain:crDate>
        <domain:upID>ClientX</domain:upID>
        <domain:upDate>1999-12-03T09:00:00.0Z</domain:upDate>
        <domain:exDate>2005-04-03T22:00:00.0Z</domain:exDate>
        <domain:trDate>2000-04-08T09:00:00.0Z</domain:trDate>
        <domain:authInfo><domain:pw>2fooBAR&amp;&lt;x&#x41;</domain:pw></domain:authInfo>
      </domain:infData>"#,
        );
        let ResData::Info(info) = parse_response(&xml).unwrap().data else { panic!("not an info") };
        assert_eq!(info.name, "example.com");
        assert_eq!(info.roid, "EXAMPLE1-REP");
        assert_eq!(info.statuses, ["ok", "clientHold"]);
        assert_eq!(info.registrant.as_deref(), Some("jd1234"));
        let contact = |kind: &str, id: &str| (kind.to_string(), id.to_string());
        assert_eq!(info.contacts, [contact("admin", "sh8013"), contact("tech", "sh8013")]);
        assert_eq!(info.nameservers, ["ns1.example.com", "ns1.example.net"]);
        assert_eq!(info.client_id, "ClientX");
        assert_eq!(info.created.as_deref(), Some("1999-04-03T22:00:00.0Z"));
        assert_eq!(info.expires.as_deref(), Some("2005-04-03T22:00:00.0Z"));
        assert_eq!(info.auth_info.as_deref(), Some("2fooBAR&<xA"));
    }

    #[test]
    fn host_attributes_count_as_nameservers() {
        let xml = response(
            r#"<infData><name>example.com</name><clID>X</clID><ns>
        <hostAttr><hostName>ns1.example.com</hostName><hostAddr ip="v4">192.0.2.2</hostAddr></hostAttr>
      </ns></infData>"#,
        );
        let ResData::Info(info) = parse_response(&xml).unwrap().data else { panic!("not an info") };
        assert_eq!(info.nameservers, ["ns1.example.com"]);
        assert_eq!(info.auth_info, None);
    }

    #[test]
    fn a_renew_answer() {
        let xml = response(
            r#"<domain:renData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:name>example.com</domain:name>
        <domain:exDate>2005-04-03T22:00:00.0Z</domain:exDate>
      </domain:renData>"#,
        );
        assert_eq!(
            parse_response(&xml).unwrap().data,
            ResData::Renew { name: "example.com".into(), expires: Some("2005-04-03T22:00:00.0Z".into()) }
        );
    }

    #[test]
    fn a_transfer_answer() {
        let xml = response(
            r#"<domain:trnData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:name>example.com</domain:name>
        <domain:trStatus>pending</domain:trStatus>
        <domain:reID>ClientX</domain:reID>
        <domain:reDate>2000-06-08T22:00:00.0Z</domain:reDate>
        <domain:acID>ClientY</domain:acID>
        <domain:acDate>2000-06-13T22:00:00.0Z</domain:acDate>
        <domain:exDate>2002-09-08T22:00:00.0Z</domain:exDate>
      </domain:trnData>"#,
        );
        assert_eq!(
            parse_response(&xml).unwrap().data,
            ResData::Transfer {
                name: "example.com".into(),
                status: "pending".into(),
                expires: Some("2002-09-08T22:00:00.0Z".into()),
            }
        );
    }

    #[test]
    fn an_error_with_a_reason_and_prefixes() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<epp:epp xmlns:epp="urn:ietf:params:xml:ns:epp-1.0">
  <epp:response>
    <epp:result code="2303">
      <epp:msg lang="en">Object does not exist</epp:msg>
      <epp:extValue>
        <epp:value>
          <domain:name xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">gone.example</domain:name>
        </epp:value>
        <epp:reason>No such domain &amp; no such name</epp:reason>
      </epp:extValue>
    </epp:result>
    <epp:result code="2306"><epp:msg>Second</epp:msg></epp:result>
    <epp:trID><epp:svTRID>SV-1</epp:svTRID></epp:trID>
  </epp:response>
</epp:epp>

"#;
        let r = parse_response(xml).unwrap();
        assert_eq!(r.code, 2303);
        assert_eq!(r.msg, "Object does not exist; Second");
        assert_eq!(r.reasons, ["No such domain & no such name"]);
        assert_eq!((r.cl_trid.as_deref(), r.sv_trid.as_deref()), (None, Some("SV-1")));
        assert_eq!(r.data, ResData::None);
        assert!(!r.is_success());
        assert_eq!(r.error_text(), "2303 Object does not exist; Second (No such domain & no such name)");
    }

    #[test]
    fn broken_answers_are_protocol_errors() {
        for xml in [
            "",
            "not xml",
            "<epp><response></epp>",
            "<epp><response><result code=\"1000\"><msg>x</msg></result></response>",
            "<epp><response><result><msg>no code</msg></result></response></epp>",
            "<epp><response><result code=\"200\"><msg>x</msg></result></response></epp>",
            "<epp><response><trID/></response></epp>",
            "<other><response><result code=\"1000\"/></response></other>",
            "<epp><response><result code=\"1000\"/></response></epp><epp/>",
            "<epp><response><result code=\"1000\"><msg>&unknown;</msg></result></response></epp>",
        ] {
            assert!(matches!(parse_response(xml), Err(EppError::Protocol(_))), "{xml}");
        }
    }
}
