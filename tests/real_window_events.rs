//! The events view in a real window (ignored; `.ci/run` runs it with the other
//! `real_window` tests): the built binary under Xvfb, the view opened by Ctrl+Shift+E, a
//! click on a table row opening the claim in the reader (checked through the layout file's
//! selection against the CLI's annotation), a click on the map's circle likewise, and
//! screenshots of the table, the timeline and the map (`ANNALIST_SCREENSHOTS=dir`).

use serde_json::Value;

use crate::real_window::{Window, annotations, ink};
use crate::support::{Cli, fixtures};

/// Adds an annotation by the CLI over the first `needle` of article 1; returns its id.
fn add(cli: &Cli, text: &str, needle: &str, label: &str, attrs: &[String]) -> i64 {
    let start = text[..text.find(needle).unwrap()].chars().count();
    let (start, end) = (
        start.to_string(),
        (start + needle.chars().count()).to_string(),
    );
    let mut args = vec![
        "annotate", "add", "1", "--label", label, "--start", &start, "--end", &end, "--json",
    ];
    for attr in attrs {
        args.extend(["--attr", attr.as_str()]);
    }
    let added: Value = serde_json::from_str(&cli.ok(&args)).unwrap();
    added["id"].as_i64().unwrap()
}

/// The strikes article with Iran's and Pakistan's claims coded by hand, with coordinates.
fn strikes_with_claims(cli: &Cli) {
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let shown: Value = serde_json::from_str(&cli.ok(&["show", "1", "--json"])).unwrap();
    let text = shown["text"].as_str().unwrap().to_owned();
    let saravan = add(
        cli,
        &text,
        "Saravan",
        "LOC",
        &[
            "country_code=IR".into(),
            "lat=27.37".into(),
            "lon=62.33".into(),
        ],
    );
    let thursday = add(
        cli,
        &text,
        "Thursday's",
        "DATE",
        &["value=2024-01-18".into()],
    );
    add(
        cli,
        &text,
        "killed nine people",
        "CASUALTY",
        &[
            "count=9".into(),
            "outcome=killed".into(),
            format!("date={thursday}"),
            format!("place={saravan}"),
        ],
    );
    let balochistan = add(
        cli,
        &text,
        "Balochistan province",
        "LOC",
        &[
            "country_code=PK".into(),
            "lat=28.49".into(),
            "lon=65.09".into(),
        ],
    );
    let tuesday = add(cli, &text, "Tuesday", "DATE", &["value=2024-01-16".into()]);
    add(
        cli,
        &text,
        "killed two children",
        "CASUALTY",
        &[
            "count=2".into(),
            "outcome=killed".into(),
            "low=2".into(),
            "high=3".into(),
            format!("date={tuesday}"),
            format!("place={balochistan}"),
        ],
    );
}

fn panel(layout: &Value, name: &str) -> [f32; 4] {
    let r = &layout["events"]["panels"][name];
    let at = |i: usize| r[i].as_f64().unwrap() as f32;
    [at(0), at(1), at(2), at(3)]
}

#[test]
#[ignore = "needs Xvfb and xdotool; run by .ci/run"]
fn real_window_events_view_opens_by_its_shortcut_and_a_row_opens_the_claim() {
    let cli = Cli::new();
    strikes_with_claims(&cli);
    // The two claims become two accepted events: the view draws events.
    cli.ok(&["events", "suggest"]);
    cli.ok(&["events", "accept", "--all"]);
    let events: Vec<Value> = crate::support::json_lines(&cli.ok(&["events", "list", "--json"]));
    let window = Window::open(&cli);
    window.key("ctrl+shift+e");
    let layout = window.wait_layout("the events view with its two events", |l| {
        l["events"]["open"] == true
            && l["events"]["points"] == 2
            && l["events"]["building"] == false
            && !l["events"]["panels"]["map"].is_null()
    });
    std::thread::sleep(std::time::Duration::from_millis(1_000));
    let shot = window.screenshot();
    let (table, map) = (panel(&layout, "table"), panel(&layout, "map"));
    // The map draws the outlines over the sea: its pixels are not one colour.
    let (spread, _) = ink(&shot, map);
    assert!(spread > 0.0, "the map is blank");

    // The first row (newest first: Iran's event) sits below the headings.
    let pixels_per_point = layout["pixels_per_point"].as_f64().unwrap() as f32;
    let row = (
        (table[0] + 60.0) * pixels_per_point,
        (table[1] + 20.0 + 8.0 + 10.0 + 4.0) * pixels_per_point,
    );
    window.click(row, "1", 1);
    let opened = window.wait_layout("the reader at Iran's claim", |l| {
        l["article"] == 1 && !l["selection"].is_null()
    });
    let claims: Vec<Value> = annotations(&cli, 1)
        .into_iter()
        .filter(|a| a["label"] == "CASUALTY" && a["attrs"]["count"] == 9)
        .collect();
    let claim = &claims[0];
    assert_eq!(
        opened["selection"],
        serde_json::json!([claim["start"], claim["end"]]),
        "{opened:?}"
    );
    let event = events
        .iter()
        .find(|e| e["claims"][0]["annotation_id"] == claim["id"])
        .expect("Iran's claim is in an event");
    assert_eq!(opened["events"]["selected"], event["id"]);
    window.screenshot();
}
