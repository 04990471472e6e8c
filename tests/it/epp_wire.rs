//! The EPP client (clientdesk::domains::epp) on the wire: against the test suite's EPP server
//! (tests/it/common/epp.rs) over TLS and plain TCP, a whole session of every domain command,
//! refusals included; failures and lost answers on demand; timeouts and untrusted
//! certificates. The server itself is checked by pyepp, an EPP client written apart from ours
//! (.ci/ensure-pyepp installs it; a missing venv fails the test, it is not skipped).
use crate::common::epp::{EppServer, FOREIGN};
use chrono::{Months, NaiveDate};
use clientdesk::domains::epp::{
    CheckItem, Command, ContactRole, EppConf, EppError, ResData, Response, Session, date_of,
};
use std::path::PathBuf;
use std::time::Duration;

fn conf(server: &EppServer, tls: bool, username: &str, password: &str) -> EppConf {
    EppConf {
        // TLS by name (the certificate's DNS name, SNI); plain by address.
        host: if tls { "localhost" } else { "127.0.0.1" }.into(),
        port: if tls { server.tls_port } else { server.plain_port },
        tls,
        ca_pem: server.ca_pem.clone(),
        username: username.into(),
        password: password.into(),
        timeout: Duration::from_secs(10),
    }
}

async fn logged_in(conf: &EppConf) -> Session {
    let (mut session, greeting) = Session::connect(conf).await.unwrap();
    let login = session.login(conf, &greeting, "CD-LOGIN").await.unwrap();
    assert_eq!((login.code, login.cl_trid.as_deref()), (1000, Some("CD-LOGIN")), "{login:?}");
    session
}

async fn send(session: &mut Session, cmd: Command) -> Response {
    let response = session.send(&cmd, "CD-1234").await.unwrap();
    assert_eq!(response.cl_trid.as_deref(), Some("CD-1234"), "{response:?}");
    assert!(response.sv_trid.is_some(), "{response:?}");
    response
}

fn create(name: &str, auth_info: &str) -> Command {
    Command::Create {
        name: name.into(),
        years: 2,
        nameservers: vec!["ns1.example.net".into(), "ns2.example.net".into()],
        registrant: "CD-R1".into(),
        contacts: vec![(ContactRole::Admin, "CD-A1".into()), (ContactRole::Tech, "CD-T1".into())],
        auth_info: auth_info.into(),
    }
}

fn add_status(name: &str, status: &str) -> Command {
    Command::Update {
        name: name.into(),
        add_ns: vec![],
        rem_ns: vec![],
        add_status: vec![status.into()],
        rem_status: vec![],
        add_contacts: vec![],
        rem_contacts: vec![],
        registrant: None,
        auth_info: None,
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

async fn a_whole_session(tls: bool) {
    let server = EppServer::start().await;
    let conf = conf(&server, tls, "clientdesk", "s3cret-pw");

    // Before login only login is taken; a wrong password is refused.
    let wrong = EppConf { password: "wrong-pw".into(), ..conf.clone() };
    let (mut session, greeting) = Session::connect(&wrong).await.unwrap();
    assert_eq!(greeting.server_id, "clientdesk test registry");
    assert!(greeting.obj_uris.iter().any(|u| u == "urn:ietf:params:xml:ns:domain-1.0"), "{greeting:?}");
    let early = session.send(&Command::Check { names: vec!["a.example".into()] }, "CD-0").await.unwrap();
    assert_eq!((early.code, early.msg.as_str()), (2002, "Command use error"));
    let refused = session.login(&wrong, &greeting, "CD-0").await.unwrap();
    assert_eq!(refused.code, 2200, "{refused:?}");

    let mut session = logged_in(&conf).await;
    let name = "fresh.example";
    let moving = "moving.example";
    server.add_foreign(moving, "Right-c0de", NaiveDate::from_ymd_opt(2027, 6, 30).unwrap());

    let checked = send(&mut session, Command::Check { names: vec![name.into(), moving.into()] }).await;
    let item = |name: &str, available, reason: Option<&str>| CheckItem {
        name: name.into(),
        available,
        reason: reason.map(str::to_string),
    };
    let expected = vec![item(name, true, None), item(moving, false, Some("In use"))];
    assert_eq!(checked.data, ResData::Check(expected));

    let created = send(&mut session, create(name, "Fresh-c0de!")).await;
    assert_eq!(created.code, 1000, "{created:?}");
    let held = server.domain(name).expect("registered");
    assert_eq!(held.owner, "clientdesk");
    let ResData::Create { name: created_name, expires, .. } = &created.data else { panic!("{created:?}") };
    assert_eq!(created_name, name);
    assert_eq!(expires.as_deref().and_then(date_of), Some(held.expiry()));
    let again = send(&mut session, create(name, "Other-c0de!")).await;
    assert_eq!((again.code, again.msg.as_str()), (2302, "Object exists"));
    let bad = send(&mut session, create("no_such name.example", "c0de")).await;
    assert_eq!(bad.code, 2005, "{bad:?}");

    let info = send(&mut session, Command::Info { name: name.into(), auth_info: None }).await;
    let ResData::Info(info) = &info.data else { panic!("{info:?}") };
    assert_eq!((info.name.as_str(), info.client_id.as_str()), (name, "clientdesk"));
    assert_eq!(info.auth_info.as_deref(), Some("Fresh-c0de!"), "the sponsor sees the code");
    assert_eq!(info.nameservers, ["ns1.example.net", "ns2.example.net"]);
    assert_eq!(info.registrant.as_deref(), Some("CD-R1"));
    assert_eq!(info.contacts, [pair("admin", "CD-A1"), pair("tech", "CD-T1")]);
    assert_eq!(info.statuses, ["ok"]);
    assert_eq!(info.expires.as_deref().and_then(date_of), Some(held.expiry()));

    // Renewing names the current expiry; the same renewal again (a retry after a lost
    // answer) names one that is no longer current and is refused.
    let current = held.expiry();
    let renew = Command::Renew { name: name.into(), current_expiry: current, years: 1 };
    let renewed = send(&mut session, renew.clone()).await;
    assert_eq!(renewed.code, 1000, "{renewed:?}");
    let after = server.domain(name).unwrap().expiry();
    assert_eq!(after, current.checked_add_months(Months::new(12)).unwrap());
    assert!(
        matches!(&renewed.data, ResData::Renew { expires: Some(e), .. } if date_of(e) == Some(after)),
        "{renewed:?}"
    );
    let twice = send(&mut session, renew).await;
    assert_eq!((twice.code, twice.msg.as_str()), (2306, "Parameter value policy error"));
    assert!(!twice.reasons.is_empty(), "{twice:?}");
    assert_eq!(server.domain(name).unwrap().expiry(), after);

    // Transfer in: a wrong code is refused with the registry's words, the right one moves it.
    let transfer =
        |code: &str| Command::TransferRequest { name: moving.into(), years: None, auth_info: code.into() };
    let wrong_code = send(&mut session, transfer("Wrong-c0de")).await;
    assert_eq!((wrong_code.code, wrong_code.msg.as_str()), (2202, "Invalid authorization information"));
    assert_eq!(wrong_code.error_text(), "2202 Invalid authorization information (Wrong auth code)");
    assert_eq!(server.domain(moving).unwrap().owner, FOREIGN);
    let moved = send(&mut session, transfer("Right-c0de")).await;
    assert_eq!(moved.code, 1000, "{moved:?}");
    let approved = matches!(&moved.data, ResData::Transfer { status, .. } if status == "serverApproved");
    assert!(approved, "{moved:?}");
    let held = server.domain(moving).unwrap();
    let a_year_later = NaiveDate::from_ymd_opt(2028, 6, 30).unwrap();
    assert_eq!((held.owner.as_str(), held.expiry()), ("clientdesk", a_year_later));
    let query = send(&mut session, Command::TransferQuery { name: moving.into() }).await;
    assert!(matches!(&query.data, ResData::Transfer { name, .. } if name == moving), "{query:?}");
    let ours = send(&mut session, transfer("Right-c0de")).await;
    assert_eq!((ours.code, ours.msg.as_str()), (2106, "Object is not eligible for transfer"));

    let updated = send(
        &mut session,
        Command::Update {
            name: name.into(),
            add_ns: vec!["ns3.example.net".into()],
            rem_ns: vec!["ns1.example.net".into()],
            add_status: vec!["clientTransferProhibited".into()],
            rem_status: vec![],
            add_contacts: vec![(ContactRole::Billing, "CD-B1".into())],
            rem_contacts: vec![(ContactRole::Tech, "CD-T1".into())],
            registrant: Some("CD-R2".into()),
            auth_info: Some("New-c0de!".into()),
        },
    )
    .await;
    assert_eq!(updated.code, 1000, "{updated:?}");
    let held = server.domain(name).unwrap();
    assert_eq!(held.ns, ["ns2.example.net", "ns3.example.net"]);
    assert_eq!(held.statuses, ["clientTransferProhibited"]);
    assert_eq!(held.contacts, [pair("admin", "CD-A1"), pair("billing", "CD-B1")]);
    assert_eq!((held.registrant.as_str(), held.auth_info.as_str()), ("CD-R2", "New-c0de!"));
    let server_status = send(&mut session, add_status(name, "serverHold")).await;
    assert_eq!(server_status.code, 2306, "only client statuses: {server_status:?}");

    // Another registrar sees the domain without its code and cannot change it.
    let other_conf = self::conf(&server, tls, "other", "other-pw");
    let mut other = logged_in(&other_conf).await;
    let seen = send(&mut other, Command::Info { name: name.into(), auth_info: None }).await;
    let ResData::Info(seen) = &seen.data else { panic!("{seen:?}") };
    assert_eq!((seen.client_id.as_str(), seen.auth_info.as_deref()), ("clientdesk", None));
    let theirs = send(&mut other, Command::Delete { name: name.into() }).await;
    assert_eq!(theirs.code, 2201, "{theirs:?}");
    assert_eq!(other.logout("CD-BYE").await.unwrap().code, 1500);

    let deleted = send(&mut session, Command::Delete { name: name.into() }).await;
    assert_eq!(deleted.code, 1000, "{deleted:?}");
    assert!(server.domain(name).is_none());
    let gone = send(&mut session, Command::Info { name: name.into(), auth_info: None }).await;
    assert_eq!((gone.code, gone.msg.as_str()), (2303, "Object does not exist"));

    let bye = session.logout("CD-BYE").await.unwrap();
    assert_eq!((bye.code, bye.cl_trid.as_deref()), (1500, Some("CD-BYE")));
    let closed = session.send(&Command::Check { names: vec![name.into()] }, "CD-2").await;
    assert!(matches!(closed, Err(EppError::Io(_))), "the server closed the session: {closed:?}");
    let creates = server.commands().iter().filter(|c| *c == "clientdesk create").count();
    assert_eq!(creates, 3, "{:?}", server.commands());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_over_tls() {
    a_whole_session(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_over_plain_tcp() {
    a_whole_session(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_and_lost_answers_on_demand() {
    let server = EppServer::start().await;
    let conf = conf(&server, false, "clientdesk", "s3cret-pw");
    let mut session = logged_in(&conf).await;
    server.fail_next("create", 2400, "Command failed");
    let failed = send(&mut session, create("lost.example", "Lost-c0de")).await;
    assert_eq!((failed.code, failed.msg.as_str()), (2400, "Command failed"));
    assert!(server.domain("lost.example").is_none());

    // Performed, then the connection closes unanswered: the outcome is unknown to us.
    server.drop_after_next("create");
    let lost = session.send(&create("lost.example", "Lost-c0de"), "CD-2").await;
    assert!(matches!(lost, Err(EppError::Io(_))), "{lost:?}");
    assert!(server.domain("lost.example").is_some(), "performed although unanswered");
    let mut session = logged_in(&conf).await;
    let retry = send(&mut session, create("lost.example", "Lost-c0de")).await;
    assert_eq!(retry.code, 2302, "{retry:?}");
    let creates = server.commands().iter().filter(|c| *c == "clientdesk create").count();
    assert_eq!(creates, 3, "{:?}", server.commands());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_server_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Takes the connection and never greets.
    let silent = tokio::spawn(async move {
        let _connection = listener.accept().await;
        std::future::pending::<()>().await
    });
    let conf = EppConf {
        host: "127.0.0.1".into(),
        port,
        tls: false,
        ca_pem: String::new(),
        username: "clientdesk".into(),
        password: "s3cret-pw".into(),
        timeout: Duration::from_millis(300),
    };
    let started = std::time::Instant::now();
    let result = Session::connect(&conf).await;
    assert!(matches!(result, Err(EppError::Io(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    silent.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_trusts_only_the_configured_ca() {
    let server = EppServer::start().await;
    // The webpki roots alone do not know the fixture CA.
    let untrusted = EppConf { ca_pem: String::new(), ..conf(&server, true, "clientdesk", "s3cret-pw") };
    let refused = Session::connect(&untrusted).await;
    assert!(matches!(refused, Err(EppError::Io(_))), "{refused:?}");
    // By address, the certificate's IP name is checked.
    let by_address = EppConf { host: "127.0.0.1".into(), ..conf(&server, true, "clientdesk", "s3cret-pw") };
    logged_in(&by_address).await;
    let garbage = EppConf { ca_pem: "-----BEGIN CERTIFICATE-----\nnot base64!\n".into(), ..by_address };
    assert!(matches!(Session::connect(&garbage).await, Err(EppError::Protocol(_))));
}

/// pyepp's python in the venv `.ci/ensure-pyepp` makes.
fn pyepp_python() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
        format!("{}/.cache/clientdesk-target", std::env::var("HOME").unwrap_or_default())
    });
    let python = PathBuf::from(target).join("venv-pyepp/bin/python");
    assert!(python.is_file(), "no pyepp at {}: run .ci/ensure-pyepp", python.display());
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyepp_checks_the_test_server() {
    let python = pyepp_python();
    let server = EppServer::start().await;
    // The domain pyepp transfers away: registered by "clientdesk" through our client.
    let (name, code) = ("pyepp-transfer.example", "Tr4nsfer-me!");
    let conf = conf(&server, true, "clientdesk", "s3cret-pw");
    let mut session = logged_in(&conf).await;
    assert_eq!(send(&mut session, create(name, code)).await.code, 1000);
    session.logout("CD-BYE").await.unwrap();

    let root = env!("CARGO_MANIFEST_DIR");
    let script = format!("{root}/tests/epp/pyepp_check.py");
    let ca = format!("{root}/tests/fixtures/epp/ca.pem");
    let port = server.tls_port.to_string();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .args([script.as_str(), "localhost", port.as_str(), ca.as_str(), name, code])
            .output()
    })
    .await
    .unwrap()
    .expect("running pyepp_check.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "pyepp_check.py: {}\n{stdout}\n{stderr}", output.status);
    let steps: Vec<serde_json::Value> =
        stdout.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    let code_of = |step: &str| steps.iter().find(|s| s["step"] == step).map(|s| s["code"].clone());
    assert_eq!(code_of("transfer-wrong-code"), Some(2202.into()), "{stdout}");
    assert_eq!(code_of("transfer"), Some(1000.into()), "{stdout}");
    assert_eq!(steps.last().map(|s| s["step"].clone()), Some("done".into()), "{stdout}");
    assert_eq!(server.domain(name).unwrap().owner, "other");
    assert!(server.commands().contains(&"other transfer".to_string()), "{:?}", server.commands());
}
