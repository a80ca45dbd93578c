//! The entity tagger learning from the coder in a real window (Xvfb, the built binary,
//! xdotool; the harness of `real_window.rs`): Ctrl+Shift+G retrains the tagger on the
//! accepted spans in the background, the open article is suggested for again with the new
//! model, and the learned ORG is shown with its confidence. Run by `.ci/run`: `cargo test
//! --test tests real_window_tagger -- --ignored --test-threads=1`.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::real_window::{WAIT, Window, ink, within, word, words};
use crate::support::{Cli, json_lines};
use crate::tagger::{accept_org, import_group_reports};

/// The stored ORG suggestion of "Drunvik" in article `id`, once there is one.
fn drunvik_suggestion(cli: &Cli, id: i64) -> Option<Value> {
    json_lines(&cli.ok(&["annotate", "list", &id.to_string(), "--json"]))
        .into_iter()
        .find(|a| a["text"] == "Drunvik" && a["label"] == "ORG" && a["status"] == "suggested")
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn real_window_tagger_retrains_by_its_key_and_shows_the_learned_org_with_its_confidence() {
    let cli = Cli::new();
    for (i, (start, end, name)) in import_group_reports(&cli).into_iter().enumerate() {
        accept_org(&cli, i + 1, start, end, &name);
    }
    let window = Window::open(&cli);
    // Open an article about the group no accepted span names (41 or 42: both read alike).
    window.key("ctrl+k");
    window.type_text("Unseen");
    window.key("Return");
    std::thread::sleep(Duration::from_millis(300));
    window.key("ctrl+Down");
    let layout = window.wait_layout("an Unseen article open", |l| {
        (l["article"] == 41 || l["article"] == 42)
            && !l["words"].as_array().is_none_or(Vec::is_empty)
    });
    let id = layout["article"].as_i64().unwrap();
    assert!(drunvik_suggestion(&cli, id).is_none(), "suggested before");
    // The retraining key; the model is kept in the archive, the article suggested again.
    window.key("ctrl+shift+g");
    let deadline = Instant::now() + WAIT;
    let suggestion = loop {
        if let Some(s) = drunvik_suggestion(&cli, id) {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "no learned ORG suggestion of Drunvik in article {id}: model {}, annotations {}",
            cli.ok(&["model", "info"]),
            cli.ok(&["annotate", "list", &id.to_string()])
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let confidence = suggestion["attrs"]["confidence"].as_f64().unwrap();
    assert!((0.6..=1.0).contains(&confidence), "{suggestion}");
    let info: Value = serde_json::from_str(&cli.ok(&["model", "info"])).unwrap();
    assert_eq!(info["model"], "archive", "{info}");
    assert_eq!(info["training"]["spans"], 40, "{info}");
    // A click on the highlight selects the suggestion: the inspector shows its confidence.
    let layout = window.wait_layout("the suggestion drawn", |l| {
        l["article"] == id && words(l).iter().any(|w| w.2 == "Drunvik")
    });
    let words = words(&layout);
    let drunvik = word(&words, "Drunvik").3;
    window.click(within(drunvik, 0.5), "1", 1);
    let wanted = suggestion["id"].clone();
    window.wait_layout("the suggestion selected", |l| l["selected"] == wanted);
    let shot = window.screenshot();
    assert!(ink(&shot, drunvik).0 > 0.02, "the word is drawn");
}
