//! A PowerDNS authoritative server of our own for a test: its SQLite backend in a temp folder,
//! its HTTP API and DNS on free local ports, stopped when dropped. `.ci/ensure-pdns` installs
//! Debian's pdns-server and pdns-backend-sqlite3.
use sea_orm::ConnectionTrait;
use std::path::PathBuf;
use std::time::Duration;

pub struct Pdns {
    pub api_port: u16,
    pub dns_port: u16,
    pub key: String,
    dir: PathBuf,
    child: std::process::Child,
}

fn free_tcp() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A port free for both UDP and TCP (PowerDNS serves DNS on both).
fn free_dns_port() -> u16 {
    loop {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

impl Pdns {
    pub async fn start() -> Pdns {
        let dir = std::env::temp_dir().join(format!("clientdesk-pdns-{}-{}", std::process::id(), free_tcp()));
        std::fs::create_dir_all(&dir).unwrap();
        let database = dir.join("pdns.sqlite3");
        let schema = std::fs::read_to_string("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql")
            .expect("PowerDNS's SQLite schema (.ci/ensure-pdns installs pdns-backend-sqlite3)");
        let db =
            sea_orm::Database::connect(format!("sqlite://{}?mode=rwc", database.display())).await.unwrap();
        for statement in schema.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            db.execute_unprepared(statement).await.unwrap();
        }
        db.close().await.unwrap();
        // Another test may take a port between our check and PowerDNS's bind: then again with others.
        for _attempt in 0..3 {
            let (api_port, dns_port) = (free_tcp(), free_dns_port());
            let key = format!("key{}", rand_suffix());
            let conf = format!(
                "launch=gsqlite3\ngsqlite3-database={db}\nlocal-address=127.0.0.1\nlocal-port={dns_port}\n\
                 api=yes\napi-key={key}\nwebserver=yes\nwebserver-address=127.0.0.1\nwebserver-port={api_port}\n\
                 webserver-allow-from=127.0.0.1/32\nsocket-dir={dir}\ncache-ttl=0\nnegquery-cache-ttl=0\n\
                 query-cache-ttl=0\nzone-cache-refresh-interval=0\n",
                db = database.display(),
                dir = dir.display(),
            );
            std::fs::write(dir.join("pdns.conf"), conf).unwrap();
            let child = std::process::Command::new("/usr/sbin/pdns_server")
                .arg(format!("--config-dir={}", dir.display()))
                .args(["--daemon=no", "--guardian=no", "--disable-syslog"])
                .stdout(std::fs::File::create(dir.join("log")).unwrap())
                .stderr(std::fs::File::create(dir.join("err")).unwrap())
                .spawn()
                .expect("pdns_server (.ci/ensure-pdns installs it)");
            let mut pdns = Pdns { api_port, dns_port, key, dir: dir.clone(), child };
            let client = reqwest::Client::builder().no_proxy().build().unwrap();
            // Up to 30 s: on a busy machine (the whole suite on two cores) it took over 10 s.
            for _ in 0..300 {
                if pdns.child.try_wait().ok().flatten().is_some() {
                    break;
                }
                let up = client
                    .get(format!("http://127.0.0.1:{api_port}/api/v1/servers/localhost"))
                    .header("X-API-Key", &pdns.key)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if up {
                    return pdns;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let err = std::fs::read_to_string(dir.join("err")).unwrap_or_default();
            if !err.contains("Address already in use") {
                break;
            }
            // Dropping stops the child but must keep the folder for the next attempt.
            let _ = pdns.child.kill();
            let _ = pdns.child.wait();
            std::mem::forget(pdns);
        }
        panic!("PowerDNS did not start: {}", std::fs::read_to_string(dir.join("err")).unwrap_or_default());
    }

    /// A call to its API, as the test's own independent client.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, String) {
        let mut request = reqwest::Client::new()
            .request(method, format!("http://127.0.0.1:{}/api/v1/servers/localhost{path}", self.api_port))
            .header("X-API-Key", &self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Ask it over DNS (UDP) for `name`'s records of `kind` (1 = A, 6 = SOA): the response code
    /// and the number of answers.
    pub async fn query(&self, name: &str, kind: u16) -> (u8, u16) {
        let (answer, _) = self.ask(name, kind).await;
        (answer[3] & 0x0f, u16::from_be_bytes([answer[6], answer[7]]))
    }

    /// The answers' data as text: names for NS (2), addresses for A (1) and AAAA (28); sorted.
    pub async fn records(&self, name: &str, kind: u16) -> Vec<String> {
        let (answer, n) = self.ask(name, kind).await;
        let msg = &answer[..n];
        let count = u16::from_be_bytes([msg[6], msg[7]]);
        // Past the header and the question.
        let (_, mut at) = read_name(msg, 12);
        at += 4;
        let mut out = Vec::new();
        for _ in 0..count {
            let (_, after) = read_name(msg, at);
            let rtype = u16::from_be_bytes([msg[after], msg[after + 1]]);
            let len = usize::from(u16::from_be_bytes([msg[after + 8], msg[after + 9]]));
            let data = after + 10;
            match rtype {
                1 => out.push(
                    std::net::Ipv4Addr::new(msg[data], msg[data + 1], msg[data + 2], msg[data + 3])
                        .to_string(),
                ),
                28 => {
                    let bytes: [u8; 16] = msg[data..data + 16].try_into().unwrap();
                    out.push(std::net::Ipv6Addr::from(bytes).to_string());
                }
                2 => out.push(read_name(msg, data).0),
                _ => {}
            }
            at = data + len;
        }
        out.sort();
        out
    }

    async fn ask(&self, name: &str, kind: u16) -> ([u8; 512], usize) {
        let mut packet = vec![0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name.trim_end_matches('.').split('.') {
            packet.push(label.len() as u8);
            packet.extend_from_slice(label.as_bytes());
        }
        packet.extend_from_slice(&[0, (kind >> 8) as u8, kind as u8, 0, 1]);
        let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        socket.send_to(&packet, ("127.0.0.1", self.dns_port)).await.unwrap();
        let mut answer = [0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(3), socket.recv(&mut answer))
            .await
            .expect("a DNS answer")
            .unwrap();
        assert!(n >= 12 && answer[0..2] == [0x12, 0x34], "a response to our query");
        (answer, n)
    }
}

/// A name at `at` (following compression pointers) and the offset after it.
fn read_name(msg: &[u8], mut at: usize) -> (String, usize) {
    let mut labels = Vec::new();
    let mut end = None;
    loop {
        let len = msg[at];
        if len & 0xc0 == 0xc0 {
            end.get_or_insert(at + 2);
            at = usize::from(u16::from_be_bytes([len & 0x3f, msg[at + 1]]));
            continue;
        }
        if len == 0 {
            return (labels.join("."), end.unwrap_or(at + 1));
        }
        labels.push(String::from_utf8_lossy(&msg[at + 1..at + 1 + usize::from(len)]).to_string());
        at += 1 + usize::from(len);
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
        ^ u64::from(std::process::id())
}

impl Drop for Pdns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
