//! MariaDB database hosting: each hosting is a database and a user of the same name that may use
//! it. The name comes fixed from the hosting row (never made up in a job), so a create that died
//! after making the user and ran again finds the user and sets the same password: one user.
//! The password never travels as SQL text: the server gets its native hash.
use super::{Account, JobCtx, ProvError, Provisioner, Remote, ServerConf};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlDatabaseError, MySqlSslMode};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};

pub struct MariaDb;

/// `[a-z][a-z0-9]{0,31}`: safe inside backquotes and quotes, and free of GRANT's `_`/`%`
/// wildcards.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The host part of the account (`%` for any): letters, digits, `.:-%` only.
pub use super::fields::valid_user_host;

/// MariaDB's native password hash: `*` and the upper-case hex of SHA1(SHA1(password)).
pub fn native_hash(password: &str) -> String {
    use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY as SHA1, digest};
    let inner = digest(&SHA1, password.as_bytes());
    format!("*{}", hex::encode_upper(digest(&SHA1, inner.as_ref()).as_ref()))
}

fn user_host(server: &ServerConf) -> Result<String, ProvError> {
    let host = server.settings.get("user_host").and_then(|v| v.as_str()).unwrap_or("%").to_string();
    if valid_user_host(&host) {
        Ok(host)
    } else {
        Err(ProvError::Permanent(format!("the server's user host {host:?} is not allowed")))
    }
}

fn checked_name(a: &Account) -> Result<&str, ProvError> {
    if valid_name(&a.username) {
        Ok(&a.username)
    } else {
        Err(ProvError::Permanent(format!("the account name {:?} is not allowed", a.username)))
    }
}

/// Errors that may pass (the network, a server busy or restarting) are retried; refusals of the
/// admin's rights or of the statement are not.
fn classify(e: sqlx::Error) -> ProvError {
    match &e {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Protocol(_) => {
            ProvError::Transient(e.to_string())
        }
        sqlx::Error::Database(db) => match db.try_downcast_ref::<MySqlDatabaseError>().map(|m| m.number()) {
            // Too many connections, server shutting down, lock wait, deadlock.
            Some(1040 | 1053 | 1205 | 1213) => ProvError::Transient(e.to_string()),
            _ => ProvError::Permanent(e.to_string()),
        },
        _ => ProvError::Permanent(e.to_string()),
    }
}

const USER_EXISTS: &str = "SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = ?";
const SCHEMA_EXISTS: &str = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";

async fn connect(server: &ServerConf) -> Result<MySqlConnection, ProvError> {
    // The account's password hash travels in ALTER USER: encrypted unless switched off on
    // purpose (a server on the same host or a private network).
    let ssl = match server.settings.get("tls").and_then(|v| v.as_str()) {
        Some("disabled") => MySqlSslMode::Disabled,
        Some("preferred") => MySqlSslMode::Preferred,
        _ => MySqlSslMode::Required,
    };
    let mut options =
        MySqlConnectOptions::new().host(&server.host).port(server.port).username(&server.username);
    // An empty password is sent as one ("using password: YES"): none means none.
    if !server.secret.is_empty() {
        options = options.password(&server.secret);
    }
    options
        .ssl_mode(ssl)
        // sqlx logs statements otherwise; ours name accounts.
        .disable_statement_logging()
        .connect()
        .await
        .map_err(classify)
}

async fn run(conn: &mut MySqlConnection, sql: String) -> Result<(), ProvError> {
    sqlx::raw_sql(AssertSqlSafe(sql)).execute(conn).await.map(|_| ()).map_err(classify)
}

async fn count(conn: &mut MySqlConnection, sql: &'static str, binds: &[&str]) -> Result<i64, ProvError> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    let row = q.fetch_one(conn).await.map_err(classify)?;
    row.try_get::<i64, _>(0).map_err(classify)
}

/// End the account's open sessions: a locked or dropped account must not keep working through
/// a connection made before. A session gone meanwhile (1094) is fine.
async fn kill_sessions(j: &JobCtx, conn: &mut MySqlConnection, user: &str) -> Result<(), ProvError> {
    // ID is a signed BIGINT in MariaDB's information_schema.
    let ids: Vec<i64> = sqlx::query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")
        .bind(user)
        .fetch_all(&mut *conn)
        .await
        .map_err(classify)?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()
        .map_err(classify)?;
    for id in &ids {
        if let Err(e) = run(conn, format!("KILL CONNECTION {id}")).await
            && !e.to_string().contains("1094")
        {
            return Err(e);
        }
    }
    if !ids.is_empty() {
        j.log("sessions", &format!("ended {} open session(s)", ids.len())).await;
    }
    Ok(())
}

#[async_trait::async_trait]
impl Provisioner for MariaDb {
    fn module(&self) -> &'static str {
        "mariadb"
    }

    async fn test_connection(&self, server: &ServerConf) -> Result<String, ProvError> {
        let mut conn = connect(server).await?;
        let version: String = sqlx::query("SELECT VERSION()")
            .fetch_one(&mut conn)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(classify)?;
        let _ = conn.close().await;
        Ok(format!("MariaDB {version}"))
    }

    async fn create(&self, j: &JobCtx, a: &Account) -> Result<String, ProvError> {
        let name = checked_name(a)?;
        let host = user_host(&j.server)?;
        let hash = native_hash(&a.password);
        j.redact_also(&hash);
        let mut conn = connect(&j.server).await?;
        let c = &mut conn;
        let sql = format!(
            "CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        );
        j.step("database", move || run(c, sql)).await?;
        let c = &mut conn;
        let (user, at) = (name, host.as_str());
        j.step("user", move || async move {
            let exists = count(&mut *c, USER_EXISTS, &[user, at]).await?;
            // An earlier attempt made the user: it gets the same password again, no second user.
            let verb = if exists > 0 { "ALTER USER" } else { "CREATE USER" };
            run(c, format!("{verb} '{user}'@'{at}' IDENTIFIED VIA mysql_native_password USING '{hash}'"))
                .await
        })
        .await?;
        let c = &mut conn;
        let sql = format!("GRANT ALL PRIVILEGES ON `{name}`.* TO '{name}'@'{host}'");
        j.step("grant", move || run(c, sql)).await?;
        let schemas = count(&mut conn, SCHEMA_EXISTS, &[name]).await?;
        let _ = conn.close().await;
        if schemas != 1 {
            return Err(ProvError::Transient(format!("database {name} not found after creating it")));
        }
        Ok(format!("{name}@{host}"))
    }

    async fn suspend(&self, j: &JobCtx, a: &Account, _reason: &str) -> Result<(), ProvError> {
        let name = checked_name(a)?;
        let host = user_host(&j.server)?;
        let mut conn = connect(&j.server).await?;
        let c = &mut conn;
        j.step("lock", move || run(c, format!("ALTER USER '{name}'@'{host}' ACCOUNT LOCK"))).await?;
        kill_sessions(j, &mut conn, name).await?;
        let _ = conn.close().await;
        Ok(())
    }

    async fn unsuspend(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        let name = checked_name(a)?;
        let host = user_host(&j.server)?;
        let mut conn = connect(&j.server).await?;
        let c = &mut conn;
        j.step("unlock", move || run(c, format!("ALTER USER '{name}'@'{host}' ACCOUNT UNLOCK"))).await?;
        let _ = conn.close().await;
        Ok(())
    }

    async fn terminate(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        let name = checked_name(a)?;
        let host = user_host(&j.server)?;
        let mut conn = connect(&j.server).await?;
        let c = &mut conn;
        let at = host.as_str();
        j.step("user", move || async move {
            // Locked first, so no new session starts between the kill and the drop.
            if count(&mut *c, USER_EXISTS, &[name, at]).await? > 0 {
                run(&mut *c, format!("ALTER USER '{name}'@'{at}' ACCOUNT LOCK")).await?;
            }
            kill_sessions(j, &mut *c, name).await?;
            run(c, format!("DROP USER IF EXISTS '{name}'@'{at}'")).await
        })
        .await?;
        let c = &mut conn;
        j.step("database", move || run(c, format!("DROP DATABASE IF EXISTS `{name}`"))).await?;
        let _ = conn.close().await;
        Ok(())
    }

    async fn status(&self, j: &JobCtx, a: &Account) -> Result<Remote, ProvError> {
        let name = checked_name(a)?;
        let host = user_host(&j.server)?;
        let mut conn = connect(&j.server).await?;
        let users = count(&mut conn, USER_EXISTS, &[name, &host]).await?;
        let schemas = count(&mut conn, SCHEMA_EXISTS, &[name]).await?;
        let remote = match (users, schemas) {
            (0, 0) => Remote::Missing,
            (0, _) => Remote::Partial("the database has no user".into()),
            (_, 0) => Remote::Partial("the user has no database".into()),
            _ => {
                let create: String =
                    sqlx::query(AssertSqlSafe(format!("SHOW CREATE USER '{name}'@'{host}'")))
                        .fetch_one(&mut conn)
                        .await
                        .and_then(|r| r.try_get(0))
                        .map_err(classify)?;
                if create.contains("ACCOUNT LOCK") { Remote::Suspended } else { Remote::Active }
            }
        };
        let _ = conn.close().await;
        Ok(remote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_hash_matches_mariadbs_password_function() {
        // SELECT PASSWORD('secret') on MariaDB 10.11.
        assert_eq!(native_hash("secret"), "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
    }

    #[test]
    fn names_and_hosts_are_checked() {
        assert!(valid_name("cd17"));
        assert!(!valid_name("17cd"));
        assert!(!valid_name("cd_17"));
        assert!(!valid_name("cd%"));
        assert!(!valid_name(&"a".repeat(33)));
        assert!(valid_user_host("%"));
        assert!(valid_user_host("10.0.0.%"));
        assert!(!valid_user_host("x' OR 1"));
    }
}
