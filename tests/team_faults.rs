//! Faults between replicas and the team server, with nothing lost and nothing applied
//! twice: the server stopped while edits are made, stopped and restarted in the middle of
//! a stream of 1,000 edits from two coders, a client SIGKILLed mid-send, the server's
//! network refused for a while; and the app's pull loop (its status bar's "offline, N
//! edits waiting", a second desktop's span reaching the replica it has open). Each test
//! runs its own throwaway server (the shared one stays up for the other tests), started
//! by `scripts/pg-test-server.sh`.

use std::collections::BTreeSet;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use annalist::model::{CharSpan, Coder};
use annalist::service::{Archive, LayerView, manual_annotation};

use crate::support::{Cli, import_reports_naming_tiny};
use crate::team_sync::{Desk, PW, within};

const NEEDS: &str = "needs a PostgreSQL server (ANNALIST_TEST_PG)";

/// A PostgreSQL server of one test's own, on a free loopback port; removed when dropped.
pub(crate) struct PrivateServer {
    dir: PathBuf,
    port: u16,
    /// The superuser's URL of its `postgres` database.
    url: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-test-server.sh")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl PrivateServer {
    pub(crate) fn start(what: &str) -> Self {
        // The same requirement as every team test: without it, fail (never skip).
        std::env::var("ANNALIST_TEST_PG").unwrap_or_else(|_| panic!("{NEEDS}"));
        let dir = std::env::temp_dir().join(format!("annalist-pg-{what}-{}", std::process::id()));
        let mut server = Self {
            port: free_port(),
            url: String::new(),
            dir,
        };
        let out = server.script("start");
        let line = String::from_utf8(out).unwrap();
        let url = line
            .trim()
            .strip_prefix("export ANNALIST_TEST_PG=")
            .unwrap_or_else(|| panic!("unexpected output of the server script: {line}"))
            .to_owned();
        server.url = url;
        server
    }

    fn script(&self, action: &str) -> Vec<u8> {
        let out = Command::new(script())
            .arg(action)
            .env("ANNALIST_PG_DIR", &self.dir)
            .env("ANNALIST_PG_PORT", self.port.to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg-test-server.sh {action}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Stops the server (its data stays).
    pub(crate) fn stop(&self) {
        self.script("pause");
    }

    /// Its loopback port.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Starts it again on the same data and port.
    pub(crate) fn start_again(&self) {
        self.script("restart");
    }

    /// A team database `team` with `members` (coders), pushed `n` reports; returns the
    /// superuser's URL of it and the members' URLs through `port` (the server's, or a
    /// proxy's).
    pub(crate) fn team(&self, n: usize, members: &[&str]) -> String {
        let mut admin = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        admin.batch_execute("CREATE DATABASE team").unwrap();
        let url = self.url.replace("/postgres?", "/team?");
        let cli = Cli::new();
        cli.ok(&["team", "init", &url]);
        for member in members {
            let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
                .args([
                    "team",
                    "add-coder",
                    member,
                    "--role",
                    "coder",
                    "--url",
                    &url,
                ])
                .env("ANNALIST_MEMBER_PASSWORD", PW)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        import_reports_naming_tiny(&cli, n);
        cli.ok(&["team", "push", "--url", &url]);
        url
    }

    /// `login`'s URL of the team database, through `port`.
    pub(crate) fn member_url(&self, login: &str, port: u16) -> String {
        format!("postgres://{login}:{PW}@127.0.0.1:{port}/team?sslmode=disable")
    }

    pub(crate) fn client(&self) -> postgres::Client {
        let url = self.url.replace("/postgres?", "/team?");
        postgres::Client::connect(&url, postgres::NoTls).unwrap()
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .env("ANNALIST_PG_DIR", &self.dir)
            .env("ANNALIST_PG_PORT", self.port.to_string())
            .output();
    }
}

/// The uids of `coder`'s layer in a replica, from its database.
pub(crate) fn local_uids(desk: &Desk, coder: &str) -> BTreeSet<String> {
    let db = rusqlite::Connection::open(desk.cli.archive().join("annalist.sqlite3")).unwrap();
    let mut stmt = db
        .prepare("SELECT uid FROM annotations WHERE coder = ?1")
        .unwrap();
    stmt.query_map([coder], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every uid is on the server once, and was applied once (one change log row each).
pub(crate) fn assert_on_the_server_exactly_once(
    client: &mut postgres::Client,
    uids: &BTreeSet<String>,
) {
    let uids: Vec<&String> = uids.iter().collect();
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM annalist.annotations WHERE uid = ANY($1) AND NOT deleted),
                    (SELECT count(*) FROM annalist.changes WHERE tbl = 'annotations' AND key = ANY($1)),
                    (SELECT count(DISTINCT key) FROM annalist.changes WHERE tbl = 'annotations' AND key = ANY($1))",
            &[&uids],
        )
        .unwrap();
    let (on_server, applied, distinct): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let n = i64::try_from(uids.len()).unwrap();
    assert_eq!(on_server, n, "every acknowledged edit is on the server");
    assert_eq!(distinct, n);
    assert_eq!(applied, n, "no edit was applied twice");
}

/// Adds `n` accepted spans to `coder`'s layer of the replica in `dir`, one transaction
/// each, as the app's writer does (no send of its own: the follower or `team send` does).
fn edit_stream(dir: &Path, coder: &str, n: usize, mut after_each: impl FnMut(usize)) {
    let mut archive = Archive::open_reader(dir).unwrap();
    archive
        .code_as(Some(Coder::new(coder).unwrap()), LayerView::Own, false)
        .unwrap();
    let articles = archive.list(10_000, 0).unwrap();
    let mut made = 0;
    'all: for article in &articles {
        for start in 10..40 {
            let span = CharSpan::ordered(start, start + 1).unwrap();
            let annotation = manual_annotation("PER", span, serde_json::Map::new(), coder);
            archive.add_annotation(article.id, annotation).unwrap();
            made += 1;
            after_each(made);
            if made == n {
                break 'all;
            }
        }
    }
    assert_eq!(made, n, "not enough room for {n} spans");
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_edits_made_while_the_server_is_stopped_are_sent_once_after_restart() {
    let server = PrivateServer::start("stopped");
    server.team(5, &["alice"]);
    let desk = Desk::join(&server.member_url("alice", server.port), "alice");
    let id = desk.id_titled("Report 2");
    server.stop();
    for start in ["0", "2", "4"] {
        let end = (start.parse::<u32>().unwrap() + 1).to_string();
        let out = desk.run(&[
            "annotate", "add", &id, "--label", "PER", "--start", start, "--end", &end,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("note: offline, "), "{stderr}");
    }
    let waiting = desk.outbox()["waiting"].as_u64().unwrap();
    assert!(waiting >= 3, "{waiting}");
    let status = desk.ok(&["team", "status"]);
    assert!(
        status.contains(&format!("offline, {waiting} edits waiting")),
        "{status}"
    );

    server.start_again();
    let out = desk.ok(&["team", "send"]);
    assert!(out.contains(&format!("sent {waiting} edits")), "{out}");
    assert!(desk.ok(&["team", "status"]).contains("all edits sent"));
    assert_on_the_server_exactly_once(&mut server.client(), &local_uids(&desk, "alice"));
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_a_stream_of_1000_edits_from_two_coders_survives_a_server_restart() {
    let server = PrivateServer::start("stream");
    server.team(40, &["alice", "bob"]);
    let desks: Vec<Desk> = ["alice", "bob"]
        .iter()
        .map(|login| Desk::join(&server.member_url(login, server.port), login))
        .collect();
    let followers: Vec<_> = desks.iter().map(Desk::follow).collect();
    let made = std::sync::atomic::AtomicUsize::new(0);
    let (mut at_stop, mut at_restart) = (0, 0);
    std::thread::scope(|scope| {
        for desk in &desks {
            let dir = desk.cli.archive();
            let login = desk.login.clone();
            let made = &made;
            scope.spawn(move || {
                edit_stream(&dir, &login, 500, |_| {
                    made.fetch_add(1, Ordering::Relaxed);
                });
            });
        }
        // In the middle of the stream: stopped, then back a second later.
        assert!(
            within(Duration::from_secs(30), || made.load(Ordering::Relaxed)
                >= 200)
            .is_some()
        );
        server.stop();
        at_stop = made.load(Ordering::Relaxed);
        // Edits go on while it is down.
        within(Duration::from_secs(5), || {
            made.load(Ordering::Relaxed) >= at_stop + 150
        });
        at_restart = made.load(Ordering::Relaxed);
        server.start_again();
    });
    assert!(
        at_stop < at_restart && at_restart < 1000,
        "the restart was not in the middle of the stream ({at_stop}, {at_restart})"
    );
    let mut client = server.client();
    for desk in &desks {
        let uids = local_uids(desk, &desk.login);
        assert_eq!(uids.len(), 500);
        let sent = within(Duration::from_secs(60), || {
            let n: i64 = client
                .query_one(
                    "SELECT count(*) FROM annalist.annotations WHERE coder = $1",
                    &[&desk.login],
                )
                .unwrap()
                .get(0);
            n == 500
        });
        assert!(sent.is_some(), "{}'s edits did not all arrive", desk.login);
        assert_on_the_server_exactly_once(&mut client, &uids);
    }
    drop(followers);
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_a_client_killed_mid_send_resumes_and_sends_each_edit_once() {
    let server = PrivateServer::start("killed");
    server.team(40, &["alice"]);
    let desk = Desk::join(&server.member_url("alice", server.port), "alice");
    edit_stream(&desk.cli.archive(), "alice", 1000, |_| {});
    let mut child = desk.command(&["team", "send"]).spawn().unwrap();
    let mut client = server.client();
    let count = |client: &mut postgres::Client| -> i64 {
        client
            .query_one(
                "SELECT count(*) FROM annalist.annotations WHERE coder = 'alice'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert!(
        within(Duration::from_secs(60), || count(&mut client) > 50).is_some(),
        "the send never started"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = count(&mut client);
    assert!(
        partial < 1000,
        "killed too late to test anything ({partial})"
    );
    let out = desk.ok(&["team", "send"]);
    assert!(out.contains("all edits sent"), "{out}");
    assert_on_the_server_exactly_once(&mut client, &local_uids(&desk, "alice"));
}

/// A TCP proxy to the server that can refuse its network: while `down`, it closes every
/// connection and accepts none that stays open.
struct Proxy {
    port: u16,
    down: Arc<AtomicBool>,
}

impl Proxy {
    fn start(to: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&down);
        std::thread::Builder::new()
            .name("test-proxy".to_owned())
            .spawn(move || {
                for client in listener.incoming() {
                    let Ok(client) = client else { continue };
                    if flag.load(Ordering::Relaxed) {
                        drop(client);
                        continue;
                    }
                    let Ok(upstream) = TcpStream::connect(("127.0.0.1", to)) else {
                        continue;
                    };
                    for (from, into) in [
                        (client.try_clone().unwrap(), upstream.try_clone().unwrap()),
                        (upstream, client),
                    ] {
                        let flag = Arc::clone(&flag);
                        std::thread::Builder::new()
                            .name("test-proxy-pipe".to_owned())
                            .spawn(move || pipe(from, into, &flag))
                            .unwrap();
                    }
                }
            })
            .unwrap();
        Self { port, down }
    }
}

/// Copies `from` into `into` until either closes or the network goes down.
fn pipe(mut from: TcpStream, mut into: TcpStream, down: &AtomicBool) {
    use std::io::Write;
    from.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if down.load(Ordering::Relaxed) {
            break;
        }
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if into.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    let _ = from.shutdown(std::net::Shutdown::Both);
    let _ = into.shutdown(std::net::Shutdown::Both);
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_edits_queue_while_the_network_is_refused_then_go_through() {
    // The outage is 30 s; tests default to 3 s (ANNALIST_TEST_OUTAGE_SECS=30 for
    // the full one). Nothing in the sender depends on how long it lasts.
    let outage: u64 = std::env::var("ANNALIST_TEST_OUTAGE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let server = PrivateServer::start("network");
    server.team(40, &["alice"]);
    let proxy = Proxy::start(server.port);
    let desk = Desk::join(&server.member_url("alice", proxy.port), "alice");
    let follower = desk.follow();
    let dir = desk.cli.archive();
    edit_stream(&dir, "alice", 300, |made| {
        if made == 100 {
            proxy.down.store(true, Ordering::Relaxed);
        }
    });
    // While the network is refused, edits wait here.
    std::thread::sleep(Duration::from_secs(outage));
    let waiting = desk.outbox();
    assert!(waiting["waiting"].as_u64().unwrap() > 0, "{waiting}");
    assert_eq!(waiting["offline"], true, "{waiting}");
    proxy.down.store(false, Ordering::Relaxed);
    let mut client = server.client();
    let arrived = within(Duration::from_secs(30), || {
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM annalist.annotations WHERE coder = 'alice'",
                &[],
            )
            .unwrap()
            .get(0);
        n == 300
    });
    assert!(arrived.is_some(), "the queued edits did not go through");
    assert_on_the_server_exactly_once(&mut client, &local_uids(&desk, "alice"));
    // The other way, through the same proxy: a change made on the server after the
    // outage is copied into the replica by its follower.
    client
        .batch_execute(
            "INSERT INTO annalist.annotations (uid, article_uid, coder, label, start_cp, end_cp,
                 text, status, annotator, created_at, updated_at)
             SELECT 'after-the-outage', uid, 'bob', 'PER', 0, 1, substr(text, 1, 1), 'accepted',
                 'bob', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
             FROM annalist.articles ORDER BY uid LIMIT 1",
        )
        .unwrap();
    let copied = within(Duration::from_secs(10), || {
        local_uids(&desk, "bob").contains("after-the-outage")
    });
    assert!(
        copied.is_some(),
        "the server's change did not reach the replica"
    );
    drop(follower);
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_the_app_follows_its_server_and_says_offline_n_edits_waiting() {
    let server = PrivateServer::start("app");
    server.team(5, &["alice", "bob"]);
    let alice_url = server.member_url("alice", server.port);
    let alice = Desk::join(&alice_url, "alice");
    let bob = Desk::join(&server.member_url("bob", server.port), "bob");
    // The app of this process logs in as Alice (her password given for this process only).
    annalist::service::use_team_login(&annalist::service::PgTarget::parse(&alice_url).unwrap());
    let mut app = crate::gui_support::app_on(&alice.cli.archive());
    let wait_for = |app: &mut annalist::app::AnnalistApp, what: &str| {
        let reached = within(Duration::from_secs(10), || {
            app.logic();
            app.state.team.as_deref() == Some(what)
        });
        assert!(
            reached.is_some(),
            "the status bar never said {what:?} (it says {:?})",
            app.state.team
        );
    };
    wait_for(&mut app, "all edits sent");

    // Bob's accept reaches the replica the app has open, through its pull loop.
    let id = bob.id_titled("Report 1");
    bob.ok(&[
        "annotate", "add", &id, "--label", "PER", "--start", "10", "--end", "14",
    ]);
    let db = rusqlite::Connection::open(alice.cli.archive().join("annalist.sqlite3")).unwrap();
    let bobs = || -> i64 {
        db.query_row(
            "SELECT count(*) FROM annotations WHERE coder = 'bob'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(
        within(Duration::from_secs(2), || {
            app.logic();
            bobs() > 0
        })
        .is_some(),
        "bob's span did not reach the app's replica in 2 s"
    );

    // The server goes: Alice's edit waits, and the status bar says so; then it is sent.
    server.stop();
    edit_stream(&alice.cli.archive(), "alice", 1, |_| {});
    wait_for(&mut app, "offline, 1 edit waiting");
    server.start_again();
    wait_for(&mut app, "all edits sent");
    assert_on_the_server_exactly_once(&mut server.client(), &local_uids(&alice, "alice"));
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_the_apps_first_open_of_a_team_archive_copies_it_as_a_job() {
    let (db, logins) = crate::team_sync::pushed_team("appopen", 7, &[("hal", "coder")]);
    let url = db.url_as(&logins[0], PW);
    let target = annalist::service::PgTarget::parse(&url).unwrap();
    annalist::service::use_team_login(&target);
    // What `annalist --archive postgres://…` does before the window opens the first time.
    let dir = tempfile::tempdir().unwrap();
    let replica = dir.path().join("replica");
    Archive::open(&replica)
        .unwrap()
        .become_replica(&target)
        .unwrap();
    let mut app = crate::gui_support::app_on(&replica);
    let copy = app
        .state
        .jobs
        .iter()
        .find(|j| j.heading().contains("the team archive"))
        .unwrap_or_else(|| panic!("no copy job: {:?}", app.state.jobs));
    let outcome = copy.outcome.clone();
    assert!(
        outcome.as_ref().is_some_and(|o| o
            .as_ref()
            .is_ok_and(|text| text.contains("7 articles added"))),
        "{outcome:?}"
    );
    assert!(copy.total > 0, "the copy reported its progress");
    assert!(
        within(Duration::from_secs(10), || {
            app.logic();
            app.state.article_count == 7
        })
        .is_some(),
        "the app shows {} articles",
        app.state.article_count
    );
}
