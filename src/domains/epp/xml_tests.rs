//! Unit tests of the EPP XML: commands in schema order, answers of every kind.
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
