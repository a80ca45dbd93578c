//! A replica's edits reaching the team server (the outbox, sent in order as the coder's
//! login, refusals kept, replays no-ops) and the server's changes reaching other desktops
//! (`team sync --follow` as a process per desktop, woken by LISTEN/NOTIFY).

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Cli, import_reports_naming_tiny, json_lines};
use crate::team::TestDb;

/// Every member's password in these tests.
pub(crate) const PW: &str = "pw-of-member";

/// One desktop: a replica joined as `login`, whose commands run as that coder with the
/// password in `PGPASSWORD` (the replica remembers the server, never the password).
pub(crate) struct Desk {
    pub cli: Cli,
    pub login: String,
}

impl Desk {
    /// A new replica of `url` (the superuser's URL of the database) joined as `login`.
    pub(crate) fn join(db_url_as: &str, login: &str) -> Self {
        let desk = Self {
            cli: Cli::new(),
            login: login.to_owned(),
        };
        let out = desk.ok(&["team", "join", db_url_as]);
        assert!(out.starts_with("copied "), "{out}");
        desk
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        self.command_as(&self.login, args)
    }

    /// A command on this replica coding as `coder` (still logging in as this desk's login).
    pub(crate) fn command_as(&self, coder: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_annalist"));
        command
            .arg("--archive")
            .arg(self.cli.archive())
            .arg("--coder")
            .arg(coder)
            .args(args)
            .env_remove("ANNALIST_ARCHIVE")
            .env_remove("ANNALIST_CODER")
            .env_remove("ANNALIST_TEAM_URL")
            .env("ANNALIST_ANNOTATOR", &self.login)
            .env("PGPASSWORD", PW);
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "annalist {args:?} as {} failed with {:?}\nstdout: {}\nstderr: {}",
            self.login,
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `team sync --follow` on this replica, as a process of its own.
    pub(crate) fn follow(&self) -> Follower {
        let child = self
            .command(&["team", "sync", "--follow", "--interval-ms", "1000"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Follower(child)
    }

    /// The annotations of article `id` in every layer, as `annotate list` prints them.
    pub(crate) fn all_layers(&self, id: &str) -> Vec<serde_json::Value> {
        let mut spans = json_lines(&self.ok(&["--all-layers", "annotate", "list", id, "--json"]));
        for span in &mut spans {
            span["uid"] = uid_of(self, span["id"].as_i64().unwrap()).into();
        }
        spans
    }

    /// The outbox as `team status --json` reports it.
    pub(crate) fn outbox(&self) -> serde_json::Value {
        let out = self.ok(&["team", "status", "--json"]);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["outbox"].clone()
    }

    /// The id of the article titled `title` in this replica.
    pub(crate) fn id_titled(&self, title: &str) -> String {
        let list = self.ok(&["list", "--limit", "10000", "--json"]);
        json_lines(&list)
            .into_iter()
            .find(|a| a["title"] == title)
            .and_then(|a| a["id"].as_i64())
            .unwrap_or_else(|| panic!("no article titled {title}: {list}"))
            .to_string()
    }
}

/// A `team sync --follow` process, killed when dropped.
pub(crate) struct Follower(Child);

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to `limit` for `check` to hold; returns how long it took.
pub(crate) fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    loop {
        if check() {
            return Some(started.elapsed());
        }
        if started.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A team archive of `n` reports pushed by the superuser, with members; returns the
/// database and the members' logins.
pub(crate) fn pushed_team(what: &str, n: usize, members: &[(&str, &str)]) -> (TestDb, Vec<String>) {
    let db = TestDb::new(what);
    let logins = db.team(members);
    let origin = Cli::new();
    import_reports_naming_tiny(&origin, n);
    origin.ok(&["team", "push", "--url", &db.url]);
    (db, logins)
}

/// One value of a query on the server.
pub(crate) fn server_i64(db: &TestDb, sql: &str, uid: &str) -> i64 {
    db.client().query_one(sql, &[&uid]).unwrap().get(0)
}

fn added_span(desk: &Desk, id: &str, status: &str) -> serde_json::Value {
    let out = desk.run(&[
        "annotate", "add", id, "--label", "PER", "--start", "10", "--end", "14", "--status",
        status, "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("offline"), "{stderr}");
    let mut span: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    span["uid"] = uid_of(desk, span["id"].as_i64().unwrap()).into();
    span
}

/// The global uid of annotation `id` in the replica (the CLI's JSON shows local ids).
pub(crate) fn uid_of(desk: &Desk, id: i64) -> String {
    replica_db(desk)
        .query_row("SELECT uid FROM annotations WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Opens the replica's SQLite database directly (to replay an entry as a crash would).
fn replica_db(desk: &Desk) -> rusqlite::Connection {
    rusqlite::Connection::open(Path::new(&desk.cli.archive()).join("annalist.sqlite3")).unwrap()
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_an_accept_on_a_replica_is_on_the_server_and_a_replay_changes_nothing() {
    let (db, logins) = pushed_team("send", 5, &[("alice", "coder")]);
    let alice = &logins[0];
    let desk = Desk::join(&db.url_as(alice, PW), alice);
    let id = desk.id_titled("Report 1");

    // A suggestion, then its acceptance: each sent right after the command.
    let span = added_span(&desk, &id, "suggested");
    let uid = span["uid"].as_str().unwrap().to_owned();
    let on_server = |sql: &str| server_i64(&db, sql, &uid);
    assert_eq!(
        on_server(
            "SELECT count(*) FROM annalist.annotations WHERE uid = $1 AND status = 'suggested'"
        ),
        1
    );
    desk.ok(&["suggestions", "accept", &span["id"].to_string()]);
    assert_eq!(
        on_server(
            "SELECT count(*) FROM annalist.annotations WHERE uid = $1 AND status = 'accepted' AND NOT deleted"
        ),
        1
    );
    assert_eq!(desk.outbox()["waiting"], 0);

    // A replay of an entry the server has (a crash after its commit) changes nothing.
    let head = |db: &TestDb| -> i64 {
        db.client()
            .query_one("SELECT max(seq) FROM annalist.changes", &[])
            .unwrap()
            .get(0)
    };
    let before = head(&db);
    replica_db(&desk)
        .execute(
            "INSERT INTO outbox (kind, uid) VALUES ('annotation', ?1)",
            [&uid],
        )
        .unwrap();
    let out = desk.ok(&["team", "send"]);
    assert!(out.contains("sent 1 edits"), "{out}");
    assert_eq!(head(&db), before, "a replayed edit wrote nothing");

    // A deletion travels as a mark.
    desk.ok(&["annotate", "remove", &span["id"].to_string()]);
    assert_eq!(
        on_server("SELECT count(*) FROM annalist.annotations WHERE uid = $1 AND deleted"),
        1
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_an_edit_the_server_refuses_is_kept_and_the_queue_goes_on() {
    let (db, logins) = pushed_team("refuse", 5, &[("alice", "coder"), ("bob", "coder")]);
    let (alice, bob) = (&logins[0], &logins[1]);
    let desk = Desk::join(&db.url_as(alice, PW), alice);
    let id = desk.id_titled("Report 1");
    // An edit in another coder's layer is refused by the server, kept and shown; the
    // queue goes on past it.
    let out = desk
        .command_as(
            bob,
            &[
                "annotate", "add", &id, "--label", "PER", "--start", "10", "--end", "14",
            ],
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the team server refused an edit") && stderr.contains("row-level security"),
        "{stderr}"
    );
    let later = added_span(&desk, &desk.id_titled("Report 2"), "accepted");
    let later_uid = later["uid"].as_str().unwrap();
    assert_eq!(
        server_i64(
            &db,
            "SELECT count(*) FROM annalist.annotations WHERE uid = $1",
            later_uid
        ),
        1
    );
    let outbox = desk.outbox();
    assert_eq!(outbox["waiting"], 0, "{outbox}");
    // Bob's span and the suggestions it taught in his layer, each refused.
    let in_bobs_layer: i64 = replica_db(&desk)
        .query_row(
            "SELECT count(*) FROM annotations WHERE coder = ?1",
            [bob],
            |r| r.get(0),
        )
        .unwrap();
    assert!(in_bobs_layer >= 1);
    assert_eq!(outbox["refused"], in_bobs_layer, "{outbox}");
    assert!(
        outbox["refused_edits"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("row-level security"),
        "{outbox}"
    );
    let text = desk.ok(&["team", "status"]);
    assert!(
        text.contains(&format!(
            "all edits sent; {in_bobs_layer} edits refused by the server"
        )),
        "{text}"
    );
    assert_eq!(
        server_i64(
            &db,
            "SELECT count(*) FROM annalist.annotations WHERE coder = $1",
            bob
        ),
        0
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_two_desktops_see_each_others_accepts_within_two_seconds() {
    let (db, logins) = pushed_team(
        "follow",
        5,
        &[("alice", "coder"), ("bob", "coder"), ("pi", "adjudicator")],
    );
    let (alice, bob, pi) = (&logins[0], &logins[1], &logins[2]);
    let a = Desk::join(&db.url_as(alice, PW), alice);
    let b = Desk::join(&db.url_as(bob, PW), bob);
    let id = a.id_titled("Report 3");
    assert_eq!(b.id_titled("Report 3"), id, "replicas copy in one order");
    let _fa = a.follow();
    let _fb = b.follow();

    // Bob accepts a span; Alice's replica has it (every layer) within 2 s.
    let span = added_span(&b, &id, "accepted");
    let took = within(Duration::from_secs(2), || {
        a.all_layers(&id).iter().any(|s| s["uid"] == span["uid"])
    });
    assert!(
        took.is_some(),
        "bob's span did not reach alice's replica in 2 s"
    );
    // Blind, she does not see it.
    let blind = json_lines(&a.ok(&["--blind", "annotate", "list", &id, "--json"]));
    assert!(blind.is_empty(), "{blind:?}");

    // Alice accepts the same span; Bob sees hers.
    let hers = added_span(&a, &id, "accepted");
    assert!(
        within(Duration::from_secs(2), || b
            .all_layers(&id)
            .iter()
            .any(|s| s["uid"] == hers["uid"]))
        .is_some(),
        "alice's span did not reach bob's replica in 2 s"
    );

    // The adjudicator takes their agreement; both coders' replicas have the result.
    let p = Desk::join(&db.url_as(pi, PW), pi);
    p.ok(&["adjudicate", &id, "agreements"]);
    for desk in [&a, &b] {
        assert!(
            within(Duration::from_secs(2), || desk
                .all_layers(&id)
                .iter()
                .any(|s| s["coder"] == "@adjudicated"))
            .is_some(),
            "the adjudicated span did not reach {}",
            desk.login
        );
    }
    assert_eq!(
        server_i64(
            &db,
            "SELECT count(*) FROM annalist.annotations WHERE coder = $1",
            "@adjudicated"
        ),
        1
    );
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_a_stale_metadata_edit_is_a_conflict_and_overwrites_nothing() {
    let (db, logins) = pushed_team("meta", 3, &[("ed", "admin"), ("fay", "admin")]);
    let ed = Desk::join(&db.url_as(&logins[0], PW), &logins[0]);
    let fay = Desk::join(&db.url_as(&logins[1], PW), &logins[1]);
    let id = ed.id_titled("Report 1");
    let on_server = |db: &TestDb| -> (String, Option<String>, i64) {
        let row = db
            .client()
            .query_one(
                "SELECT title, source, version FROM annalist.articles WHERE title LIKE 'Convoy%' OR title = 'Report 1'",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    ed.ok(&["edit", &id, "--title", "Convoy hit"]);
    assert_eq!(on_server(&db), ("Convoy hit".to_owned(), None, 2));

    // Fay's copy is older: her title edit is refused with both values, nothing overwritten.
    let out = fay.run(&["edit", &id, "--title", "Convoy struck"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("conflict on article Convoy hit: its title is \"Convoy hit\" on the server")
            && err.contains("this desktop made it \"Convoy struck\""),
        "{err}"
    );
    assert_eq!(on_server(&db), ("Convoy hit".to_owned(), None, 2));
    assert_eq!(fay.outbox()["refused"], 1);

    // Caught up, she has the server's title, and her next edit goes through.
    fay.ok(&["team", "sync"]);
    assert_eq!(fay.id_titled("Convoy hit"), id);
    fay.ok(&["edit", &id, "--source", "Wire"]);
    assert_eq!(
        on_server(&db),
        ("Convoy hit".to_owned(), Some("Wire".to_owned()), 3)
    );
    // Ed, following the server, gets her source.
    ed.ok(&["team", "sync"]);
    let shown = ed.ok(&["show", &id, "--json"]);
    assert!(shown.contains("\"Wire\""), "{shown}");
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_archive_given_as_a_postgres_url_opens_this_desktops_replica() {
    let (db, logins) = pushed_team("url", 3, &[("gus", "coder")]);
    let gus = &logins[0];
    let data = tempfile::tempdir().unwrap();
    let url = db.url_as(gus, PW);
    let run = |args: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_annalist"))
            .args(["--archive", &url, "--coder", gus])
            .args(args)
            .env("XDG_DATA_HOME", data.path())
            .env_remove("ANNALIST_ARCHIVE")
            .env_remove("ANNALIST_CODER")
            .output()
            .unwrap()
    };
    let out = run(&["list", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&String::from_utf8_lossy(&out.stdout)).len(), 3);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: copied ") && err.contains("/annalist/teams/"),
        "{err}"
    );
    let teams: Vec<_> = std::fs::read_dir(data.path().join("annalist/teams"))
        .unwrap()
        .collect();
    assert_eq!(teams.len(), 1, "one replica folder per server and login");

    // The second time it is the same replica, caught up, not copied again; an edit made
    // through the URL reaches the server.
    let out = run(&[
        "annotate", "add", "1", "--label", "PER", "--start", "10", "--end", "14",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("copied"));
    assert_eq!(
        server_i64(
            &db,
            "SELECT count(*) FROM annalist.annotations WHERE coder = $1 AND status = 'accepted'",
            gus
        ),
        1
    );
    assert_eq!(
        std::fs::read_dir(data.path().join("annalist/teams"))
            .unwrap()
            .count(),
        1
    );
}
