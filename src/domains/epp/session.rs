//! One EPP session: a TCP connection (TLS when configured), the greeting, login, commands one
//! after another, logout. Every connect, read and write is under the configured timeout.
use super::xml::{self, CONTACT_NS, DOMAIN_NS, HOST_NS};
use super::{Command, EppConf, EppError, Greeting, Response, frame};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::{TlsConnector, rustls};

/// A connection, plain or TLS, behind one type.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

pub struct Session {
    stream: Box<dyn Stream>,
    timeout: Duration,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

/// `future` within `limit`; running out is a connection error like any other.
async fn timed<T>(
    limit: Duration,
    what: &str,
    future: impl Future<Output = Result<T, EppError>>,
) -> Result<T, EppError> {
    tokio::time::timeout(limit, future)
        .await
        .map_err(|_| EppError::Io(format!("{what}: no answer within {} s", limit.as_secs_f32())))?
}

/// The webpki roots and the configured CAs; rustls with ring, TLS 1.2 and 1.3.
fn tls_config(ca_pem: &str) -> Result<rustls::ClientConfig, EppError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        let cert = cert.map_err(|e| EppError::Protocol(format!("the configured CA certificates: {e}")))?;
        roots.add(cert).map_err(|e| EppError::Protocol(format!("a configured CA certificate: {e}")))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| EppError::Protocol(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Session {
    /// Connects (TLS with SNI and certificate check against `conf.host` when `conf.tls`) and
    /// reads the server's greeting.
    pub async fn connect(conf: &EppConf) -> Result<(Session, Greeting), EppError> {
        let address = format!("{}:{}", conf.host, conf.port);
        let tcp = timed(conf.timeout, "connecting", async {
            TcpStream::connect((conf.host.as_str(), conf.port))
                .await
                .map_err(|e| EppError::Io(format!("connecting to {address}: {e}")))
        })
        .await?;
        // Commands are small and answered one by one: no waiting to fill a segment.
        tcp.set_nodelay(true).ok();
        let stream: Box<dyn Stream> = if conf.tls {
            let name = ServerName::try_from(conf.host.clone())
                .map_err(|_| EppError::Protocol(format!("not a host name: {:?}", conf.host)))?;
            let connector = TlsConnector::from(Arc::new(tls_config(&conf.ca_pem)?));
            let tls = timed(conf.timeout, "TLS handshake", async {
                connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| EppError::Io(format!("TLS with {address}: {e}")))
            })
            .await?;
            Box::new(tls)
        } else {
            Box::new(tcp)
        };
        let mut session = Session { stream, timeout: conf.timeout };
        let greeting = xml::parse_greeting(&session.read().await?)?;
        Ok((session, greeting))
    }

    /// Logs in as `conf.username` for domains, and contacts and hosts where the server offers
    /// them (a server refuses a login for objects it does not know).
    pub async fn login(
        &mut self,
        conf: &EppConf,
        greeting: &Greeting,
        cl_trid: &str,
    ) -> Result<Response, EppError> {
        let offered = |uri: &&str| greeting.obj_uris.iter().any(|o| o.as_str() == *uri);
        let mut objects = vec![DOMAIN_NS];
        objects.extend([CONTACT_NS, HOST_NS].into_iter().filter(offered));
        self.exchange(xml::login(&conf.username, &conf.password, &objects, cl_trid), cl_trid).await
    }

    pub async fn send(&mut self, cmd: &Command, cl_trid: &str) -> Result<Response, EppError> {
        self.exchange(xml::command(cmd, cl_trid), cl_trid).await
    }

    /// Logs out (1500) and closes the connection.
    pub async fn logout(&mut self, cl_trid: &str) -> Result<Response, EppError> {
        let response = self.exchange(xml::logout(cl_trid), cl_trid).await;
        // The server closes too; a failed close changes nothing.
        let _ = tokio::time::timeout(self.timeout, self.stream.shutdown()).await;
        response
    }

    async fn exchange(&mut self, request: String, cl_trid: &str) -> Result<Response, EppError> {
        timed(self.timeout, "sending", frame::write_frame(&mut self.stream, request.as_bytes())).await?;
        let response = xml::parse_response(&self.read().await?)?;
        // An answer to another transaction means the stream is out of step: never take it.
        match &response.cl_trid {
            Some(echoed) if !cl_trid.is_empty() && echoed != cl_trid => {
                Err(EppError::Protocol(format!("the answer is for {echoed:?}, not for {cl_trid:?}")))
            }
            _ => Ok(response),
        }
    }

    async fn read(&mut self) -> Result<String, EppError> {
        let data = timed(self.timeout, "waiting for the answer", frame::read_frame(&mut self.stream)).await?;
        String::from_utf8(data).map_err(|_| EppError::Protocol("an answer that is not UTF-8".into()))
    }
}
