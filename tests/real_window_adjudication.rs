//! Adjudication in the real window (Xvfb, xdotool; ignored, `.ci/run` runs it): two coders
//! code one article blind, each in their own window, then the adjudicator resolves every
//! disagreement by keyboard only, and `export --layer adjudicated` holds the result with
//! its provenance.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::real_window::{WAIT, Window, imported_strikes, ink, within, word, words};
use crate::support::{Cli, json_lines};

/// What `coder` accepted in their layer (learning adds suggestions of the same texts, which
/// are not their coding).
fn layer(cli: &Cli, coder: &str, article: &str) -> Vec<Value> {
    json_lines(&cli.ok(&["--coder", coder, "annotate", "list", article, "--json"]))
        .into_iter()
        .filter(|a| a["status"] == "accepted")
        .collect()
}

/// Double-clicks `text` in the window and presses `key`, then waits until `coder`'s layer
/// holds `count` spans.
fn label(
    window: &Window,
    cli: &Cli,
    coder: &str,
    article: &str,
    text: &str,
    key: &str,
    count: usize,
) {
    let layout = window.wait_layout("words", |l| {
        !l["words"].as_array().is_none_or(Vec::is_empty)
    });
    let rect = word(&words(&layout), text).3;
    // A double-click on a loaded machine can arrive as two single clicks: click again.
    let selected = (0..4).any(|_| {
        window.click(within(rect, 0.4), "1", 2);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if window.layout().is_some_and(|l| !l["selection"].is_null()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    });
    assert!(selected, "{text} could not be selected by a double-click");
    window.key(key);
    let deadline = Instant::now() + WAIT;
    while layer(cli, coder, article).len() < count {
        assert!(
            Instant::now() < deadline,
            "{coder}'s {text} was not stored: {:?}",
            layer(cli, coder, article)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// (label, text) of each span of a layer, in text order.
fn spans(list: &[Value]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|a| {
            (
                a["label"].as_str().unwrap().to_owned(),
                a["text"].as_str().unwrap().to_owned(),
                a["coder"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn wait_open(window: &Window, open: u64) -> Value {
    window.wait_layout(&format!("{open} open disagreements"), |l| {
        l["adjudication"]["open"] == open && l["adjudication"]["pending"] == false
    })
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn real_window_two_blind_coders_then_the_adjudicator_resolves_every_disagreement_by_keyboard() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    crate::coders::assign_every_article_to_ana_and_ben(&cli);
    let article = id.to_string();

    // ana codes: Iran as an organisation (2), Saravan as a place (3).
    {
        let window = Window::open_with(&cli, &[("ANNALIST_CODER", "ana")]);
        window.open_article("Balochistan", id);
        label(&window, &cli, "ana", &article, "Iran", "2", 1);
        label(&window, &cli, "ana", &article, "Saravan,", "3", 2);
    }
    // ben codes blind: ana's spans are neither listed nor drawn for him.
    {
        assert!(
            layer(&cli, "ben", &article).is_empty(),
            "blind: ben's list holds none of ana's spans"
        );
        let window = Window::open_with(&cli, &[("ANNALIST_CODER", "ben")]);
        let layout = window.open_article("Balochistan", id);
        let shown = words(&layout);
        let shot = window.screenshot();
        assert_eq!(
            ink(&shot, word(&shown, "Saravan,").3).1,
            ink(&shot, word(&shown, "nine").3).1,
            "ana's Saravan is not drawn for ben: it has the background of a plain word"
        );
        label(&window, &cli, "ben", &article, "Iran", "3", 1);
        label(&window, &cli, "ben", &article, "Saravan,", "3", 2);
        label(&window, &cli, "ben", &article, "Balochistan", "3", 3);
    }
    assert_eq!(
        spans(&layer(&cli, "ana", &article)),
        [
            ("ORG".to_owned(), "Iran".to_owned(), "ana".to_owned()),
            ("LOC".to_owned(), "Saravan".to_owned(), "ana".to_owned()),
        ],
        "blind: ana's list holds only her own spans"
    );

    // cara adjudicates, by keyboard only: the article, Ctrl+J, g, a, 2.
    let window = Window::open_with(&cli, &[("ANNALIST_CODER", "cara")]);
    window.open_article("Balochistan", id);
    window.key("ctrl+j");
    let opened = wait_open(&window, 2);
    assert_eq!(
        opened["adjudication"]["unit"], 1,
        "Iran, the first disagreement"
    );
    window.screenshot();
    window.key("g");
    let deadline = Instant::now() + WAIT;
    loop {
        let units = json_lines(&cli.ok(&["adjudicate", &article, "--json"]));
        if units
            .iter()
            .any(|u| u["agreement"] == true && u["state"] == "resolved")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the agreement was not taken: {units:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    window.key("a");
    let one_left = wait_open(&window, 1);
    assert_eq!(one_left["adjudication"]["unit"], 2, "on to Balochistan");
    window.key("2");
    wait_open(&window, 0);
    window.screenshot();

    let exported = json_lines(&cli.ok(&["export", "--layer", "adjudicated", "--format", "jsonl"]));
    let annotations = exported[0]["annotations"].as_array().unwrap();
    let got: Vec<(&str, &str, Vec<&str>)> = annotations
        .iter()
        .map(|a| {
            assert_eq!(a["adjudicated"]["by"], "cara");
            assert_eq!(a["adjudicated"]["edited"], false);
            (
                a["label"].as_str().unwrap(),
                a["text"].as_str().unwrap(),
                a["adjudicated"]["from"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["coder"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ORG", "Iran", vec!["ana"]),
            ("LOC", "Balochistan", vec!["ben"]),
            ("LOC", "Saravan", vec!["ana", "ben"]),
        ]
    );
}
