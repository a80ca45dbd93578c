//! The team archive on a real PostgreSQL server (`ANNALIST_TEST_PG`, a superuser's URL;
//! `scripts/pg-test-server.sh start` gives one, `.ci/run` starts it): `team init`, members,
//! row-level security seen through `psql`, passwords, injection attempts, `team push`
//! repeated and killed. Each test has a database of its own; login roles are cluster-wide,
//! so each test's member names carry its database's name.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{Cli, import_reports_naming_tiny};

const NEEDS: &str = "needs a PostgreSQL server (ANNALIST_TEST_PG)";

/// The superuser URL; a test run without it fails, it never passes silently.
fn superuser_url() -> String {
    std::env::var("ANNALIST_TEST_PG").unwrap_or_else(|_| {
        panic!("{NEEDS}: run `eval \"$(scripts/pg-test-server.sh start)\"` first")
    })
}

/// A fresh database for one test, and its superuser URL.
pub(crate) struct TestDb {
    pub name: String,
    pub url: String,
}

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    pub(crate) fn new(what: &str) -> Self {
        let base = superuser_url();
        let name = format!(
            "t_{what}_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap();
        let url = with_path(&base, &name, None);
        Self { name, url }
    }

    /// The URL of this database as `user` with `password`.
    pub(crate) fn url_as(&self, user: &str, password: &str) -> String {
        with_path(&superuser_url(), &self.name, Some((user, password)))
    }

    pub(crate) fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }

    /// `annalist team init` on it, then members `NAME_<db>` with their roles; returns the
    /// members' logins.
    pub(crate) fn team(&self, members: &[(&str, &str)]) -> Vec<String> {
        team(&Cli::new(), &["init", &self.url]);
        members
            .iter()
            .map(|(name, role)| {
                let login = format!("{name}_{}", self.name);
                let out = add_coder(&self.url, &login, role, "pw-of-member");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                login
            })
            .collect()
    }
}

/// `base` with the database `db` and, where given, another login.
fn with_path(base: &str, db: &str, login: Option<(&str, &str)>) -> String {
    let rest = base.strip_prefix("postgres://").unwrap();
    let (auth, hostpath) = rest.split_once('@').unwrap();
    let (host, query) = hostpath.split_once('/').unwrap();
    let query = query.split_once('?').map(|(_, q)| q).unwrap_or("");
    let auth = match login {
        Some((user, password)) => format!("{user}:{password}"),
        None => auth.to_owned(),
    };
    format!("postgres://{auth}@{host}/{db}?{query}")
}

fn team(cli: &Cli, args: &[&str]) -> String {
    let mut all = vec!["team"];
    all.extend_from_slice(args);
    cli.ok(&all)
}

fn add_coder(url: &str, login: &str, role: &str, password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["team", "add-coder", login, "--role", role, "--url", url])
        .env("ANNALIST_MEMBER_PASSWORD", password)
        .env_remove("PGPASSWORD")
        .output()
        .unwrap()
}

/// `psql` as a user would run it: the statement, stopping at the first error.
fn psql(url: &str, sql: &str) -> Output {
    Command::new("psql")
        .arg(url)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
        .output()
        .unwrap()
}

fn psql_ok(url: &str, sql: &str) -> String {
    let out = psql(url, sql);
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_init_twice_is_harmless_and_a_newer_schema_is_refused() {
    let db = TestDb::new("init");
    let cli = Cli::new();
    let first = team(&cli, &["init", &db.url]);
    assert!(first.starts_with("created the team archive"), "{first}");
    assert!(
        !first.contains("annalist-test-superuser"),
        "the password is never printed"
    );
    let second = team(&cli, &["init", &db.url]);
    assert!(second.contains("is up to date"), "{second}");
    let status = team(&cli, &["status", "--url", &db.url, "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    let version = status["schema_version"].as_i64().unwrap();
    assert_eq!(version, annalist::service::PG_SCHEMA_VERSION);
    assert_eq!(status["articles"], 0);

    psql_ok(
        &db.url,
        &format!(
            "UPDATE annalist.meta SET value = '{}' WHERE key = 'schema_version'",
            version + 1
        ),
    );
    for args in [vec!["init", &db.url], vec!["status", "--url", &db.url]] {
        let mut all = vec!["team"];
        all.extend(args);
        let out = cli.run(&all);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "has schema version {}; this build knows up to {version}",
                version + 1
            )),
            "{err}"
        );
    }
    // Nothing was changed by the refused init.
    assert_eq!(
        psql_ok(
            &db.url,
            "SELECT value FROM annalist.meta WHERE key = 'schema_version'"
        ),
        (version + 1).to_string()
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_a_database_without_the_schema_is_named() {
    let db = TestDb::new("noschema");
    let out = Cli::new().run(&["team", "status", "--url", &db.url]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds no team archive: run `annalist team init`"),
        "{err}"
    );
}

/// One pushed article with an annotation in `coder`'s layer, written by the superuser.
fn seed_annotation(db: &TestDb, uid: &str, coder: &str) {
    psql_ok(
        &db.url,
        &format!(
            "INSERT INTO annalist.articles (uid, title, text, imported_at, origin_format)
             VALUES ('h-{uid}', 't', 'Tiny said', 'now', 'text') ON CONFLICT DO NOTHING;
             INSERT INTO annalist.annotations (uid, article_uid, coder, label, start_cp, end_cp,
                 text, status, annotator, created_at, updated_at)
             VALUES ('{uid}', 'h-{uid}', '{coder}', 'PER', 0, 4, 'Tiny', 'accepted', '{coder}', 'now', 'now')"
        ),
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_a_coder_cannot_change_another_coders_spans_through_psql() {
    let db = TestDb::new("rls");
    let logins = db.team(&[("alice", "coder"), ("bob", "coder"), ("pi", "adjudicator")]);
    let (alice, bob, pi) = (&logins[0], &logins[1], &logins[2]);
    seed_annotation(&db, "a1", alice);
    seed_annotation(&db, "b1", bob);
    let as_bob = db.url_as(bob, "pw-of-member");

    // Bob reads Alice's span (the all-layers view needs it) but cannot change it.
    assert_eq!(
        psql_ok(
            &as_bob,
            "SELECT label FROM annalist.annotations WHERE uid = 'a1'"
        ),
        "PER"
    );
    let out = psql(
        &as_bob,
        "UPDATE annalist.annotations SET label = 'ORG' WHERE uid = 'a1'",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row-level security"), "{err}");
    // Nor take it into his layer, nor add to hers, nor delete it.
    let out = psql(
        &as_bob,
        &format!("UPDATE annalist.annotations SET coder = '{bob}' WHERE uid = 'a1'"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("stays in its layer"));
    let out = psql(
        &as_bob,
        &format!(
            "INSERT INTO annalist.annotations (uid, article_uid, coder, label, start_cp, end_cp,
                 text, status, annotator, created_at, updated_at)
             VALUES ('a2', 'h-a1', '{alice}', 'PER', 0, 4, 'Tiny', 'accepted', 'x', 'now', 'now')"
        ),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("row-level security"));
    let out = psql(&as_bob, "DELETE FROM annalist.annotations WHERE uid = 'a1'");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("permission denied for table annotations")
    );
    // Nor write articles, labels or the change log.
    for sql in [
        "UPDATE annalist.articles SET title = 'x'",
        "INSERT INTO annalist.labels (name, color, position) VALUES ('X', '#000000', 9)",
        "DELETE FROM annalist.changes",
    ] {
        let out = psql(&as_bob, sql);
        assert!(!out.status.success(), "{sql} was allowed");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("permission denied"),
            "{sql}"
        );
    }
    // His own layer he may change.
    psql_ok(
        &as_bob,
        "UPDATE annalist.annotations SET status = 'rejected' WHERE uid = 'b1'",
    );
    assert_eq!(
        psql_ok(
            &db.url,
            "SELECT label || ' ' || status || ' ' || coder FROM annalist.annotations WHERE uid = 'a1'"
        ),
        format!("PER accepted {alice}")
    );
    // The adjudicator writes the adjudicated layer; a coder cannot.
    let insert_adjudicated = "INSERT INTO annalist.annotations (uid, article_uid, coder, label,
             start_cp, end_cp, text, status, annotator, created_at, updated_at)
         VALUES ('j1', 'h-a1', '@adjudicated', 'PER', 0, 4, 'Tiny', 'accepted', 'pi', 'now', 'now')";
    assert!(!psql(&as_bob, insert_adjudicated).status.success());
    psql_ok(&db.url_as(pi, "pw-of-member"), insert_adjudicated);
    // Every change is in the log, in order.
    let log = psql_ok(
        &db.url,
        "SELECT string_agg(key, ',' ORDER BY seq) FROM annalist.changes WHERE tbl = 'annotations'",
    );
    assert_eq!(log, "a1,b1,b1,j1");
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_only_an_admin_assigns_and_a_coder_marks_only_their_own_work_done() {
    let db = TestDb::new("assign");
    let logins = db.team(&[("alice", "coder"), ("bob", "coder"), ("ada", "admin")]);
    let (alice, bob, ada) = (&logins[0], &logins[1], &logins[2]);
    seed_annotation(&db, "a1", alice);
    let as_alice = db.url_as(alice, "pw-of-member");
    let assign = |coder: &str| {
        format!(
            "INSERT INTO annalist.assignments (article_uid, coder, assigned_at)
             VALUES ('h-a1', '{coder}', 'now')"
        )
    };
    // A coder cannot hand herself (or anyone) work.
    let out = psql(&as_alice, &assign(alice));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("permission denied for table assignments"),
        "{err}"
    );
    // The admin can.
    let as_ada = db.url_as(ada, "pw-of-member");
    psql_ok(&as_ada, &assign(alice));
    psql_ok(&as_ada, &assign(bob));
    // Alice marks her own done; Bob's stays as it was (row-level security hides it from
    // her update), and she cannot move an assignment to herself.
    psql_ok(
        &as_alice,
        "UPDATE annalist.assignments SET done_at = 'then'",
    );
    let out = psql(
        &as_alice,
        &format!("UPDATE annalist.assignments SET coder = '{alice}' WHERE coder = '{bob}'"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("permission denied"));
    let out = psql(&as_alice, "DELETE FROM annalist.assignments");
    assert!(!out.status.success());
    assert_eq!(
        psql_ok(
            &db.url,
            "SELECT string_agg(coder || '=' || coalesce(done_at, '-'), ',' ORDER BY coder)
             FROM annalist.assignments"
        ),
        format!("{alice}=then,{bob}=-")
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_a_wrong_password_and_an_unreachable_server_get_clear_messages() {
    let db = TestDb::new("auth");
    let logins = db.team(&[("carol", "coder")]);
    let cli = Cli::new();
    let out = cli.run(&[
        "team",
        "status",
        "--url",
        &db.url_as(&logins[0], "not-her-password"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("refused the password for user \"{}\"", logins[0])),
        "{err}"
    );
    assert!(!err.contains("not-her-password"), "{err}");
    // Her right password works.
    let status = team(
        &cli,
        &["status", "--url", &db.url_as(&logins[0], "pw-of-member")],
    );
    assert!(
        status.contains(&format!("member {} (coder)", logins[0])),
        "{status}"
    );
    // A port nobody listens on.
    let out = cli.run(&[
        "team",
        "status",
        "--url",
        "postgres://x:y@127.0.0.1:9/db?sslmode=disable",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot reach the PostgreSQL server at postgres://x@127.0.0.1:9/db"),
        "{err}"
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_injection_attempts_are_stored_as_text() {
    let db = TestDb::new("inject");
    db.team(&[]);
    let cli = Cli::new();
    let evil_text = "Tiny said '); DELETE FROM annalist.articles; -- and \"x\" $$ \\ left.";
    cli.import_texts([("evil.txt".to_owned(), evil_text)]);
    cli.ok(&[
        "labels",
        "add",
        "EVIL",
        "--description",
        "'); DROP TABLE annalist.labels; --",
    ]);
    cli.ok(&[
        "--coder",
        "o'Brien\"; DROP TABLE annalist.annotations; --",
        "annotate",
        "add",
        "1",
        "--label",
        "EVIL",
        "--start",
        "0",
        "--end",
        "4",
    ]);
    team(&cli, &["push", "--url", &db.url]);
    let mut client = db.client();
    let row = client
        .query_one("SELECT text FROM annalist.articles", &[])
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        std::fs::read_to_string(cli.dir.path().join("in/evil.txt"))
            .unwrap()
            .trim_end()
    );
    let row = client
        .query_one(
            "SELECT description FROM annalist.labels WHERE name = 'EVIL'",
            &[],
        )
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        "'); DROP TABLE annalist.labels; --"
    );
    let row = client
        .query_one("SELECT coder FROM annalist.annotations", &[])
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        "o'Brien\"; DROP TABLE annalist.annotations; --"
    );
    // A member whose login is an injection attempt is a role of that very name.
    let login = format!("x\"; DROP ROLE annalist_admin; --{}", db.name.len());
    let out = add_coder(&db.url, &login, "coder", "p'w\"; --");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row = client
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname = $1 OR rolname = 'annalist_admin'",
            &[&login],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 2);
    let status = team(
        &cli,
        &[
            "status",
            "--url",
            &db.url_as(&urlencode(&login), &urlencode("p'w\"; --")),
        ],
    );
    assert!(status.contains("1 articles, 1 annotations"), "{status}");
}

/// Percent-encodes everything but letters and digits (for a URL's user and password).
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_push_is_idempotent_and_a_killed_push_resumes() {
    let db = TestDb::new("push");
    db.team(&[]);
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 3000);
    for id in ["1", "2", "3"] {
        cli.ok(&[
            "--coder", "dana", "annotate", "add", id, "--label", "PER", "--start", "10", "--end",
            "14",
        ]);
    }
    // Killed once the first batches are on the server.
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args([
            "--archive",
            cli.archive().to_str().unwrap(),
            "team",
            "push",
            "--url",
            &db.url,
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut client = db.client();
    let started = std::time::Instant::now();
    loop {
        let n: i64 = client
            .query_one("SELECT count(*) FROM annalist.articles", &[])
            .unwrap()
            .get(0);
        if n > 0 || started.elapsed() > std::time::Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial: i64 = client
        .query_one("SELECT count(*) FROM annalist.articles", &[])
        .unwrap()
        .get(0);
    assert!(partial > 0, "the first batch never arrived");
    let out = team(&cli, &["push", "--url", &db.url]);
    assert!(out.starts_with("pushed 3000 articles: "), "{out}");
    let counts = |client: &mut postgres::Client| -> (i64, i64, i64) {
        let row = client
            .query_one(
                "SELECT (SELECT count(*) FROM annalist.articles),
                        (SELECT count(*) FROM annalist.annotations),
                        (SELECT count(DISTINCT coder) FROM annalist.annotations)",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(counts(&mut client), (3000, 3, 1));
    // Again: nothing new, nothing twice.
    let out = team(&cli, &["push", "--url", &db.url]);
    assert!(
        out.contains(": 0 new articles, 0 new annotations, 0 new labels"),
        "{out}"
    );
    assert_eq!(counts(&mut client), (3000, 3, 1));
    let text: String = client
        .query_one(
            "SELECT a.text FROM annalist.annotations n JOIN annalist.articles r ON r.uid = n.article_uid
             JOIN annalist.annotations a ON a.uid = n.uid WHERE r.title = 'Report 1'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(text, "Tiny");
    // A deletion made here travels with the next push, once.
    let listed = cli.ok(&["annotate", "list", "1", "--json"]);
    let first: serde_json::Value = serde_json::from_str(listed.lines().next().unwrap()).unwrap();
    let uid = first["uid"].as_str().unwrap().to_owned();
    cli.ok(&[
        "--coder",
        "dana",
        "annotate",
        "remove",
        &first["id"].to_string(),
    ]);
    let out = team(&cli, &["push", "--url", &db.url]);
    assert!(
        out.contains("0 new annotations, 0 new labels, 1 deletion on the server"),
        "{out}"
    );
    let deleted: bool = client
        .query_one(
            "SELECT deleted FROM annalist.annotations WHERE uid = $1",
            &[&uid],
        )
        .unwrap()
        .get(0);
    assert!(deleted, "the server still has {uid} live");
    let out = team(&cli, &["push", "--url", &db.url]);
    assert!(
        out.contains("0 new labels, 0 deletions on the server"),
        "{out}"
    );
    assert_eq!(counts(&mut client), (3000, 3, 1));
}

/// The id of the article titled `title` in `cli`'s archive.
fn id_titled(cli: &Cli, title: &str) -> i64 {
    let list = cli.ok(&["list", "--limit", "10000", "--json"]);
    crate::support::json_lines(&list)
        .into_iter()
        .find(|a| a["title"] == title)
        .and_then(|a| a["id"].as_i64())
        .unwrap_or_else(|| panic!("no article titled {title}: {list}"))
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_join_copies_the_team_archive_and_catches_up_only_the_changes() {
    let db = TestDb::new("join");
    let logins = db.team(&[("eve", "coder")]);
    let eve = &logins[0];
    let origin = Cli::new();
    import_reports_naming_tiny(&origin, 40);
    let first = id_titled(&origin, "Report 7").to_string();
    origin.ok(&[
        "--coder", eve, "annotate", "add", &first, "--label", "PER", "--start", "10", "--end", "14",
    ]);
    team(&origin, &["push", "--url", &db.url]);

    let desk = Cli::new();
    let out = team(&desk, &["join", &db.url]);
    assert!(out.starts_with("copied "), "{out}");
    assert!(
        out.contains(": 40 articles added, 40 annotations added or changed, 0 deleted"),
        "{out}"
    );
    let id = id_titled(&desk, "Report 7").to_string();
    let spans =
        crate::support::json_lines(&desk.ok(&["--all-layers", "annotate", "list", &id, "--json"]));
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0]["text"], "Tiny");
    assert_eq!(spans[0]["coder"], eve.as_str());
    // The local index is built: the search finds every copied article.
    let hits = desk.ok(&["search", "convoy", "--json", "--limit", "100"]);
    assert_eq!(crate::support::json_lines(&hits).len(), 40, "{hits}");
    // Joined again with nothing new: nothing applied.
    let out = team(&desk, &["join", &db.url]);
    assert!(out.starts_with("caught up with "), "{out}");
    assert!(
        out.contains(": 0 articles added, 0 annotations added or changed, 0 deleted"),
        "{out}"
    );

    // Eve rejects her span through psql; an admin adds an article; then she deletes it.
    let as_eve = db.url_as(eve, "pw-of-member");
    psql_ok(
        &as_eve,
        "UPDATE annalist.annotations SET status = 'rejected', updated_at = '2030-01-01T00:00:00Z' WHERE status = 'accepted'",
    );
    let out = team(&desk, &["join", &db.url]);
    assert!(
        out.contains(": 0 articles added, 1 annotations added or changed, 0 deleted"),
        "{out}"
    );
    // The reader hides a rejected span; the counts show it.
    let spans = desk.ok(&["--all-layers", "annotate", "list", &id, "--json"]);
    assert_eq!(spans.trim(), "", "{spans}");
    let by_label = |cli: &Cli| -> serde_json::Value {
        let stats: serde_json::Value =
            serde_json::from_str(&cli.ok(&["--all-layers", "stats", "--json"])).unwrap();
        stats["annotations_by_label"].clone()
    };
    assert_eq!(
        by_label(&desk),
        serde_json::json!([["PER", "rejected", 1], ["PER", "suggested", 39]])
    );
    psql_ok(
        &as_eve,
        "UPDATE annalist.annotations SET deleted = true, updated_at = '2030-01-02T00:00:00Z' WHERE status = 'rejected'",
    );
    let out = team(&desk, &["join", &db.url]);
    assert!(
        out.contains(": 0 articles added, 0 annotations added or changed, 1 deleted"),
        "{out}"
    );
    assert_eq!(
        by_label(&desk),
        serde_json::json!([["PER", "suggested", 39]])
    );

    // A replica joins only its own server; an archive of its own cannot become one.
    let other = TestDb::new("join_other");
    other.team(&[]);
    let out = desk.run(&["team", "join", &other.url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the replica of the team archive at"));
    let out = origin.run(&["team", "join", &db.url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds articles and is not a replica"));
}
