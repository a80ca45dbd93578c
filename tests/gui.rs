//! The desktop app driven through egui_kittest: no GPU, no display. Each test starts the
//! real app (reader handle, writer thread) on a temporary archive.

use annalist::app::AnnalistApp;
use annalist::app::command::Command;
use annalist::model::{AnnotationId, AnnotationStatus, ArticleId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use crate::gui_support::{harness_at, settle};
use crate::support::{Cli, fixtures, json_lines};

fn harness(cli: &Cli) -> Harness<'static, AnnalistApp> {
    harness_at(&cli.archive(), egui::vec2(1400.0, 900.0))
}

fn imported(cli: &Cli) -> Harness<'static, AnnalistApp> {
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    harness(cli)
}

fn type_query(harness: &mut Harness<'static, AnnalistApp>, query: &str) {
    harness.state_mut().state.search.query = query.to_owned();
    harness.state_mut().push(Command::Search);
    harness.run();
}

/// Code point range of the first `needle` in the open article.
fn span_of(harness: &Harness<'static, AnnalistApp>, needle: &str) -> (usize, usize) {
    let reader = harness
        .state()
        .state
        .reader
        .as_ref()
        .expect("an article is open");
    let text = &reader.article.text;
    let start = text[..text.find(needle).expect("needle in the text")]
        .chars()
        .count();
    (start, start + needle.chars().count())
}

/// Where code point `at` is drawn now, from the reader's layout of the last frame.
fn point_of(harness: &Harness<'static, AnnalistApp>, at: usize, fraction: f32) -> egui::Pos2 {
    let drawn = harness
        .state()
        .view_cache
        .reader
        .drawn
        .as_ref()
        .expect("the reader drew its text");
    let (chars, rect) = drawn
        .words
        .iter()
        .find(|(chars, _)| chars.contains(&at))
        .unwrap_or_else(|| panic!("code point {at} is not in a visible word"));
    // Left to right words: the code point's share of the word's width.
    let share = (at - chars.start) as f32 + fraction;
    let x = rect.left() + rect.width() * share / chars.len() as f32;
    egui::pos2(x, rect.center().y)
}

/// What a mouse sends: a move, then a button press or release at the pointer.
fn mouse(harness: &mut Harness<'static, AnnalistApp>, pos: egui::Pos2, pressed: Option<bool>) {
    harness.event(egui::Event::PointerMoved(pos));
    if let Some(pressed) = pressed {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.step();
}

/// Drags the mouse from `from` to `to` in small moves, as a hand does.
fn mouse_drag(harness: &mut Harness<'static, AnnalistApp>, from: egui::Pos2, to: egui::Pos2) {
    mouse(harness, from, None);
    mouse(harness, from, Some(true));
    for k in 1..=5 {
        mouse(harness, from + (to - from) * (k as f32 / 5.0), None);
    }
    mouse(harness, to, Some(false));
    harness.run();
}

/// A key as a real keyboard sends it: the key press, the text it types, the release.
fn press_key(harness: &mut Harness<'static, AnnalistApp>, key: egui::Key, text: &str) {
    let key_event = |pressed| egui::Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    harness.event(key_event(true));
    if !text.is_empty() {
        harness.event(egui::Event::Text(text.to_owned()));
    }
    harness.event(key_event(false));
    harness.run();
}

/// Selects `needle` in the reader with a mouse drag from the middle of its first code
/// point to the middle of its last.
fn select_in_reader(harness: &mut Harness<'static, AnnalistApp>, needle: &str) -> (usize, usize) {
    harness.run();
    let (start, end) = span_of(harness, needle);
    let from = point_of(harness, start, 0.5);
    let to = point_of(harness, end - 1, 0.5);
    mouse_drag(harness, from, to);
    (start, end)
}

#[test]
fn search_and_open_a_hit() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    assert_eq!(
        harness.state().state.search.total,
        3,
        "an empty query lists every article"
    );
    type_query(&mut harness, "\"Balochistan Liberation\"");
    assert_eq!(harness.state().state.search.total, 1);
    harness
        .get_by_label("Pakistan and Iran trade cross-border strikes")
        .click();
    harness.run();
    let reader = harness
        .state()
        .state
        .reader
        .as_ref()
        .expect("the article opened");
    assert_eq!(
        reader.article.title,
        "Pakistan and Iran trade cross-border strikes"
    );
    // The filters narrow the same search: no article has a CASUALTY annotation yet.
    harness.state_mut().state.search.label = Some("CASUALTY".to_owned());
    harness.state_mut().push(Command::Search);
    harness.run();
    assert_eq!(harness.state().state.search.total, 0);
}

/// Part of `annotate_with_a_shortcut_edit_undo_redo_and_delete`: the count typed into the
/// inspector, the claimant through a command.
fn edit_count_and_claimant(
    harness: &mut Harness<'static, AnnalistApp>,
    cli: &Cli,
    id: ArticleId,
    annotation_id: AnnotationId,
) {
    let listed = |cli: &Cli| cli.ok(&["annotate", "list", &id.to_string(), "--json"]);
    // Edit the casualty count by typing into the inspector's field; it saves on leaving it.
    let count = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "count");
    count.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "count")
        .type_text("12");
    harness.run();
    harness.key_press(egui::Key::Tab);
    settle(harness);
    assert!(
        listed(cli).contains("\"count\":12"),
        "typed count saved: {}",
        listed(cli)
    );
    harness.state_mut().push(Command::UpdateAnnotation {
        id: annotation_id,
        label: "CASUALTY".to_owned(),
        attrs: serde_json::json!({"count": 9, "outcome": "killed", "claimed_by": "Iran"})
            .as_object()
            .unwrap()
            .clone(),
        status: AnnotationStatus::Accepted,
    });
    settle(harness);
    assert!(
        listed(cli).contains("\"claimed_by\":\"Iran\""),
        "{}",
        listed(cli)
    );
}

/// Part of `annotate_with_a_shortcut_edit_undo_redo_and_delete`: undo and redo.
fn undo_three_edits_and_redo_them(
    harness: &mut Harness<'static, AnnalistApp>,
    cli: &Cli,
    id: ArticleId,
    annotation_id: AnnotationId,
) {
    let listed = |cli: &Cli| cli.ok(&["annotate", "list", &id.to_string(), "--json"]);
    // Undo the two attribute edits, then the annotation; redo all three.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(harness);
    assert!(listed(cli).contains("Iranian officials"), "{}", listed(cli));
    assert!(listed(cli).contains("\"count\":12"), "{}", listed(cli));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(harness);
    assert!(listed(cli).contains("\"count\":9"), "{}", listed(cli));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(harness);
    assert_eq!(listed(cli), "");
    for _ in 0..3 {
        harness.key_press_modifiers(
            egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
            egui::Key::Z,
        );
        harness.run();
    }
    settle(harness);
    assert!(
        listed(cli).contains("\"claimed_by\":\"Iran\""),
        "{}",
        listed(cli)
    );
    assert!(
        listed(cli).contains(&format!("\"id\":{annotation_id}")),
        "redo restores the same id"
    );
}

#[test]
fn annotate_with_a_shortcut_edit_undo_redo_and_delete() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    type_query(&mut harness, "Saravan Thursday");
    let search = &harness.state().state.search;
    assert_eq!(
        search.total, 1,
        "{:?} {:?}",
        search.error, search.effective_query
    );
    let id = search.hit(0).unwrap().id;
    harness.state_mut().push(Command::OpenArticle(id));
    harness.run();

    // A sloppy selection snaps to whole words; key 5 is CASUALTY.
    let (start, end) = select_in_reader(&mut harness, "ine peop");
    assert_eq!(
        harness.state().state.reader.as_ref().unwrap().selection,
        Some((start - 1, end + 2))
    );
    press_key(&mut harness, egui::Key::Num5, "5");
    settle(&mut harness);
    let stored = cli.ok(&["annotate", "list", &id.to_string(), "--json"]);
    let stored: serde_json::Value = serde_json::from_str(stored.trim()).unwrap();
    assert_eq!(stored["label"], "CASUALTY");
    assert_eq!(stored["text"], "nine people");
    let annotation_id = harness
        .state()
        .state
        .reader
        .as_ref()
        .unwrap()
        .selected
        .unwrap();

    // Labelled by hand, the figure already has what the suggester reads in it.
    let listed = |cli: &Cli| cli.ok(&["annotate", "list", &id.to_string(), "--json"]);
    let first = listed(&cli);
    assert!(
        first.contains("\"count\":9")
            && first.contains("\"outcome\":\"killed\"")
            && first.contains("\"claimed_by\":\"Iranian officials\""),
        "prefilled: {first}"
    );

    edit_count_and_claimant(&mut harness, &cli, id, annotation_id);
    undo_three_edits_and_redo_them(&mut harness, &cli, id, annotation_id);

    // The index followed: label:CASUALTY now finds the article.
    type_query(&mut harness, "label:CASUALTY");
    assert_eq!(harness.state().state.search.total, 1);

    // Delete from the inspector.
    harness
        .state_mut()
        .push(Command::SelectAnnotation(Some(annotation_id)));
    harness.run();
    harness.get_by_label("Delete (Del)").click();
    settle(&mut harness);
    assert_eq!(listed(&cli), "");
}

#[test]
fn casualty_fields_in_the_inspector_save_as_they_change() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    type_query(&mut harness, "Saravan Thursday");
    let search = &harness.state().state.search;
    assert_eq!(
        search.total, 1,
        "{:?} {:?}",
        search.error, search.effective_query
    );
    let id = search.hit(0).unwrap().id;
    harness.state_mut().push(Command::OpenArticle(id));
    harness.run();
    select_in_reader(&mut harness, "nine people");
    press_key(&mut harness, egui::Key::Num5, "5");
    settle(&mut harness);
    // Choose "killed" in the outcome box.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "outcome")
        .click();
    harness.run();
    harness.get_by_label("killed").click();
    settle(&mut harness);
    let listed = cli.ok(&["annotate", "list", &id.to_string(), "--json"]);
    assert!(listed.contains("\"outcome\":\"killed\""), "{listed}");
}

#[test]
fn import_a_folder_with_progress_then_export() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    assert_eq!(harness.state().state.article_count, 0);
    harness
        .state_mut()
        .push(Command::Import(vec![fixtures().join("news")]));
    harness.run_steps(2);
    let job = harness.state().state.jobs.last().unwrap();
    assert_eq!(job.kind, annalist::app::jobs::JobKind::Import);
    settle(&mut harness);
    let job = harness.state().state.jobs.last().unwrap();
    assert_eq!(
        job.outcome,
        Some(Ok("3 files: 3 imported, 0 duplicates, 0 failed".to_owned()))
    );
    // Progress counts bytes of the files (a large dump moves as it streams).
    let bytes: u64 = std::fs::read_dir(fixtures().join("news"))
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum();
    assert_eq!(
        (job.done, job.total),
        (bytes, bytes),
        "progress reached the end"
    );
    assert!(
        job.message.starts_with("file 3/3, 3 new"),
        "{}",
        job.message
    );
    assert_eq!(harness.state().state.article_count, 3);
    assert_eq!(harness.state().state.search.total, 3);

    let out = cli.dir.path().join("gui-export.jsonl");
    harness.state_mut().push(Command::Export {
        format: annalist::export::ExportFormat::Jsonl,
        scope: annalist::app::command::ExportScope::All,
        include_suggestions: false,
        labels: Vec::new(),
        path: out.clone(),
    });
    settle(&mut harness);
    let job = harness.state().state.jobs.last().unwrap();
    assert!(
        matches!(&job.outcome, Some(Ok(s)) if s.starts_with("exported 3 articles")),
        "{:?}",
        job.outcome
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
}

#[test]
fn the_import_dialog_takes_typed_paths() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    harness.run();
    assert!(harness.state().state.dialogs.import_open);
    harness.state_mut().state.dialogs.import_paths =
        fixtures().join("news/market.txt").display().to_string();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Import")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().state.article_count, 1);
    assert!(!harness.state().state.dialogs.import_open);
}

#[test]
fn keyboard_review_of_suggestions_and_the_label_palette() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
    ]);
    let text: serde_json::Value = serde_json::from_str(&cli.ok(&["show", "1", "--json"])).unwrap();
    let text = text["text"].as_str().unwrap();
    let span = |needle: &str| {
        let start = text[..text.find(needle).unwrap()].chars().count();
        (
            start.to_string(),
            (start + needle.chars().count()).to_string(),
        )
    };
    for (needle, label) in [("Saravan", "LOC"), ("Davos", "LOC")] {
        let (s, e) = span(needle);
        cli.ok(&[
            "annotate",
            "add",
            "1",
            "--label",
            label,
            "--start",
            &s,
            "--end",
            &e,
            "--status",
            "suggested",
        ]);
    }
    let mut harness = harness(&cli);
    // Ctrl+Down opens the first hit; ] walks to the first annotation in text order.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::ArrowDown);
    harness.run();
    assert!(harness.state().state.reader.is_some());
    harness.key_press(egui::Key::Escape);
    harness.run();
    press_key(&mut harness, egui::Key::CloseBracket, "]");
    let reader = harness.state().state.reader.as_ref().unwrap();
    let first = reader
        .annotations
        .iter()
        .find(|a| Some(a.id) == reader.selected)
        .unwrap();
    assert_eq!(first.text, "Saravan");
    // Enter accepts, Backspace on the next suggestion rejects it.
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    press_key(&mut harness, egui::Key::CloseBracket, "]");
    harness.key_press(egui::Key::Backspace);
    settle(&mut harness);
    let listed = cli.ok(&["annotate", "list", "1", "--json"]);
    assert!(
        listed.contains("\"text\":\"Saravan\"") && listed.contains("\"status\":\"accepted\""),
        "{listed}"
    );
    // The rejection is kept (so suggesting again will not bring it back) and hidden.
    assert!(
        listed
            .lines()
            .any(|l| l.contains("\"text\":\"Davos\"") && l.contains("\"status\":\"rejected\"")),
        "{listed}"
    );
    let reader = harness.state().state.reader.as_ref().unwrap();
    assert!(!reader.annotations.iter().any(|a| a.text == "Davos"));

    // With a selection, a click on a palette chip labels it.
    select_in_reader(&mut harness, "Jaish al-Adl");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "2 ORG (0)")
        .click();
    settle(&mut harness);
    let listed = cli.ok(&["annotate", "list", "1", "--json"]);
    assert!(
        listed.contains("\"text\":\"Jaish al-Adl\"") && listed.contains("\"label\":\"ORG\""),
        "{listed}"
    );
}

#[test]
fn the_export_dialog_offers_every_format_and_label_filters() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let id = cli.ok(&["list", "--json"]);
    let first: serde_json::Value = serde_json::from_str(id.lines().next().unwrap()).unwrap();
    let id = first["id"].to_string();
    let text: serde_json::Value = serde_json::from_str(&cli.ok(&["show", &id, "--json"])).unwrap();
    let text = text["text"].as_str().unwrap().to_owned();
    // One PER and one LOC span on the first article (its first two words).
    let words: Vec<(usize, usize)> = {
        let mut spans = Vec::new();
        let mut start = None;
        for (i, c) in text.chars().chain([' ']).enumerate() {
            match (c.is_alphabetic(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        spans
    };
    for ((start, end), label) in words.iter().zip(["PER", "LOC"]) {
        cli.ok(&[
            "annotate",
            "add",
            &id,
            "--label",
            label,
            "--start",
            &start.to_string(),
            "--end",
            &end.to_string(),
        ]);
    }
    // The app is the archive's writer while it runs: annotate before opening it.
    let mut harness = harness(&cli);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    assert!(harness.state().state.dialogs.export.open);
    harness.get_by_label("Format").click();
    harness.run();
    for format in annalist::export::ExportFormat::ALL {
        assert!(
            harness.query_by_label(format.as_str()).is_some(),
            "{format} is offered"
        );
    }
    harness.get_by_label("brat").click();
    harness.run();
    let path = harness.state().state.dialogs.export.path.clone();
    assert!(path.ends_with("annalist-brat"), "{path}");
    let out = cli.dir.path().join("brat-export");
    harness.state_mut().state.dialogs.export.path = out.display().to_string();
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, "PER")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    settle(&mut harness);
    let job = harness.state().state.jobs.last().unwrap();
    assert!(
        matches!(&job.outcome, Some(Ok(s)) if s.contains("1 annotation as brat")),
        "{:?}",
        job.outcome
    );
    let ann = std::fs::read_to_string(out.join(format!("{id}.ann"))).unwrap();
    assert!(ann.contains("\tLOC ") && !ann.contains("\tPER "), "{ann}");
    assert!(out.join("manifest.json").is_file());
}

#[test]
fn suggestions_accepted_by_label_undo_together_and_teach() {
    let cli = Cli::new();
    cli.import_texts([
        (
            "a.txt".to_owned(),
            "Strike near Saravan\n\nA drone hit Saravan and Mirjaveh on Monday.",
        ),
        (
            "b.txt".to_owned(),
            "Border closed\n\nTraders in Saravan waited at the crossing.",
        ),
    ]);
    let rows = json_lines(&cli.ok(&["list", "--json"]));
    let id_of = |title: &str| {
        rows.iter()
            .find(|r| r["title"] == title)
            .and_then(|r| r["id"].as_i64())
            .unwrap()
    };
    let (a, b) = (id_of("Strike near Saravan"), id_of("Border closed"));
    let text: serde_json::Value =
        serde_json::from_str(&cli.ok(&["show", &a.to_string(), "--json"])).unwrap();
    let text = text["text"].as_str().unwrap().to_owned();
    for needle in ["Saravan and", "Mirjaveh"] {
        let word = needle.split(' ').next().unwrap();
        let start = text[..text.find(needle).unwrap()].chars().count();
        cli.ok(&[
            "annotate",
            "add",
            &a.to_string(),
            "--label",
            "LOC",
            "--start",
            &start.to_string(),
            "--end",
            &(start + word.chars().count()).to_string(),
            "--status",
            "suggested",
        ]);
    }
    let mut harness = harness(&cli);
    harness
        .state_mut()
        .push(Command::OpenArticle(annalist::model::ArticleId(a)));
    harness.run();
    // Suggestions in the reader by annotator.
    let suggested = |harness: &Harness<'static, AnnalistApp>, by: &str| {
        harness
            .state()
            .state
            .reader
            .as_ref()
            .unwrap()
            .annotations
            .iter()
            .filter(|x| x.status == AnnotationStatus::Suggested && x.annotator == by)
            .count()
    };
    assert_eq!(suggested(&harness, "tester"), 2);
    harness.get_by_label("Accept all").click();
    settle(&mut harness);
    assert_eq!(suggested(&harness, "tester"), 0);
    // The title's "Saravan" was learned from the accepted one.
    assert_eq!(suggested(&harness, annalist::suggest::LEARNED_ANNOTATOR), 1);
    // Accepting taught the archive: the other article's "Saravan" is now a suggested LOC.
    let learn = harness
        .state()
        .state
        .jobs
        .iter()
        .filter(|j| j.kind == annalist::app::jobs::JobKind::Learn)
        .count();
    assert_eq!(learn, 2, "one learning job per accepted text");
    let other = cli.ok(&["annotate", "list", &b.to_string(), "--json"]);
    assert!(
        other.contains("\"text\":\"Saravan\"") && other.contains("\"status\":\"suggested\""),
        "{other}"
    );
    // One undo puts both back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(suggested(&harness, "tester"), 2);

    // Ctrl+G suggests for the open article in the background.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    settle(&mut harness);
    let job = harness.state().state.jobs.last().unwrap();
    assert_eq!(job.kind, annalist::app::jobs::JobKind::Suggest);
    assert!(
        matches!(&job.outcome, Some(Ok(s)) if s.starts_with("1 article")),
        "{:?}",
        job.outcome
    );
}

/// A right-click as a mouse sends it: move, secondary press, secondary release.
fn right_click(harness: &mut Harness<'static, AnnalistApp>, pos: egui::Pos2) {
    harness.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
}

#[test]
fn a_right_click_keeps_the_selection_and_its_menu_labels_it() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    type_query(&mut harness, "Jaish");
    let id = harness.state().state.search.hit(0).unwrap().id;
    harness.state_mut().push(Command::OpenArticle(id));
    harness.run();
    let (start, end) = select_in_reader(&mut harness, "Jaish al-Adl");
    let selection = || (start, end);
    assert_eq!(
        harness.state().state.reader.as_ref().unwrap().selection,
        Some(selection())
    );
    let inside = point_of(&harness, start + 2, 0.5);
    right_click(&mut harness, inside);
    assert_eq!(
        harness.state().state.reader.as_ref().unwrap().selection,
        Some(selection()),
        "the secondary press left the selection alone"
    );
    let menu = &harness
        .state()
        .view_cache
        .reader
        .drawn
        .as_ref()
        .unwrap()
        .menu;
    assert!(menu.iter().any(|(label, _)| label == "ORG"), "{menu:?}");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "2  ORG")
        .click();
    settle(&mut harness);
    let listed = cli.ok(&["annotate", "list", &id.to_string(), "--json"]);
    assert!(
        listed.contains("\"text\":\"Jaish al-Adl\"") && listed.contains("\"label\":\"ORG\""),
        "{listed}"
    );
}

#[test]
fn a_double_click_selects_the_word_and_ctrl_f_finds_in_the_article() {
    let cli = Cli::new();
    let mut harness = imported(&cli);
    type_query(&mut harness, "Jaish");
    let id = harness.state().state.search.hit(0).unwrap().id;
    harness.state_mut().push(Command::OpenArticle(id));
    harness.run();
    let (start, end) = span_of(&harness, "Balochistan");
    let at = point_of(&harness, start + 3, 0.5);
    for _ in 0..2 {
        mouse(&mut harness, at, Some(true));
        mouse(&mut harness, at, Some(false));
    }
    harness.run();
    assert_eq!(
        harness.state().state.reader.as_ref().unwrap().selection,
        Some((start, end))
    );
    // Escape clears it; a label key then does nothing and says so in no annotation.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(
        harness.state().state.reader.as_ref().unwrap().selection,
        None
    );
    // Ctrl+F opens the find bar with the focus in it: typing does not label anything.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    assert!(
        harness
            .state()
            .state
            .reader
            .as_ref()
            .unwrap()
            .find
            .is_some()
    );
    harness.event(egui::Event::Text("Liberation".to_owned()));
    harness.run();
    let find = harness
        .state()
        .state
        .reader
        .as_ref()
        .unwrap()
        .find
        .clone()
        .unwrap();
    assert_eq!(find.query, "Liberation");
    assert!(
        harness.query_by_label("1 of 2").is_some(),
        "two matches counted"
    );
    assert_eq!(cli.ok(&["annotate", "list", &id.to_string(), "--json"]), "");
}

#[test]
fn a_right_click_on_a_highlight_selects_it_and_its_menu_accepts_it() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-18",
    ]);
    cli.ok(&["suggest", "--all"]);
    let mut harness = harness(&cli);
    harness
        .state_mut()
        .push(Command::OpenArticle(annalist::model::ArticleId(1)));
    harness.run();
    let (start, _) = span_of(&harness, "nine people");
    let at = point_of(&harness, start + 1, 0.5);
    right_click(&mut harness, at);
    let reader = harness.state().state.reader.as_ref().unwrap();
    let selected = reader
        .annotations
        .iter()
        .find(|a| Some(a.id) == reader.selected)
        .expect("the highlight under the pointer is selected");
    assert_eq!(selected.text, "nine people");
    // The inspector has an Accept button too; the menu's is the one drawn last.
    harness
        .query_all_by_role_and_label(egui::accesskit::Role::Button, "Accept (Enter)")
        .last()
        .expect("the menu offers Accept")
        .click();
    settle(&mut harness);
    let listed = cli.ok(&["annotate", "list", "1", "--json"]);
    assert!(
        listed.lines().any(
            |l| l.contains("\"text\":\"nine people\"") && l.contains("\"status\":\"accepted\"")
        ),
        "{listed}"
    );
}
