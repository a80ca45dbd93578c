//! The coding team's side of the app in a real window (Xvfb, the built binary, xdotool;
//! the harness of `real_window.rs`): the coder's name asked on first start and used for the
//! next label key, the queue's mark-done key, and the Agreement view's table on screen.
//! Run by `.ci/run`: `cargo test --test tests real_window_coders -- --ignored
//! --test-threads=1`.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::real_window::{WAIT, Window, article_text, imported_strikes, ink, within, word, words};
use crate::support::{Cli, import_reports_naming_tiny, json_lines};

fn queue_of(cli: &Cli, coder: &str) -> Vec<Value> {
    json_lines(&cli.ok(&["--coder", coder, "queue", "--json"]))
}

/// A window's rectangle from the layout file's `coding.windows`.
fn window_rect(layout: &Value, name: &str) -> Option<[f32; 4]> {
    let r = layout["coding"]["windows"][name].as_array()?;
    let r: Vec<f32> = r
        .iter()
        .filter_map(Value::as_f64)
        .map(|v| v as f32)
        .collect();
    Some([r[0], r[1], r[2], r[3]])
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn real_window_coders_first_start_asks_the_name_and_the_next_label_key_codes_as_it() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    crate::coders::assign_every_article_to_ana_and_ben(&cli);
    // A fresh HOME: no settings, no ANNALIST_CODER.
    let window = Window::open(&cli);
    let layout = window.wait_layout("the name asked", |l| {
        l["coding"]["prompt"] == true && window_rect(l, "prompt").is_some()
    });
    let asked = window.screenshot();
    let question = window_rect(&layout, "prompt").unwrap();
    assert!(ink(&asked, question).0 > 0.02, "the question is drawn");
    // The field has the keys at once: type the name, Enter.
    window.type_text("ana");
    window.key("Return");
    // Coding as ana: her queue (the one article) is loaded and shown.
    window.wait_layout("coding as ana, her queue shown", |l| {
        l["coding"]["coder"] == "ana"
            && l["coding"]["prompt"] == false
            && l["coding"]["queue"]["to_do"] == 1
            && window_rect(l, "queue").is_some()
    });
    window.screenshot();
    // The list holds the one article: Ctrl+Down opens it.
    window.key("ctrl+Down");
    let layout = window.wait_layout("the article open", |l| {
        l["article"] == id && !l["words"].as_array().is_none_or(Vec::is_empty)
    });
    let words = words(&layout);
    let saravan = word(&words, "Saravan,").3;
    // A drag over the word (a double-click's two clicks can come too far apart on a busy
    // machine); the selection snaps to the word.
    window.drag(within(saravan, 0.1), within(saravan, 0.7));
    window.wait_layout("Saravan selected", |l| !l["selection"].is_null());
    window.key("3");
    let deadline = Instant::now() + WAIT;
    let stored = loop {
        let ana = json_lines(&cli.ok(&[
            "--coder",
            "ana",
            "annotate",
            "list",
            &id.to_string(),
            "--json",
        ]));
        if let Some(a) = ana.into_iter().find(|a| a["label"] == "LOC") {
            break a;
        }
        assert!(Instant::now() < deadline, "ana's LOC was not stored");
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = article_text(&cli, id);
    assert!(text.contains("Saravan"));
    assert_eq!(
        (
            stored["text"].as_str(),
            stored["coder"].as_str(),
            stored["annotator"].as_str()
        ),
        (Some("Saravan"), Some("ana"), Some("ana"))
    );
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn real_window_coders_the_queue_shows_to_do_and_done_and_ctrl_d_marks_the_open_article() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 3);
    crate::coders::assign_every_article_to_ana_and_ben(&cli);
    let window = Window::open_with(&cli, &[("ANNALIST_CODER", "ana")]);
    let layout = window.wait_layout("the queue shown", |l| {
        l["coding"]["queue"]["to_do"] == 3 && window_rect(l, "queue").is_some()
    });
    assert_eq!(layout["coding"]["queue"]["done"], 0);
    let queue = window_rect(&layout, "queue").unwrap();
    let shot = window.screenshot();
    assert!(
        ink(&shot, queue).0 > 0.02,
        "the queue window shows its rows"
    );
    // Open the first hit of the list, whichever article it is.
    window.key("ctrl+Down");
    let open = window.wait_layout("an article open", |l| l["article"].is_i64())["article"]
        .as_i64()
        .unwrap();
    let next = if open == 3 { 1 } else { open + 1 };
    window.key("ctrl+d");
    let layout = window.wait_layout("the next article to do", |l| {
        l["article"] == next && l["coding"]["queue"]["done"] == 1
    });
    assert_eq!(layout["coding"]["queue"]["to_do"], 2);
    let done: Vec<i64> = queue_of(&cli, "ana")
        .iter()
        .filter(|e| !e["done_at"].is_null())
        .map(|e| e["article_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        done,
        vec![open],
        "`annalist queue` says the article is done for ana"
    );
    window.screenshot();
    window.key("ctrl+shift+d");
    window.wait_layout("undone", |l| l["coding"]["queue"]["done"] == 0);
    assert!(queue_of(&cli, "ana").iter().all(|e| e["done_at"].is_null()));
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn real_window_coders_the_agreement_view_draws_its_table() {
    let cli = crate::agreement::three_coders();
    let window = Window::open(&cli);
    window.key("ctrl+shift+a");
    let layout = window.wait_layout("the agreement table", |l| {
        l["coding"]["agreement_rows"]
            .as_u64()
            .is_some_and(|n| n > 0)
            && window_rect(l, "agreement").is_some()
    });
    let table = window_rect(&layout, "agreement").unwrap();
    assert!(
        table[2] - table[0] > 300.0 && table[3] - table[1] > 100.0,
        "{table:?}"
    );
    // The frame that drew the table may reach the screen a moment after the layout file
    // names it on a busy machine: a few screenshots, then the verdict.
    let mut ink_share = 0.0;
    for _ in 0..10 {
        ink_share = ink(&window.screenshot(), table).0;
        if ink_share > 0.03 {
            break;
        }
    }
    assert!(
        ink_share > 0.03,
        "the table's text is on screen: {ink_share}"
    );
}
