//! Findings of the real-window review (issue 12) that the app's logic decides, driven
//! through egui_kittest and the CLI: labelling over a suggestion, links to suggestions,
//! the list keeping its place, undoing what an acceptance taught, the demo archive, the
//! export summary, the session after a restart, and queries being typed.

use annalist::app::command::Command;
use annalist::app::state::{StateFilter, ThemeChoice};
use annalist::app::{AnnalistApp, Settings};
use annalist::model::{Annotation, AnnotationStatus, ArticleId, SortOrder};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use crate::gui_support::{harness_at, settle};
use crate::support::{Cli, fixtures, json_lines};

fn harness_on(dir: &std::path::Path) -> Harness<'static, AnnalistApp> {
    harness_at(dir, egui::vec2(1400.0, 900.0))
}

fn imported(cli: &Cli) -> Harness<'static, AnnalistApp> {
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    harness_on(&cli.archive())
}

fn push(harness: &mut Harness<'static, AnnalistApp>, command: Command) {
    harness.state_mut().push(command);
    settle(harness);
}

fn article_id(cli: &Cli, title: &str) -> ArticleId {
    let rows = json_lines(&cli.ok(&["list", "--json"]));
    let id = rows
        .iter()
        .find(|r| r["title"] == title)
        .and_then(|r| r["id"].as_i64())
        .unwrap();
    ArticleId(id)
}

const STRIKES: &str = "Pakistan and Iran trade cross-border strikes";

/// The strikes article open, with the suggester's proposals.
fn strikes_suggested(cli: &Cli) -> Harness<'static, AnnalistApp> {
    let mut harness = imported(cli);
    let id = article_id(cli, STRIKES);
    push(&mut harness, Command::OpenArticle(id));
    push(&mut harness, Command::Suggest { all: false });
    harness
}

fn annotations(harness: &Harness<'static, AnnalistApp>) -> Vec<Annotation> {
    harness
        .state()
        .state
        .reader
        .as_ref()
        .unwrap()
        .annotations
        .clone()
}

fn find(harness: &Harness<'static, AnnalistApp>, text: &str, label: &str) -> Annotation {
    annotations(harness)
        .into_iter()
        .find(|a| a.text == text && a.label == label)
        .unwrap_or_else(|| panic!("no {label} {text:?} in {:#?}", annotations(harness)))
}

// --- Finding 4: labelling over a suggestion

#[test]
fn labelling_a_suggested_span_with_its_label_accepts_the_suggestion() {
    let cli = Cli::new();
    let mut harness = strikes_suggested(&cli);
    let suggestion = find(&harness, "nine people", "CASUALTY");
    assert_eq!(suggestion.status, AnnotationStatus::Suggested);
    assert_eq!(suggestion.attrs["count"], 9);
    let before = annotations(&harness).len();

    push(
        &mut harness,
        Command::Annotate {
            label: "CASUALTY".to_owned(),
            start: suggestion.span.start(),
            end: suggestion.span.end(),
        },
    );
    let after = annotations(&harness);
    assert_eq!(
        after.len(),
        before,
        "no second annotation beside the suggestion"
    );
    let accepted = find(&harness, "nine people", "CASUALTY");
    assert_eq!(accepted.id, suggestion.id);
    assert_eq!(accepted.status, AnnotationStatus::Accepted);
    assert_eq!(
        accepted.attrs["count"], 9,
        "the suggestion's attributes stay"
    );
    assert_eq!(accepted.attrs["outcome"], "killed");

    // One undo step restores the suggestion.
    push(&mut harness, Command::Undo);
    let restored = find(&harness, "nine people", "CASUALTY");
    assert_eq!(restored.status, AnnotationStatus::Suggested);
    assert_eq!(restored.attrs, suggestion.attrs);
    assert_eq!(annotations(&harness).len(), before);
}

#[test]
fn labelling_a_suggested_span_with_another_label_replaces_the_suggestion() {
    let cli = Cli::new();
    let mut harness = strikes_suggested(&cli);
    let suggestion = annotations(&harness)
        .into_iter()
        .find(|a| {
            a.label == "LOC" && a.status == AnnotationStatus::Suggested && !a.attrs.is_empty()
        })
        .expect("a suggested place with attributes");
    let before = annotations(&harness).len();
    push(
        &mut harness,
        Command::Annotate {
            label: "ORG".to_owned(),
            start: suggestion.span.start(),
            end: suggestion.span.end(),
        },
    );
    let same_span: Vec<Annotation> = annotations(&harness)
        .into_iter()
        .filter(|a| a.span == suggestion.span)
        .collect();
    assert_eq!(same_span.len(), 1, "{same_span:#?}");
    // Accepting it as ORG teaches the other occurrences (learned suggestions); nothing else
    // was added.
    let not_learned = |harness: &Harness<'static, AnnalistApp>| {
        annotations(harness)
            .into_iter()
            .filter(|a| a.annotator != annalist::suggest::LEARNED_ANNOTATOR)
            .count()
    };
    let replaced = same_span.first().unwrap();
    assert_eq!(replaced.id, suggestion.id);
    assert_eq!(replaced.label, "ORG");
    assert_eq!(replaced.status, AnnotationStatus::Accepted);
    assert!(
        replaced.attrs.is_empty(),
        "the place's attributes went with its label: {:?}",
        replaced.attrs
    );
    assert_eq!(not_learned(&harness), before);

    push(&mut harness, Command::Undo);
    assert_eq!(
        annotations(&harness).len(),
        before,
        "and undo takes those back"
    );
    let restored = annotations(&harness)
        .into_iter()
        .find(|a| a.id == suggestion.id)
        .unwrap();
    assert_eq!(restored.label, "LOC");
    assert_eq!(restored.status, AnnotationStatus::Suggested);
    assert_eq!(restored.attrs, suggestion.attrs);
}

#[test]
fn cli_annotate_add_over_a_suggestion_accepts_it_instead_of_duplicating() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let id = article_id(&cli, STRIKES).0.to_string();
    cli.ok(&["suggest", &id]);
    let list = || json_lines(&cli.ok(&["annotate", "list", &id, "--json"]));
    let before = list();
    let nine = before
        .iter()
        .find(|a| a["text"] == "nine people" && a["label"] == "CASUALTY")
        .unwrap()
        .clone();
    assert_eq!(nine["status"], "suggested");
    let (start, end) = (nine["start"].to_string(), nine["end"].to_string());
    cli.ok(&[
        "annotate", "add", &id, "--label", "CASUALTY", "--start", &start, "--end", &end,
    ]);
    let after = list();
    assert_eq!(after.len(), before.len(), "no twin annotation");
    let accepted = after.iter().find(|a| a["id"] == nine["id"]).unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["attrs"]["count"], 9);
}

// --- Finding 5: a claim's links to suggestions, and the link pickers

#[test]
fn accepting_a_claim_accepts_the_suggested_date_and_place_it_links_to() {
    let cli = Cli::new();
    let mut harness = strikes_suggested(&cli);
    let claim = find(&harness, "nine people", "CASUALTY");
    let date_id = claim.attrs["date"].as_i64().expect("linked to a date");
    let place_id = claim.attrs["place"].as_i64().expect("linked to a place");
    let status_of = |harness: &Harness<'static, AnnalistApp>, id: i64| {
        annotations(harness)
            .into_iter()
            .find(|a| a.id.0 == id)
            .unwrap()
            .status
    };
    assert_eq!(status_of(&harness, date_id), AnnotationStatus::Suggested);

    // The inspector says what happens to a link to a suggestion, and where it points.
    push(&mut harness, Command::SelectAnnotation(Some(claim.id)));
    harness.run();
    let hints = |harness: &Harness<'static, AnnalistApp>| {
        harness
            .query_all_by_label("suggested: accepting this claim accepts it too")
            .count()
    };
    assert_eq!(
        hints(&harness),
        2,
        "the inspector hints at the suggested date and place"
    );
    // The date picker's entries say where each Thursday is, not an id.
    harness.get_by_label("date").click();
    harness.run();
    let entries: Vec<String> = harness
        .query_all_by_label_contains("Thursday")
        .map(|n| format!("{n:?}"))
        .collect();
    assert!(
        entries.iter().any(|e| e.contains(" · line 3 · "))
            && entries.iter().any(|e| e.contains(" · line 5 · ")),
        "{entries:#?}"
    );
    assert_eq!(harness.query_all_by_label_contains("Thursday #").count(), 0);
    // Escape closes the list (and clears the selection).
    harness.key_press(egui::Key::Escape);
    harness.run();
    push(&mut harness, Command::SelectAnnotation(Some(claim.id)));

    push(&mut harness, Command::AcceptSelected);
    assert_eq!(status_of(&harness, claim.id.0), AnnotationStatus::Accepted);
    assert_eq!(status_of(&harness, date_id), AnnotationStatus::Accepted);
    assert_eq!(status_of(&harness, place_id), AnnotationStatus::Accepted);
    assert_eq!(hints(&harness), 0);

    // The events table carries the date and the place.
    let out = cli.dir.path().join("events.csv");
    harness.state_mut().push(Command::Export {
        format: annalist::export::ExportFormat::EventsCsv,
        scope: annalist::app::command::ExportScope::All,
        include_suggestions: false,
        labels: Vec::new(),
        path: out.clone(),
    });
    settle(&mut harness);
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    let column = |name: &str| {
        let at = header.iter().position(|h| h == name).unwrap();
        rows[0].get(at).unwrap_or_default().to_owned()
    };
    assert_eq!(column("quote"), "nine people");
    assert!(column("date_text").starts_with("Thursday"), "{csv}");
    assert_eq!(column("date_value"), "2024-01-18");
    assert_eq!(column("date_precision"), "day");
    assert!(!column("place_text").is_empty(), "{csv}");

    // One undo takes the claim and its date and place back to suggestions.
    push(&mut harness, Command::Undo);
    for id in [claim.id.0, date_id, place_id] {
        assert_eq!(status_of(&harness, id), AnnotationStatus::Suggested);
    }
}

// --- Finding 11: the events-csv summary counts rows

#[test]
fn the_events_csv_summary_counts_the_rows_it_wrote() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let id = article_id(&cli, STRIKES).0.to_string();
    cli.ok(&["suggest", &id]);
    // Accept every suggestion: claims plus their dates and places.
    let all = json_lines(&cli.ok(&["annotate", "list", &id, "--json"]));
    let claims = all.iter().filter(|a| a["label"] == "CASUALTY").count();
    assert!(claims >= 2 && all.len() > claims);
    for a in &all {
        let (start, end) = (a["start"].to_string(), a["end"].to_string());
        let label = a["label"].as_str().unwrap();
        cli.ok(&[
            "annotate", "add", &id, "--label", label, "--start", &start, "--end", &end,
        ]);
    }
    let out = cli.dir.path().join("events.csv");
    let run = cli.run(&[
        "export",
        "--format",
        "events-csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let rows = std::fs::read_to_string(&out).unwrap().lines().count() - 1;
    assert_eq!(rows, claims);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "exported {rows} events rows (one per CASUALTY claim) from 3 articles"
        )),
        "{stderr}"
    );
}

// --- Finding 7: the list keeps its place

#[test]
fn next_article_goes_on_from_where_the_edited_article_was() {
    let cli = Cli::new();
    // Sixty articles: more than a page of hits.
    let texts: Vec<String> = (0..60)
        .map(|i| format!("Report {i:02}\n\nA report from Saravan, number {i}."))
        .collect();
    cli.import_texts(
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| (format!("{i:02}.txt"), text.as_str())),
    );
    let mut harness = harness_on(&cli.archive());
    // Work through what is not annotated yet: each edit takes the open article out of the
    // list.
    harness.state_mut().state.search.state = Some(StateFilter::Unannotated);
    push(&mut harness, Command::Search);
    assert_eq!(harness.state().state.search.total, 60);
    let mut order = Vec::new();
    for row in 0..60 {
        if harness.state().state.search.hit(row).is_none() {
            push(&mut harness, Command::LoadHitsPage(row / 50));
        }
        order.push(harness.state().state.search.hit(row).unwrap().id);
    }
    // Start in the middle of the first page, go on across the page boundary.
    push(&mut harness, Command::OpenArticle(order[20]));
    for expected in &order[20..60] {
        let open = harness.state().state.reader.as_ref().unwrap().article.id;
        assert_eq!(open, *expected, "stepping kept the list's order");
        // DATE: not learned, so no suggestion elsewhere changes the list as well.
        push(
            &mut harness,
            Command::Annotate {
                label: "DATE".to_owned(),
                start: 0,
                end: 6,
            },
        );
        push(&mut harness, Command::NextArticle);
    }
    assert_eq!(harness.state().state.search.total, 20);
    // And back: the previous one of the last is the last one still in the list.
    push(&mut harness, Command::OpenArticle(order[10]));
    push(
        &mut harness,
        Command::Annotate {
            label: "DATE".to_owned(),
            start: 0,
            end: 6,
        },
    );
    push(&mut harness, Command::PreviousArticle);
    assert_eq!(
        harness.state().state.reader.as_ref().unwrap().article.id,
        order[9]
    );
}

// --- Finding 19: undo takes back what an acceptance taught

#[test]
fn undoing_an_annotation_takes_back_the_suggestions_it_taught() {
    let cli = Cli::new();
    cli.import_texts([
        (
            "a.txt".to_owned(),
            "Strike near Mirjaveh\n\nA drone hit Saravan on Monday.",
        ),
        (
            "b.txt".to_owned(),
            "Border closed\n\nTraders in Saravan waited at the crossing.",
        ),
    ]);
    let a = article_id(&cli, "Strike near Mirjaveh");
    let b = article_id(&cli, "Border closed");
    let b_text = "Border closed\n\nTraders in Saravan waited at the crossing.";
    // A suggestion that was there before: it must survive the undo.
    cli.ok(&[
        "annotate",
        "add",
        &b.0.to_string(),
        "--label",
        "LOC",
        "--start",
        "0",
        "--end",
        "6",
        "--status",
        "suggested",
    ]);
    let learned_in_b = |cli: &Cli| {
        json_lines(&cli.ok(&["annotate", "list", &b.0.to_string(), "--json"]))
            .into_iter()
            .filter(|x| x["annotator"] == annalist::suggest::LEARNED_ANNOTATOR)
            .count()
    };
    let in_b = |cli: &Cli| json_lines(&cli.ok(&["annotate", "list", &b.0.to_string(), "--json"]));
    assert!(b_text.contains("Saravan"));

    let mut harness = harness_on(&cli.archive());
    push(&mut harness, Command::OpenArticle(a));
    let text = harness
        .state()
        .state
        .reader
        .as_ref()
        .unwrap()
        .article
        .text
        .clone();
    let start = text[..text.find("Saravan").unwrap()].chars().count();
    push(
        &mut harness,
        Command::Annotate {
            label: "LOC".to_owned(),
            start,
            end: start + 7,
        },
    );
    assert_eq!(learned_in_b(&cli), 1, "{:#?}", in_b(&cli));

    push(&mut harness, Command::Undo);
    assert_eq!(learned_in_b(&cli), 0, "{:#?}", in_b(&cli));
    let left = in_b(&cli);
    assert_eq!(left.len(), 1, "the older suggestion stays: {left:#?}");
    assert_eq!(left[0]["text"], "Border");
    assert!(annotations(&harness).is_empty());
    let status = harness.state().state.status.clone();
    assert!(
        matches!(&status, Some(Ok(s)) if s.contains("the 1 suggestion it taught")),
        "{status:?}"
    );

    // Redo teaches again.
    push(&mut harness, Command::Redo);
    assert_eq!(learned_in_b(&cli), 1);
}

#[test]
fn withdrawing_learned_suggestions_spares_the_reviewed_ones() {
    let cli = Cli::new();
    cli.import_texts([
        ("a.txt".to_owned(), "One\n\nSaravan was hit."),
        ("b.txt".to_owned(), "Two\n\nIn Saravan, calm."),
        ("c.txt".to_owned(), "Three\n\nSaravan again."),
    ]);
    let a = article_id(&cli, "One");
    let mut archive = annalist::service::Archive::open(&cli.archive()).unwrap();
    archive
        .annotate(
            a,
            annalist::service::manual_annotation(
                "LOC",
                annalist::model::CharSpan::ordered(5, 12).unwrap(),
                Default::default(),
                "tester",
            ),
        )
        .unwrap();
    let created = archive
        .learn_from("Saravan", annalist::service::LearnScope::Bounded)
        .unwrap()
        .created;
    assert_eq!(created.len(), 2, "{created:#?}");
    let reviewed = &created[0];
    archive
        .update_annotation(
            reviewed.id,
            "LOC",
            reviewed.attrs.clone(),
            AnnotationStatus::Accepted,
        )
        .unwrap();
    assert_eq!(archive.withdraw_learned(&created).unwrap(), 1);
    let still = archive.annotations(reviewed.article_id).unwrap();
    assert!(still.iter().any(|x| x.id == reviewed.id), "reviewed stays");
    let other = &created[1];
    assert!(
        !archive
            .annotations(other.article_id)
            .unwrap()
            .iter()
            .any(|x| x.id == other.id)
    );
}

// --- Finding 8: the demo archive says so

#[test]
fn the_demo_archive_says_so_and_offers_an_archive_of_ones_own() {
    let cli = Cli::new();
    let demo = cli.dir.path().join("demo");
    drop(annalist::service::open_demo(&demo).unwrap());
    let mut harness = harness_on(&demo);
    assert!(harness.state().state.is_demo);
    assert!(
        harness
            .query_by_label_contains("This is the demo archive")
            .is_some()
    );
    harness.get_by_label("Create your own archive…").click();
    // One frame takes the click; the command is applied without drawing the dialog (whose
    // folder field is not this test's concern).
    harness.step();
    harness.state_mut().logic();
    let dialogs = &harness.state().state.dialogs;
    assert!(dialogs.archive_open, "the archive dialog opened");
    assert_ne!(
        std::path::Path::new(&dialogs.archive_path),
        demo.as_path(),
        "it offers another folder than the demo"
    );
    harness.state_mut().state.dialogs.archive_open = false;
    push(&mut harness, Command::ShowImportDialog);
    assert!(
        harness
            .query_by_label_contains("Importing into the demo archive")
            .is_some()
    );
    push(&mut harness, Command::Escape);
    push(&mut harness, Command::ShowExportDialog);
    assert!(
        harness
            .query_by_label_contains("Exporting from the demo archive")
            .is_some()
    );

    // An archive of one's own shows none of it.
    let own = Cli::new();
    let harness = imported(&own);
    assert!(!harness.state().state.is_demo);
    assert!(harness.query_by_label_contains("demo archive").is_none());
}

// --- Finding 17: a restart picks up the work; empty results name the filters

#[test]
fn a_restart_restores_the_search_and_the_open_article() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    let strikes = article_id(&cli, STRIKES);
    {
        let search = &mut harness.state_mut().state.search;
        search.query = "Iran".to_owned();
        search.order = SortOrder::OldestFirst;
        search.state = Some(StateFilter::Unannotated);
        search.from = "2024".to_owned();
    }
    push(&mut harness, Command::Search);
    push(&mut harness, Command::OpenArticle(strikes));
    let settings: Settings = harness.state().settings();
    drop(harness);
    // Settings travel through eframe's storage, serialised; older ones without a session
    // still load.
    let stored = serde_json::to_string(&settings).unwrap();
    let settings: Settings = serde_json::from_str(&stored).unwrap();
    let old: Settings = serde_json::from_str(r#"{"last_archive":null,"theme":"Dark"}"#).unwrap();
    assert_eq!((old.theme, old.session), (ThemeChoice::Dark, None));

    let mut harness = harness_on(&cli.archive());
    harness.state_mut().restore(&settings);
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.search.query, "Iran");
    assert_eq!(state.search.order, SortOrder::OldestFirst);
    assert_eq!(state.search.state, Some(StateFilter::Unannotated));
    assert_eq!(state.search.from, "2024");
    assert!(state.search.total >= 1);
    assert_eq!(state.reader.as_ref().unwrap().article.id, strikes);
    drop(harness);

    // Another archive does not take this one's session.
    let other = Cli::new();
    let mut harness = imported(&other);
    harness.state_mut().restore(&settings);
    harness.run();
    assert_eq!(harness.state().state.search.query, "");
    assert!(harness.state().state.reader.is_none());

    // An article that is gone is quietly not opened.
    let mut gone = settings.clone();
    if let Some(session) = gone.session.as_mut() {
        session.archive = other.archive();
        session.open_article = Some(ArticleId(999));
    }
    harness.state_mut().restore(&gone);
    harness.run();
    assert!(harness.state().state.reader.is_none());
    assert_eq!(harness.state().state.search.query, "Iran");
    assert!(
        !matches!(harness.state().state.status, Some(Err(_))),
        "{:?}",
        harness.state().state.status
    );
}

#[test]
fn an_empty_result_names_the_active_filters_and_clears_them() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    harness.state_mut().state.search.label = Some("CASUALTY".to_owned());
    push(&mut harness, Command::Search);
    assert_eq!(harness.state().state.search.total, 0);
    assert!(
        harness
            .query_by_label_contains("Nothing found with the filters: label CASUALTY")
            .is_some()
    );
    harness.get_by_label("Clear filters").click();
    settle(&mut harness);
    assert_eq!(harness.state().state.search.label, None);
    assert_eq!(harness.state().state.search.total, 3);
    assert!(harness.query_by_label("Clear filters").is_none());
}

// --- Finding 18: a query being typed

fn type_into_search(harness: &mut Harness<'static, AnnalistApp>, typed: &str) {
    harness.state_mut().push(Command::FocusSearch);
    harness.run();
    for c in typed.chars() {
        harness.event(egui::Event::Text(c.to_string()));
        harness.run();
    }
    settle(harness);
}

#[test]
fn an_unclosed_phrase_searches_as_if_closed_with_a_calm_hint() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    type_into_search(&mut harness, "\"Balochistan Liberation");
    let search = &harness.state().state.search;
    assert_eq!(search.query, "\"Balochistan Liberation");
    assert_eq!(search.error, None, "no parser error while typing a phrase");
    assert_eq!(search.total, 1, "searched as the closed phrase");
    assert_eq!(search.unfinished, Some("phrase not closed yet"));
    assert!(harness.query_by_label("phrase not closed yet").is_some());
    type_into_search(&mut harness, "\"");
    let search = &harness.state().state.search;
    assert_eq!((search.total, search.unfinished), (1, None));
    assert!(harness.query_by_label("phrase not closed yet").is_none());

    // A real mistake gets a short message in words, not the parser's.
    harness.state_mut().state.search.query = "nine) people".to_owned();
    push(&mut harness, Command::Search);
    let error = harness
        .state()
        .state
        .search
        .error
        .clone()
        .unwrap_or_default();
    assert!(
        !error.contains("Syntax Error") && !error.contains("(in '"),
        "{error}"
    );
    if !error.is_empty() {
        assert!(error.contains("parentheses"), "{error}");
    }
}

// --- Issue 13, item 17: learning a text found in more than 1,000 articles waits for a yes

#[test]
fn a_text_in_many_articles_is_learned_only_after_the_user_says_so() {
    let cli = Cli::new();
    crate::support::import_reports_naming_tiny(&cli, 1_001);
    let learned_in = |article: &str| {
        json_lines(&cli.ok(&["annotate", "list", article, "--json"]))
            .into_iter()
            .filter(|x| x["annotator"] == annalist::suggest::LEARNED_ANNOTATOR)
            .count()
    };

    let mut harness = harness_on(&cli.archive());
    push(&mut harness, Command::OpenArticle(ArticleId(1)));
    push(
        &mut harness,
        Command::Annotate {
            label: "PER".to_owned(),
            start: 10,
            end: 14,
        },
    );
    let question =
        "\u{201c}Tiny\u{201d} occurs in 1001 articles. Suggest it as PER in all of them?";
    harness.get_by_label(question);
    assert_eq!(learned_in("2"), 0, "nothing before the user says yes");

    harness.get_by_label("Suggest everywhere").click();
    settle(&mut harness);
    assert!(harness.query_by_label(question).is_none());
    assert_eq!(learned_in("2"), 1);
    assert_eq!(learned_in("1001"), 1);

    // Undoing the acceptance takes back what the confirmed learning stored.
    push(&mut harness, Command::Undo);
    assert_eq!(learned_in("2"), 0);
    assert_eq!(learned_in("1001"), 0);
}

// --- Issue 13, item 11 in the app: a row another tool damaged is named, not silently hidden

#[test]
fn the_app_says_which_row_it_could_not_read() {
    let cli = Cli::new();
    cli.import_texts([(
        "a.txt".to_owned(),
        "Strike near Saravan\n\nA drone hit Saravan on Monday.",
    )]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "12", "--end", "19",
    ]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "33", "--end", "40",
    ]);
    let db = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    db.execute("UPDATE annotations SET attrs = 'not json' WHERE id = 2", [])
        .unwrap();
    drop(db);

    let mut harness = harness_on(&cli.archive());
    push(&mut harness, Command::OpenArticle(ArticleId(1)));
    let shown: Vec<String> = annotations(&harness)
        .iter()
        .map(|a| a.text.clone())
        .collect();
    assert_eq!(shown, ["Saravan"], "the readable one is shown");
    let status = harness.state().state.status.clone();
    assert!(
        matches!(&status, Some(Err(s)) if s.contains("annotation 2") && s.contains("damaged")),
        "{status:?}"
    );
}
