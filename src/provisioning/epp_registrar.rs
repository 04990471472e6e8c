//! The EPP registrar (RFC 5730–5734) over our own client (`epp`): one session per job call
//! (greeting, login, the commands, logout), clTRIDs `cd-<job>-<attempt>-<n>`. The log keeps the
//! command, the result code, the message and the server's transaction id, never XML or codes.
//! Settings: `tls` (`required`, the default, or `disabled`), `ca_pem` (an extra trusted CA, e.g. a registry's test system),
//! `registrant` / `admin` / `tech` (handles where a domain names none), `timeout_secs`.
use super::registrar::{Availability, Handles, Registrar, Registration, RegistryState, Transfer};
use super::{JobCtx, ProvError, ServerConf};
use crate::domains::epp::{Command, ContactRole, EppConf, EppError, ResData, Response, Session, date_of};
use chrono::NaiveDate;
use std::time::Duration;

pub struct Epp;

/// The transfer lock as EPP knows it.
const LOCK: &str = "clientTransferProhibited";

fn conf_of(s: &ServerConf) -> EppConf {
    let text = |key: &str| s.settings.get(key).and_then(|v| v.as_str()).unwrap_or("").to_string();
    EppConf {
        host: s.host.clone(),
        port: if s.port == 0 { 700 } else { s.port },
        // The settings page stores `"disabled"`; anything else (unset too) means TLS.
        tls: !matches!(s.settings.get("tls"), Some(v) if v == "disabled" || v == false),
        ca_pem: text("ca_pem"),
        username: s.username.clone(),
        password: s.secret.clone(),
        timeout: Duration::from_secs(s.settings.get("timeout_secs").and_then(|v| v.as_u64()).unwrap_or(30)),
    }
}

/// A handle from the registrar's settings where the domain names none.
fn default_handle(s: &ServerConf, key: &str, own: &str) -> String {
    if !own.is_empty() {
        return own.to_string();
    }
    s.settings.get(key).and_then(|v| v.as_str()).unwrap_or("").to_string()
}

fn io(e: EppError) -> ProvError {
    match e {
        EppError::Io(m) => ProvError::Transient(m),
        EppError::Protocol(m) => ProvError::Permanent(m),
    }
}

/// A refusal as staff see it, in the registry's words. 2400 (command failed) and the
/// session-ending 2500–2502 are worth another try; the rest are not.
fn refusal(r: &Response) -> ProvError {
    match r.code {
        2400 | 2500..=2502 => ProvError::Transient(r.error_text()),
        _ => ProvError::Permanent(r.error_text()),
    }
}

fn checked(r: Response) -> Result<Response, ProvError> {
    if r.is_success() { Ok(r) } else { Err(refusal(&r)) }
}

/// The job log's line for an answer: code, message, the server's transaction id.
async fn note(j: &JobCtx, verb: &str, r: &Response) {
    let server = r.sv_trid.as_deref().unwrap_or("-");
    j.log(verb, &format!("{} {} (svTRID {server})", r.code, r.msg)).await;
}

/// One logged-in session of a job attempt.
struct Conn<'a> {
    j: &'a JobCtx,
    session: Session,
    username: String,
    n: u32,
}

impl<'a> Conn<'a> {
    async fn open(j: &'a JobCtx) -> Result<Conn<'a>, ProvError> {
        let conf = conf_of(&j.server);
        let (mut session, greeting) = Session::connect(&conf).await.map_err(io)?;
        let trid = format!("cd-{}-{}-0", j.job_id, j.attempt);
        let answer = session.login(&conf, &greeting, &trid).await.map_err(io)?;
        let conn = Conn { j, session, username: conf.username, n: 1 };
        note(j, "login", &answer).await;
        checked(answer)?;
        Ok(conn)
    }

    fn trid(&mut self) -> String {
        self.n += 1;
        format!("cd-{}-{}-{}", self.j.job_id, self.j.attempt, self.n)
    }

    async fn send(&mut self, cmd: Command) -> Result<Response, ProvError> {
        let trid = self.trid();
        let answer = self.session.send(&cmd, &trid).await.map_err(io)?;
        note(self.j, cmd.verb(), &answer).await;
        Ok(answer)
    }

    async fn close(mut self) {
        let trid = self.trid();
        let _ = self.session.logout(&trid).await;
    }

    /// What the registry says about `name`, or None when it does not know it.
    async fn info(&mut self, name: &str) -> Result<Option<RegistryState>, ProvError> {
        let answer = self.send(Command::Info { name: name.into(), auth_info: None }).await?;
        if answer.code == 2303 {
            return Ok(None);
        }
        let answer = checked(answer)?;
        let ResData::Info(i) = answer.data else {
            return Err(ProvError::Permanent(format!("{} without the domain's data", answer.code)));
        };
        Ok(Some(RegistryState {
            statuses: i.statuses,
            created: i.created.as_deref().and_then(date_of),
            expires: i.expires.as_deref().and_then(date_of),
            nameservers: i.nameservers,
            contacts: i.contacts,
            ours: i.client_id == self.username,
        }))
    }

    /// The state of a domain that must be ours now.
    async fn ours(&mut self, name: &str, otherwise: ProvError) -> Result<RegistryState, ProvError> {
        match self.info(name).await? {
            Some(state) if state.ours => Ok(state),
            _ => Err(otherwise),
        }
    }
}

/// Open a session, run `f`, log out whatever happened.
async fn with_conn<T, F>(j: &JobCtx, f: F) -> Result<T, ProvError>
where
    F: for<'c> FnOnce(
            &'c mut Conn<'_>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<T, ProvError>> + Send + 'c>,
        > + Send,
    T: Send,
{
    let mut conn = Conn::open(j).await?;
    let result = f(&mut conn).await;
    conn.close().await;
    result
}

fn contacts(s: &ServerConf, h: &Handles) -> Vec<(ContactRole, String)> {
    [(ContactRole::Admin, "admin", &h.admin), (ContactRole::Tech, "tech", &h.tech)]
        .into_iter()
        .map(|(role, key, own)| (role, default_handle(s, key, own)))
        .filter(|(_, id)| !id.is_empty())
        .collect()
}

fn update(name: &str) -> Command {
    Command::Update {
        name: name.into(),
        add_ns: Vec::new(),
        rem_ns: Vec::new(),
        add_status: Vec::new(),
        rem_status: Vec::new(),
        add_contacts: Vec::new(),
        rem_contacts: Vec::new(),
        registrant: None,
        auth_info: None,
    }
}

#[async_trait::async_trait]
impl Registrar for Epp {
    fn module(&self) -> &'static str {
        "epp"
    }

    async fn test_connection(&self, conf: &ServerConf) -> Result<String, ProvError> {
        let epp = conf_of(conf);
        let (mut session, greeting) = Session::connect(&epp).await.map_err(io)?;
        let answer = session.login(&epp, &greeting, "cd-test-0").await.map_err(io)?;
        let _ = session.logout("cd-test-1").await;
        checked(answer)?;
        Ok(format!("EPP server {}: logged in", greeting.server_id))
    }

    async fn check(&self, j: &JobCtx, names: &[String]) -> Result<Vec<(String, Availability)>, ProvError> {
        let names = names.to_vec();
        with_conn(j, move |c| {
            Box::pin(async move {
                let answer = checked(c.send(Command::Check { names }).await?)?;
                let ResData::Check(items) = answer.data else {
                    return Err(ProvError::Permanent("a check answer without results".into()));
                };
                Ok(items
                    .into_iter()
                    .map(|i| {
                        let free = if i.available {
                            Availability::Free
                        } else {
                            Availability::Taken(i.reason.unwrap_or_default())
                        };
                        (i.name, free)
                    })
                    .collect())
            })
        })
        .await
    }

    /// Create; a create whose answer was lost finds the domain ours (2302 then info) and counts
    /// as done. Someone else's is the registry's refusal.
    async fn register(&self, j: &JobCtx, r: &Registration) -> Result<RegistryState, ProvError> {
        j.redact_also(&r.auth_code);
        let cmd = Command::Create {
            name: r.name.clone(),
            years: r.years,
            nameservers: r.nameservers.clone(),
            registrant: default_handle(&j.server, "registrant", &r.handles.owner),
            contacts: contacts(&j.server, &r.handles),
            auth_info: r.auth_code.clone(),
        };
        let name = r.name.clone();
        with_conn(j, move |c| {
            Box::pin(async move {
                let answer = c.send(cmd).await?;
                if answer.code == 2302 {
                    return c.ours(&name, refusal(&answer)).await;
                }
                checked(answer)?;
                c.ours(
                    &name,
                    ProvError::Permanent("created, but the registry does not show it as ours".into()),
                )
                .await
            })
        })
        .await
    }

    async fn transfer(
        &self,
        j: &JobCtx,
        name: &str,
        auth_code: &str,
        years: u8,
    ) -> Result<Transfer, ProvError> {
        j.redact_also(auth_code);
        let cmd =
            Command::TransferRequest { name: name.into(), years: Some(years), auth_info: auth_code.into() };
        let name = name.to_string();
        with_conn(j, move |c| {
            Box::pin(async move {
                let answer = c.send(cmd).await?;
                match answer.code {
                    // Pending: requested now (1001) or already (2300).
                    1001 | 2300 => Ok(Transfer::Pending),
                    // Already ours (a repeat after a lost answer).
                    2106 => Ok(Transfer::Done(c.ours(&name, refusal(&answer)).await?)),
                    1000 => {
                        let pending =
                            matches!(&answer.data, ResData::Transfer { status, .. } if status == "pending");
                        if pending {
                            return Ok(Transfer::Pending);
                        }
                        let lost = ProvError::Permanent(
                            "transferred, but the registry does not show it as ours".into(),
                        );
                        Ok(Transfer::Done(c.ours(&name, lost).await?))
                    }
                    _ => Err(refusal(&answer)),
                }
            })
        })
        .await
    }

    /// Renew from the registry's current expiry; a repeat is refused by the registry (the date
    /// moved) and then counts as done when the expiry is past the one renewed from.
    async fn renew(
        &self,
        j: &JobCtx,
        name: &str,
        current_expiry: NaiveDate,
        years: u8,
    ) -> Result<RegistryState, ProvError> {
        let cmd = Command::Renew { name: name.into(), current_expiry, years };
        let name = name.to_string();
        with_conn(j, move |c| {
            Box::pin(async move {
                let answer = c.send(cmd).await?;
                if !answer.is_success() {
                    let refused = refusal(&answer);
                    return match c.info(&name).await? {
                        Some(state) if state.ours && state.expires.is_some_and(|e| e > current_expiry) => {
                            Ok(state)
                        }
                        _ => Err(refused),
                    };
                }
                c.ours(
                    &name,
                    ProvError::Permanent("renewed, but the registry does not show it as ours".into()),
                )
                .await
            })
        })
        .await
    }

    async fn delete(&self, j: &JobCtx, name: &str) -> Result<(), ProvError> {
        let name = name.to_string();
        with_conn(j, move |c| {
            Box::pin(async move {
                let answer = c.send(Command::Delete { name }).await?;
                if answer.code == 2303 {
                    return Ok(());
                }
                checked(answer).map(|_| ())
            })
        })
        .await
    }

    async fn info(&self, j: &JobCtx, name: &str) -> Result<Option<RegistryState>, ProvError> {
        let name = name.to_string();
        with_conn(j, move |c| Box::pin(async move { c.info(&name).await })).await
    }

    async fn update_nameservers(
        &self,
        j: &JobCtx,
        name: &str,
        add: &[String],
        remove: &[String],
    ) -> Result<(), ProvError> {
        let mut cmd = update(name);
        if let Command::Update { add_ns, rem_ns, .. } = &mut cmd {
            *add_ns = add.to_vec();
            *rem_ns = remove.to_vec();
        }
        with_conn(j, move |c| Box::pin(async move { checked(c.send(cmd).await?).map(|_| ()) })).await
    }

    async fn update_handles(
        &self,
        j: &JobCtx,
        name: &str,
        before: &Handles,
        after: &Handles,
    ) -> Result<(), ProvError> {
        let mut cmd = update(name);
        if let Command::Update { add_contacts, rem_contacts, registrant, .. } = &mut cmd {
            for (role, old, new) in [
                (ContactRole::Admin, &before.admin, &after.admin),
                (ContactRole::Tech, &before.tech, &after.tech),
            ] {
                if old != new {
                    if !old.is_empty() {
                        rem_contacts.push((role, old.clone()));
                    }
                    if !new.is_empty() {
                        add_contacts.push((role, new.clone()));
                    }
                }
            }
            if before.owner != after.owner && !after.owner.is_empty() {
                *registrant = Some(after.owner.clone());
            }
        }
        with_conn(j, move |c| Box::pin(async move { checked(c.send(cmd).await?).map(|_| ()) })).await
    }

    /// Adding a lock that is there, or lifting one that is not, is refused by registries; the
    /// lock is read first so a repeat changes nothing.
    async fn set_lock(&self, j: &JobCtx, name: &str, locked: bool) -> Result<(), ProvError> {
        let name = name.to_string();
        with_conn(j, move |c| {
            Box::pin(async move {
                let Some(state) = c.info(&name).await? else {
                    return Err(ProvError::Permanent("2303 Object does not exist".into()));
                };
                if state.statuses.iter().any(|s| s == LOCK) == locked {
                    return Ok(());
                }
                let mut cmd = update(&name);
                if let Command::Update { add_status, rem_status, .. } = &mut cmd {
                    if locked { add_status.push(LOCK.into()) } else { rem_status.push(LOCK.into()) }
                }
                checked(c.send(cmd).await?).map(|_| ())
            })
        })
        .await
    }

    async fn set_auth_code(&self, j: &JobCtx, name: &str, code: &str) -> Result<(), ProvError> {
        j.redact_also(code);
        let mut cmd = update(name);
        if let Command::Update { auth_info, .. } = &mut cmd {
            *auth_info = Some(code.to_string());
        }
        with_conn(j, move |c| Box::pin(async move { checked(c.send(cmd).await?).map(|_| ()) })).await
    }
}
