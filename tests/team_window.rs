//! A team replica in a real window (Xvfb, the built binary, xdotool; the harness of
//! `real_window.rs`): the status bar follows the server, a span labelled by hand while the
//! server is down waits ("offline, 3 edits waiting": the span and what learning suggested from it) and reaches the server once it is back.
//! Its test is named `team_pg_*`, so `.ci/run` runs it with the PostgreSQL tests (which
//! start the servers it needs), not with the other real-window tests.

use std::time::Duration;

use crate::real_window::{Window, within, words};
use crate::team_faults::{PrivateServer, assert_on_the_server_exactly_once, local_uids};
use crate::team_sync::{Desk, PW};

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG), Xvfb, xdotool and ImageMagick"]
fn team_pg_in_the_app_s_window_a_span_labelled_offline_waits_and_reaches_the_server() {
    let server = PrivateServer::start("window");
    server.team(3, &["alice"]);
    let alice = Desk::join(&server.member_url("alice", server.port()), "alice");
    let window = Window::open_with(
        &alice.cli,
        &[("PGPASSWORD", PW), ("ANNALIST_CODER", "alice")],
    );
    window.wait_layout("the team status", |l| l["team"] == "all edits sent");
    window.key("ctrl+k");
    window.type_text("convoy");
    window.key("Return");
    std::thread::sleep(Duration::from_millis(300));
    window.key("ctrl+Down");
    let layout = window.wait_layout("an article open", |l| {
        l["article"].is_i64() && !l["words"].as_array().is_none_or(Vec::is_empty)
    });
    // The server goes; a span labelled by hand is kept and waits.
    server.stop();
    let tiny = words(&layout)
        .into_iter()
        .find(|w| w.2 == "Tiny")
        .expect("Tiny is shown");
    window.drag(within(tiny.3, 0.1), within(tiny.3, 0.8));
    window.wait_layout("Tiny selected", |l| !l["selection"].is_null());
    window.key("1");
    // The span, and learning's suggestions of "Tiny" in the two other reports: three edits
    // of alice's layer, stored here, waiting.
    window.wait_layout("the edits waiting", |l| {
        l["team"] == "offline, 3 edits waiting"
    });
    window.screenshot();
    assert_eq!(local_uids(&alice, "alice").len(), 3, "the edits are stored");
    // Back: it is sent, once.
    server.start_again();
    window.wait_layout("the edit sent", |l| l["team"] == "all edits sent");
    window.screenshot();
    assert_on_the_server_exactly_once(&mut server.client(), &local_uids(&alice, "alice"));
}
