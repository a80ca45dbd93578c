//! The events view on the real app (reader handle, writer thread, the events thread)
//! without a window: opened by its shortcut, its points built from the claims of the
//! current search, the table sorted by clicks on its headings, a click on a row opening the
//! article at the claim, a click on a timeline bar filtering the table.

use annalist::app::AnnalistApp;
use annalist::model::{ArticleId, EventStatus};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::gui_support::{harness_at, settle};
use crate::support::{Cli, fixtures, json_lines};

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
    let added: serde_json::Value = serde_json::from_str(&cli.ok(&args)).unwrap();
    added["id"].as_i64().unwrap()
}

/// The strikes article with its two claims coded by hand: Iran's (nine killed near Saravan
/// on 2024-01-18, with coordinates) and Pakistan's (two children on 2024-01-16 in
/// Balochistan). Returns the archive and the two claims' spans.
fn strikes_archive() -> (Cli, [(usize, usize); 2]) {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["show", "1", "--json"])).unwrap();
    let text = shown["text"].as_str().unwrap().to_owned();
    let saravan = add(
        &cli,
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
        &cli,
        &text,
        "Thursday's",
        "DATE",
        &["value=2024-01-18".into(), "precision=day".into()],
    );
    add(
        &cli,
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
        &cli,
        &text,
        "Balochistan province",
        "LOC",
        &["country_code=PK".into()],
    );
    let tuesday = add(
        &cli,
        &text,
        "Tuesday",
        "DATE",
        &["value=2024-01-16".into(), "precision=day".into()],
    );
    add(
        &cli,
        &text,
        "killed two children",
        "CASUALTY",
        &[
            "count=2".into(),
            "outcome=killed".into(),
            format!("date={tuesday}"),
            format!("place={balochistan}"),
        ],
    );
    let span = |needle: &str| {
        let start = text[..text.find(needle).unwrap()].chars().count();
        (start, start + needle.chars().count())
    };
    (
        cli,
        [span("killed nine people"), span("killed two children")],
    )
}

/// The harness with the events view opened by its shortcut and its points built.
fn events_open(cli: &Cli) -> Harness<'static, AnnalistApp> {
    let mut harness = harness_at(&cli.archive(), egui::vec2(1400.0, 900.0));
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::E,
    );
    settle(&mut harness);
    assert!(
        harness.state().state.events.open,
        "Ctrl+Shift+E did not open the view"
    );
    harness
}

/// The titles of the table's rows, top to bottom, as the accessibility tree has them.
fn rows_top_down(harness: &Harness<'static, AnnalistApp>, titles: &[&str]) -> Vec<String> {
    let mut found: Vec<(f32, String)> = titles
        .iter()
        .filter_map(|title| {
            harness
                .query_by_label(title)
                .map(|node| (node.rect().min.y, (*title).to_owned()))
        })
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found.into_iter().map(|(_, title)| title).collect()
}

/// What a mouse sends for a click at `pos`: a move, a press, a release, a frame between.
fn click_at(harness: &mut Harness<'static, AnnalistApp>, pos: egui::Pos2) {
    harness.event(egui::Event::PointerMoved(pos));
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
}

const IRAN: &str = "9 killed · Saravan, IR";
const PAKISTAN: &str = "2 killed · Balochistan province, PK";

#[test]
fn the_events_table_sorts_by_its_headings_and_a_row_opens_the_claim_in_the_reader() {
    let (cli, [iran_span, _]) = strikes_archive();
    // The two claims become two accepted events: the view draws events, each with its
    // claims as evidence.
    assert!(
        cli.ok(&["events", "suggest"])
            .contains("2 suggested events")
    );
    cli.ok(&["events", "accept", "--all"]);
    let mut harness = events_open(&cli);
    let points = std::sync::Arc::clone(&harness.state().state.events.points);
    let titles: Vec<&str> = points.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, vec![IRAN, PAKISTAN], "{points:?}");
    let listed = cli.ok(&["events", "list", "--json"]);
    for point in points.iter() {
        assert!(
            listed.contains(&format!("\"id\":{}", point.id)),
            "point {} is no event of `events list`: {listed}",
            point.id
        );
    }
    let iran = &points[0];
    assert_eq!(
        iran.date_start.map(|d| d.to_string()).as_deref(),
        Some("2024-01-18")
    );
    assert_eq!((iran.lon, iran.lat), (Some(62.33), Some(27.37)));
    assert_eq!(iran.best, Some(9));

    // Sorted by date, newest first, by default: Iran's claim (the 18th) on top.
    assert_eq!(
        rows_top_down(&harness, &[IRAN, PAKISTAN]),
        vec![IRAN, PAKISTAN]
    );
    harness.get_by_label("date ↓").click();
    harness.run();
    assert_eq!(
        rows_top_down(&harness, &[IRAN, PAKISTAN]),
        vec![PAKISTAN, IRAN]
    );
    // "best" sorts by deaths, most first; again, fewest first.
    harness.get_by_label("best").click();
    harness.run();
    assert_eq!(
        rows_top_down(&harness, &[IRAN, PAKISTAN]),
        vec![IRAN, PAKISTAN]
    );
    harness.get_by_label("best ↓").click();
    harness.run();
    assert_eq!(
        rows_top_down(&harness, &[IRAN, PAKISTAN]),
        vec![PAKISTAN, IRAN]
    );

    // A click on Iran's row opens the article with the claim selected and in view.
    harness.get_by_label(IRAN).click();
    settle(&mut harness);
    let app = harness.state();
    let reader = app.state.reader.as_ref().expect("the reader did not open");
    assert_eq!(reader.article.id, ArticleId(1));
    assert_eq!(reader.selection, Some(iran_span));
    assert_eq!(app.state.events.selected, Some(iran.id));
}

#[test]
fn the_search_restricts_the_events_and_a_bar_filters_the_table() {
    // Claims in no event yet are points of their own.
    let (cli, _) = strikes_archive();
    cli.ok(&[
        "import",
        fixtures().join("news/market.txt").to_str().unwrap(),
    ]);
    let mut harness = events_open(&cli);
    assert_eq!(harness.state().state.events.points.len(), 2);

    // A search that the strikes article does not match leaves no events.
    harness.state_mut().state.search.query = "zzzunmatched".to_owned();
    harness
        .state_mut()
        .push(annalist::app::command::Command::Search);
    settle(&mut harness);
    assert_eq!(
        harness.state().state.events.query.as_deref(),
        Some(harness.state().state.search.effective_query.as_str())
    );
    assert!(harness.state().state.events.points.is_empty());

    // Back to every article; by day, a click on the 16th's bar keeps Pakistan's claim only.
    harness.state_mut().state.search.query = String::new();
    harness
        .state_mut()
        .push(annalist::app::command::Command::Search);
    settle(&mut harness);
    assert_eq!(harness.state().state.events.points.len(), 2);
    harness.get_by_label("day").click();
    harness.run();
    assert_eq!(
        rows_top_down(&harness, &[IRAN, PAKISTAN]),
        vec![IRAN, PAKISTAN]
    );
    let plot = harness
        .state()
        .view_cache
        .events
        .panels
        .iter()
        .find(|(n, _)| *n == "timeline")
        .map(|(_, r)| *r)
        .unwrap();
    // The bars span the plot's width from the 16th to the 18th: the first is at the left.
    let left_bar = egui::pos2(plot.left() + plot.width() * 0.12, plot.bottom() - 40.0);
    click_at(&mut harness, left_bar);
    let picked = harness
        .state()
        .state
        .events
        .picked_bin
        .map(|d| d.to_string());
    assert_eq!(picked.as_deref(), Some("2024-01-16"));
    assert_eq!(rows_top_down(&harness, &[IRAN, PAKISTAN]), vec![PAKISTAN]);
}

/// The coder's actions in the view: suggest events from the claims, accept the picked one,
/// merge two marked with Ctrl+click, ungroup one; each lands in the store (checked through
/// the CLI) and the view shows the result.
#[test]
fn the_view_suggests_accepts_merges_and_ungroups_events() {
    let (cli, _) = strikes_archive();
    let mut harness = events_open(&cli);
    let statuses = |harness: &Harness<'static, AnnalistApp>| -> Vec<Option<EventStatus>> {
        harness
            .state()
            .state
            .events
            .points
            .iter()
            .map(|p| p.status)
            .collect()
    };
    assert_eq!(statuses(&harness), [None, None], "claims in no event yet");

    harness.get_by_label("Suggest events").click();
    settle(&mut harness);
    assert_eq!(
        statuses(&harness),
        [Some(EventStatus::Suggested), Some(EventStatus::Suggested)]
    );
    let listed = || json_lines(&cli.ok(&["events", "list", "--json"]));
    assert_eq!(listed().len(), 2);

    // Pick Iran's event and accept it.
    let iran_title = format!("{IRAN} (suggested)");
    harness.get_by_label(&iran_title).click();
    settle(&mut harness);
    harness.get_by_label("Accept").click();
    settle(&mut harness);
    let events = listed();
    let status_of = |count: i64| {
        events
            .iter()
            .find(|e| e["fields"]["deaths_best"]["value"] == count)
            .map(|e| e["status"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(status_of(9).as_deref(), Some("accepted"));
    assert_eq!(status_of(2).as_deref(), Some("suggested"));
    assert!(
        harness.query_by_label(IRAN).is_some(),
        "accepted: no (suggested) mark"
    );

    // Ctrl+click marks both; "Merge 2 marked" makes one event of them.
    harness
        .get_by_label(IRAN)
        .click_modifiers(egui::Modifiers::COMMAND);
    harness.run();
    harness
        .get_by_label(&format!("{PAKISTAN} (suggested)"))
        .click_modifiers(egui::Modifiers::COMMAND);
    harness.run();
    harness.get_by_label("Merge 2 marked").click();
    settle(&mut harness);
    let events = listed();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["claims"].as_array().map(Vec::len), Some(2));
    assert_eq!(harness.state().state.events.points.len(), 1);

    // Ungroup: the event goes, its two claims are points of their own again.
    let merged = harness.state().state.events.points[0].title.clone();
    harness.get_by_label(&merged).click();
    settle(&mut harness);
    harness.get_by_label("Ungroup").click();
    settle(&mut harness);
    assert!(listed().is_empty());
    assert_eq!(statuses(&harness), [None, None]);
}
