//! Connecting to the team's PostgreSQL server as libpq users expect: a URL or keyword
//! string, the `PG*` environment variables for what it leaves out, the password file
//! (`PGPASSFILE`, else `~/.pgpass`), and `sslmode` (`disable`, `prefer`, `require`,
//! `verify-ca`, `verify-full`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};

use super::PgError;

/// Where and how to connect, resolved from a connection string, the environment and the
/// password file. Its `Display` never shows the password.
#[derive(Clone)]
pub struct PgTarget {
    config: Config,
    /// Whether the server's certificate is checked (`verify-ca`, `verify-full`).
    verify: bool,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgTarget({self})")
    }
}

impl std::fmt::Display for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = self.host_name();
        let port = self.port();
        let user = self.config.get_user().unwrap_or_default();
        let db = self.config.get_dbname().unwrap_or_default();
        write!(f, "postgres://{user}@{host}:{port}/{db}")
    }
}

/// The environment a target is resolved in (the process's, or a test's own).
pub(crate) trait PgEnv {
    /// A variable's value, if set and not empty.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub(crate) struct ProcessEnv;

impl PgEnv for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl PgTarget {
    /// Resolves `conn` (a `postgres://` URL or `key=value` string) in the process's
    /// environment.
    pub fn parse(conn: &str) -> Result<Self, PgError> {
        Self::parse_in(conn, &ProcessEnv)
    }

    /// Resolves `conn` in `env`: what the string leaves out comes from `PGHOST`, `PGPORT`,
    /// `PGUSER`, `PGDATABASE`, `PGSSLMODE`, `PGCONNECT_TIMEOUT`, `PGAPPNAME`, then the
    /// password from `PGPASSWORD` or the password file.
    pub(crate) fn parse_in(conn: &str, env: &dyn PgEnv) -> Result<Self, PgError> {
        let (mut conn, verify, ssl_given) = take_verify_modes(conn);
        if !names_port(&conn)
            && let Some(port) = env.var("PGPORT")
        {
            let port: u16 = port.parse().map_err(|_| PgError::BadConnectionString {
                reason: format!("PGPORT is not a port number: {port:?}"),
            })?;
            conn = with_port(&conn, port);
        }
        let mut config = Config::from_str(&conn).map_err(|e| PgError::BadConnectionString {
            reason: e.to_string(),
        })?;
        if config.get_hosts().is_empty() {
            match env.var("PGHOST") {
                Some(host) => {
                    config.host(&host);
                }
                None => {
                    config.host_path("/var/run/postgresql");
                }
            }
        }
        if config.get_user().is_none() {
            let user = env
                .var("PGUSER")
                .or_else(|| env.var("USER"))
                .or_else(|| env.var("LOGNAME"))
                .ok_or_else(|| PgError::BadConnectionString {
                    reason: "no user name: give one in the URL (postgres://NAME@host/db) or PGUSER"
                        .to_owned(),
                })?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let db = env
                .var("PGDATABASE")
                .or_else(|| config.get_user().map(str::to_owned))
                .unwrap_or_default();
            config.dbname(&db);
        }
        let mut verify = verify;
        if !ssl_given && let Some(mode) = env.var("PGSSLMODE") {
            config.ssl_mode(match mode.as_str() {
                "disable" => SslMode::Disable,
                "prefer" | "allow" => SslMode::Prefer,
                "require" => SslMode::Require,
                "verify-ca" | "verify-full" => {
                    verify = true;
                    SslMode::Require
                }
                other => {
                    return Err(PgError::BadConnectionString {
                        reason: format!("PGSSLMODE {other:?} is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    });
                }
            });
        }
        if config.get_connect_timeout().is_none() {
            let secs = env
                .var("PGCONNECT_TIMEOUT")
                .and_then(|s| s.parse().ok())
                .unwrap_or(10);
            config.connect_timeout(std::time::Duration::from_secs(secs));
        }
        if config.get_application_name().is_none() {
            config.application_name(
                &env.var("PGAPPNAME")
                    .unwrap_or_else(|| "annalist".to_owned()),
            );
        }
        let mut target = Self { config, verify };
        if target.config.get_password().is_none() {
            let password = env.var("PGPASSWORD").or_else(|| {
                let file = env
                    .var("PGPASSFILE")
                    .map(PathBuf::from)
                    .or_else(|| env.var("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
                target.password_from_file(&file)
            });
            if let Some(password) = password {
                target.config.password(password);
            }
        }
        Ok(target)
    }

    /// The same server and database as another user (a coder's own login).
    pub fn with_login(&self, user: &str, password: &str) -> Self {
        let mut other = self.clone();
        other.config.user(user);
        other.config.password(password);
        other
    }

    /// This target with another connect timeout (a send right after an edit waits less).
    pub fn with_connect_timeout(&self, timeout: std::time::Duration) -> Self {
        let mut other = self.clone();
        other.config.connect_timeout(timeout);
        other
    }

    /// A keyword connection string for this target without its password (what a replica
    /// remembers; the password comes from `PGPASSWORD` or the password file each time).
    pub fn without_password(&self) -> String {
        let quote = |v: &str| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"));
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        };
        let ssl = match (self.ssl_mode(), self.verify) {
            (_, true) => "verify-full",
            (SslMode::Disable, _) => "disable",
            (SslMode::Require, _) => "require",
            _ => "prefer",
        };
        format!(
            "host={} port={} dbname={} user={} sslmode={ssl}",
            quote(&host),
            self.port(),
            quote(self.dbname()),
            quote(self.user())
        )
    }

    /// The same server, another database.
    pub fn with_dbname(&self, dbname: &str) -> Self {
        let mut other = self.clone();
        other.config.dbname(dbname);
        other
    }

    /// The server and database, without the user (`host:port/db`): what a replica copies.
    pub fn server(&self) -> String {
        format!("{}:{}/{}", self.host_name(), self.port(), self.dbname())
    }

    /// The user this target logs in as.
    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    /// The database name.
    pub fn dbname(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// Whether a password is known (given, from `PGPASSWORD` or the password file).
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// Sets the password (asked at a prompt).
    pub fn set_password(&mut self, password: &str) {
        self.config.password(password);
    }

    /// The TLS mode in force.
    pub fn ssl_mode(&self) -> SslMode {
        self.config.get_ssl_mode()
    }

    fn host_name(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        }
    }

    fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    /// The first password file line that matches this target (libpq's rules: `*` matches
    /// anything, `\:` and `\\` escape, a socket host matches `localhost`; a file that
    /// others can read is ignored, as libpq does).
    fn password_from_file(&self, file: &Path) -> Option<String> {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(file).ok()?;
        if meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
        let text = std::fs::read_to_string(file).ok()?;
        let host = match self.config.get_hosts().first() {
            Some(Host::Unix(_)) | None => "localhost".to_owned(),
            Some(Host::Tcp(name)) => name.clone(),
        };
        let port = self.port().to_string();
        let wanted = [host.as_str(), &port, self.dbname(), self.user()];
        pgpass_lookup(&text, wanted)
    }

    /// Connects; a refused password, an unreachable server and a missing database each
    /// get their own error.
    pub fn connect(&self) -> Result<Client, PgError> {
        let result = if self.ssl_mode() == SslMode::Disable {
            self.config.connect(NoTls)
        } else {
            self.config.connect(self.tls()?)
        };
        result.map_err(|e| PgError::from_connect(e, &self.to_string(), self.user()))
    }

    fn tls(&self) -> Result<postgres_openssl::MakeTlsConnector, PgError> {
        let tls_error = |e: openssl::error::ErrorStack| PgError::Tls(e.to_string());
        let mut builder = openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls())
            .map_err(tls_error)?;
        if !self.verify {
            // libpq's `prefer` and `require` encrypt without checking the certificate.
            builder.set_verify(openssl::ssl::SslVerifyMode::NONE);
        }
        Ok(postgres_openssl::MakeTlsConnector::new(builder.build()))
    }
}

/// Turns `sslmode=verify-ca|verify-full` (which the client crate does not parse) into
/// `require` with certificate checks; says whether the string names an `sslmode` at all.
fn take_verify_modes(conn: &str) -> (String, bool, bool) {
    let given = conn.contains("sslmode=");
    let mut verify = false;
    let mut out = conn.to_owned();
    for mode in ["verify-full", "verify-ca"] {
        let needle = format!("sslmode={mode}");
        if out.contains(&needle) {
            verify = true;
            out = out.replace(&needle, "sslmode=require");
        }
    }
    (out, verify, given)
}

/// Whether the connection string gives a port itself (the client crate fills in 5432,
/// which must not hide `PGPORT`).
fn names_port(conn: &str) -> bool {
    let url = conn
        .strip_prefix("postgres://")
        .or_else(|| conn.strip_prefix("postgresql://"));
    match url {
        Some(rest) => {
            let authority = rest.split(['/', '?']).next().unwrap_or_default();
            let hosts = authority.rsplit('@').next().unwrap_or_default();
            let after_brackets = hosts.rsplit(']').next().unwrap_or_default();
            after_brackets.contains(':') || rest.contains("port=")
        }
        None => conn.split_whitespace().any(|kv| kv.starts_with("port=")),
    }
}

/// `conn` with `port` given (the client crate puts 5432 beside a host given without one,
/// so the port goes into the string, after a URL's single host or as a keyword).
fn with_port(conn: &str, port: u16) -> String {
    let scheme = ["postgres://", "postgresql://"]
        .into_iter()
        .find(|s| conn.starts_with(*s));
    let Some(scheme) = scheme else {
        return format!("{conn} port={port}");
    };
    let rest = &conn[scheme.len()..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains(',') {
        return conn.to_owned();
    }
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    if host.is_empty() {
        let sep = if tail.contains('?') { '&' } else { '?' };
        return format!("{conn}{sep}port={port}");
    }
    format!("{scheme}{userinfo}{host}:{port}{tail}")
}

/// The password of the first `host:port:database:user:password` line matching `wanted`.
fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .find_map(|line| {
            let fields = split_pgpass(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want);
            matches.then(|| fields[4..].join(":"))
        })
}

/// A password file line's fields, with `\:` and `\\` unescaped.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct Env(HashMap<&'static str, String>);

    impl PgEnv for Env {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
    }

    fn env(pairs: &[(&'static str, &str)]) -> Env {
        Env(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
    }

    #[test]
    fn the_url_wins_and_the_environment_fills_the_rest() {
        let e = env(&[
            ("PGHOST", "db.example"),
            ("PGPORT", "6543"),
            ("PGUSER", "ana"),
            ("PGDATABASE", "corpus"),
            ("PGPASSWORD", "pw"),
        ]);
        let t = PgTarget::parse_in("postgres://bo@127.0.0.1/team", &e).unwrap();
        assert_eq!(t.to_string(), "postgres://bo@127.0.0.1:6543/team");
        assert!(t.has_password());
        let t = PgTarget::parse_in("", &e).unwrap();
        assert_eq!(t.to_string(), "postgres://ana@db.example:6543/corpus");
        let t = PgTarget::parse_in("host=h user=u dbname=d port=1", &e).unwrap();
        assert_eq!(t.to_string(), "postgres://u@h:1/d");
        let t = PgTarget::parse_in("postgres://u:p@[::1]:7/d", &e).unwrap();
        assert_eq!(t.to_string(), "postgres://u@::1:7/d");
    }

    #[test]
    fn sslmode_comes_from_the_string_else_pgsslmode() {
        let e = env(&[("USER", "u"), ("PGSSLMODE", "require")]);
        let t = PgTarget::parse_in("postgres://h/d", &e).unwrap();
        assert_eq!(t.ssl_mode(), SslMode::Require);
        assert!(!t.verify);
        let t = PgTarget::parse_in("postgres://h/d?sslmode=disable", &e).unwrap();
        assert_eq!(t.ssl_mode(), SslMode::Disable);
        let t = PgTarget::parse_in("postgres://h/d?sslmode=verify-full", &e).unwrap();
        assert_eq!(t.ssl_mode(), SslMode::Require);
        assert!(t.verify);
        let bad = PgTarget::parse_in(
            "postgres://h/d",
            &env(&[("USER", "u"), ("PGSSLMODE", "maybe")]),
        );
        assert!(bad.unwrap_err().to_string().contains("PGSSLMODE \"maybe\""));
        let bad = PgTarget::parse_in("postgres://h/d?sslmode=sometimes", &e).unwrap_err();
        assert!(bad.to_string().contains("connection string"), "{bad}");
    }

    #[test]
    fn the_password_file_is_read_as_libpq_reads_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:no\n127.0.0.1:5432:team:ana:se\\:cr\\\\et\n*:*:*:*:fallback\n",
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let path = file.display().to_string();
        let e = env(&[("PGPASSFILE", &path)]);
        let t = PgTarget::parse_in("postgres://ana@127.0.0.1/team", &e).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"se:cr\\et"[..]));
        let t = PgTarget::parse_in("postgres://bo@127.0.0.1/team", &e).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"fallback"[..]));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let t = PgTarget::parse_in("postgres://ana@127.0.0.1/team", &e).unwrap();
        assert!(!t.has_password(), "a file others can read is ignored");
    }

    #[test]
    fn a_target_without_its_password_reads_back_as_the_same_target() {
        let e = env(&[("PGPASSWORD", "from-env")]);
        let t = PgTarget::parse_in(
            "postgres://o%27k:secret@127.0.0.1:7/my%20db?sslmode=disable",
            &e,
        )
        .unwrap();
        let kept = t.without_password();
        assert!(!kept.contains("secret"), "{kept}");
        let back = PgTarget::parse_in(&kept, &e).unwrap();
        assert_eq!(back.to_string(), "postgres://o'k@127.0.0.1:7/my db");
        assert_eq!(back.ssl_mode(), SslMode::Disable);
        assert_eq!(back.config.get_password(), Some(&b"from-env"[..]));
    }

    #[test]
    fn the_display_never_shows_the_password() {
        let t = PgTarget::parse_in("postgres://u:hunter2@h/d", &env(&[])).unwrap();
        assert!(!t.to_string().contains("hunter2"));
        assert!(!format!("{t:?}").contains("hunter2"));
    }
}
