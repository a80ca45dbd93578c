//! The app's dialogs and status line driven through egui_kittest: export (missing folders,
//! replace, names that follow the format), import options, the label editor, shortcut names,
//! Quit, and the status line's messages.

use annalist::app::AnnalistApp;
use annalist::app::command::Command;
use annalist::export::ExportFormat;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use crate::gui_support::{harness_at, settle};
use crate::support::{Cli, fixtures, json_lines};

fn harness_sized(cli: &Cli, size: egui::Vec2) -> Harness<'static, AnnalistApp> {
    harness_at(&cli.archive(), size)
}

fn harness(cli: &Cli) -> Harness<'static, AnnalistApp> {
    harness_sized(cli, egui::vec2(1400.0, 900.0))
}

fn import_news(cli: &Cli) {
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
}

/// The id of the article whose title contains `needle`.
fn article_id(cli: &Cli, needle: &str) -> String {
    json_lines(&cli.ok(&["list", "--json"]))
        .into_iter()
        .find(|a| a["title"].as_str().unwrap().contains(needle))
        .unwrap()["id"]
        .to_string()
}

/// Adds an annotation over the first occurrence of `needle` through the CLI.
fn annotate(cli: &Cli, id: &str, needle: &str, label: &str, status: &str) {
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["show", id, "--json"])).unwrap();
    let text = shown["text"].as_str().unwrap();
    let start = text[..text.find(needle).unwrap()].chars().count();
    let end = start + needle.chars().count();
    cli.ok(&[
        "annotate",
        "add",
        id,
        "--label",
        label,
        "--start",
        &start.to_string(),
        "--end",
        &end.to_string(),
        "--status",
        status,
    ]);
}

fn newest_message(harness: &Harness<'static, AnnalistApp>) -> Result<String, String> {
    harness.state().state.log.last().unwrap().message.clone()
}

fn annotations_json(cli: &Cli, id: &str) -> Vec<serde_json::Value> {
    json_lines(&cli.ok(&["annotate", "list", id, "--json"]))
}

fn open_export_dialog(harness: &mut Harness<'static, AnnalistApp>, path: &std::path::Path) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    assert!(harness.state().state.dialogs.export.open);
    harness.state_mut().state.dialogs.export.path = path.display().to_string();
    harness.run();
}

fn click_export(harness: &mut Harness<'static, AnnalistApp>) {
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    settle(harness);
}

// --- Export (finding 10)

#[test]
fn export_creates_only_the_missing_folders_and_says_so() {
    let cli = Cli::new();
    import_news(&cli);
    let mut harness = harness(&cli);
    let existing = cli.dir.path().join("exports");
    std::fs::create_dir(&existing).unwrap();
    let out = existing.join("2024/january/news.jsonl");
    open_export_dialog(&mut harness, &out);
    click_export(&mut harness);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
    let said = harness
        .state()
        .state
        .log
        .iter()
        .find_map(|e| match &e.message {
            Ok(m) if m.starts_with("created") => Some(m.clone()),
            _ => None,
        });
    let created = format!(
        "created 2 missing folders for the export: {}, {}",
        existing.join("2024").display(),
        existing.join("2024/january").display()
    );
    assert_eq!(said.as_deref(), Some(created.as_str()));
    assert!(
        matches!(newest_message(&harness), Ok(m) if m.starts_with("exported 3 articles")),
        "{:?}",
        newest_message(&harness)
    );
}

#[test]
fn export_behind_a_file_is_refused_and_the_dialog_stays_open() {
    let cli = Cli::new();
    import_news(&cli);
    let mut harness = harness(&cli);
    let file = cli.dir.path().join("notes.txt");
    std::fs::write(&file, "not a folder").unwrap();
    open_export_dialog(&mut harness, &file.join("out.jsonl"));
    click_export(&mut harness);
    let dialog = &harness.state().state.dialogs.export;
    assert!(dialog.open, "the user must fix the path: the dialog stays");
    let message = dialog.message.clone().unwrap().unwrap_err();
    assert!(message.contains("a file is in the way"), "{message}");
    assert!(
        harness
            .query_by_label_contains("a file is in the way")
            .is_some(),
        "the reason is shown in the dialog"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

#[test]
fn export_over_an_existing_file_asks_first() {
    let cli = Cli::new();
    import_news(&cli);
    let mut harness = harness(&cli);
    let out = cli.dir.path().join("kept.jsonl");
    std::fs::write(&out, "earlier work\n").unwrap();
    open_export_dialog(&mut harness, &out);
    click_export(&mut harness);
    assert!(harness.state().state.dialogs.export.open);
    let question = format!("The file exists: {}. Replace it?", out.display());
    assert!(
        harness.query_by_label(&question).is_some(),
        "the dialog asks before replacing"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier work\n");
    // "Keep it" leaves the file alone and the dialog open.
    harness.get_by_label("Keep it").click();
    harness.run();
    assert!(
        harness
            .state()
            .state
            .dialogs
            .export
            .pending_replace
            .is_none()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier work\n");
    // Asked again, "Replace" replaces it.
    click_export(&mut harness);
    harness.get_by_label("Replace").click();
    settle(&mut harness);
    assert!(!harness.state().state.dialogs.export.open);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
}

#[test]
fn the_export_name_follows_the_format() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    let dir = cli.dir.path();
    open_export_dialog(&mut harness, &dir.join("annalist-export.jsonl"));
    let pick = |harness: &mut Harness<'static, AnnalistApp>, format: ExportFormat| {
        harness.get_by_label("Format").click();
        harness.run();
        harness.get_by_label(format.as_str()).click();
        harness.run();
        harness.state().state.dialogs.export.path.clone()
    };
    let name = |path: String| {
        std::path::Path::new(&path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    assert_eq!(
        name(pick(&mut harness, ExportFormat::Csv)),
        "annalist-export.csv"
    );
    assert_eq!(
        name(pick(&mut harness, ExportFormat::EventsCsv)),
        "annalist-events.csv",
        "events-csv does not take the csv export's file"
    );
    assert_eq!(
        name(pick(&mut harness, ExportFormat::Brat)),
        "annalist-brat"
    );
    // A name the user typed keeps its stem.
    harness.state_mut().state.dialogs.export.path = dir.join("strikes.csv").display().to_string();
    harness.run();
    assert_eq!(
        name(pick(&mut harness, ExportFormat::Jsonl)),
        "strikes.jsonl"
    );
    assert_eq!(name(pick(&mut harness, ExportFormat::Brat)), "strikes");
}

// --- Status line (finding 11)

#[test]
fn a_later_success_replaces_an_earlier_error() {
    let cli = Cli::new();
    import_news(&cli);
    let mut harness = harness(&cli);
    let id = article_id(&cli, "strikes");
    let article = annalist::model::ArticleId(id.parse().unwrap());
    harness.state_mut().push(Command::OpenArticle(article));
    harness.run();
    // A label key without a selection is an error…
    harness
        .state_mut()
        .push(Command::AnnotateSelectionWithShortcut('5'));
    harness.run();
    let error = "select some text first, then press a label key";
    assert_eq!(newest_message(&harness), Err(error.to_owned()));
    assert!(harness.query_by_label(error).is_some());
    // …until something works.
    harness
        .state_mut()
        .push(Command::AddLabel(annalist::model::LabelDef {
            name: "WEAPON".to_owned(),
            description: String::new(),
            color: "#112233".to_owned(),
            shortcut: None,
        }));
    harness.run();
    assert_eq!(
        newest_message(&harness),
        Ok("label WEAPON added".to_owned())
    );
    assert!(
        harness.query_by_label(error).is_none(),
        "the stale error is gone from the status line"
    );
}

#[test]
fn jobs_are_named_for_people_and_counts_are_in_the_right_number() {
    let cli = Cli::new();
    let folder = cli.dir.path().join("mixed");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixtures().join("news/strikes.txt"), folder.join("a.txt")).unwrap();
    std::fs::write(folder.join("b.txt"), [0_u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
    let mut harness = harness(&cli);
    harness.state_mut().push(Command::Import(vec![folder]));
    harness.run_steps(2);
    let import = harness.state().state.jobs.last().unwrap();
    assert_eq!(import.heading(), "Importing");
    settle(&mut harness);
    assert_eq!(
        newest_message(&harness),
        Ok("2 files: 1 imported, 0 duplicates, 1 failed".to_owned())
    );
    assert!(
        harness.query_by_label("1 detail").is_some(),
        "one failure is \"1 detail\""
    );
    harness
        .state_mut()
        .push(Command::OpenArticle(annalist::model::ArticleId(1)));
    harness.state_mut().push(Command::Suggest { all: false });
    settle(&mut harness);
    let outcome = newest_message(&harness).unwrap();
    assert!(outcome.starts_with("1 article: "), "{outcome}");
    assert_eq!(
        harness.query_all_by_label_contains("#").count(),
        0,
        "no job ids in the status line"
    );
    harness.get_by_label("History").click();
    harness.run();
    assert_eq!(harness.query_all_by_label_contains("#").count(), 0);
}

#[test]
fn learning_is_named_by_what_it_learns() {
    let cli = Cli::new();
    import_news(&cli);
    let id = article_id(&cli, "strikes");
    annotate(&cli, &id, "Saravan", "LOC", "suggested");
    let mut harness = harness(&cli);
    let article = annalist::model::ArticleId(id.parse().unwrap());
    harness.state_mut().push(Command::OpenArticle(article));
    harness.run();
    let saravan = harness.state().state.reader.as_ref().unwrap().annotations[0].id;
    harness
        .state_mut()
        .push(Command::SelectAnnotation(Some(saravan)));
    harness.state_mut().push(Command::AcceptSelected);
    harness.run_steps(1);
    let learn = harness
        .state()
        .state
        .jobs
        .iter()
        .find(|j| j.kind == annalist::app::jobs::JobKind::Learn)
        .unwrap();
    assert_eq!(learn.heading(), "Learning \u{201c}Saravan\u{201d}");
    settle(&mut harness);
    let said: Vec<String> = harness
        .state()
        .state
        .log
        .iter()
        .filter_map(|e| e.message.clone().ok())
        .collect();
    assert!(
        said.iter()
            .any(|m| m == "saved: accepted LOC \u{201c}Saravan\u{201d}"),
        "{said:?}"
    );
}

#[test]
fn a_rejection_is_said_to_be_one() {
    let cli = Cli::new();
    import_news(&cli);
    let id = article_id(&cli, "strikes");
    annotate(&cli, &id, "nine people", "CASUALTY", "suggested");
    let mut harness = harness(&cli);
    let article = annalist::model::ArticleId(id.parse().unwrap());
    harness.state_mut().push(Command::OpenArticle(article));
    harness.run();
    let suggestion = harness.state().state.reader.as_ref().unwrap().annotations[0].id;
    harness
        .state_mut()
        .push(Command::SelectAnnotation(Some(suggestion)));
    harness.state_mut().push(Command::RejectSelected);
    settle(&mut harness);
    let said = "saved: rejected suggestion CASUALTY \u{201c}nine people\u{201d}";
    assert!(
        harness
            .state()
            .state
            .log
            .iter()
            .any(|e| e.message == Ok(said.to_owned())),
        "{:?}",
        harness.state().state.log
    );
}

#[test]
fn the_status_area_stays_small_at_1024x640() {
    let cli = Cli::new();
    import_news(&cli);
    let mut harness = harness_sized(&cli, egui::vec2(1024.0, 640.0));
    // Four finished jobs and a notice: once they are done, one line shows the newest.
    for _ in 0..2 {
        harness.state_mut().push(Command::Suggest { all: true });
        settle(&mut harness);
    }
    let out = cli.dir.path().join("small.jsonl");
    harness.state_mut().push(Command::Export {
        format: ExportFormat::Jsonl,
        scope: annalist::app::command::ExportScope::All,
        include_suggestions: false,
        labels: Vec::new(),
        path: out,
    });
    settle(&mut harness);
    harness.state_mut().push(Command::Reindex);
    settle(&mut harness);
    let central = harness
        .get_by_label("Pick an article on the left to read and annotate it.")
        .rect();
    let status_height = 640.0 - central.max.y;
    let line = harness.ctx.global_style().spacing.interact_size.y;
    assert!(
        status_height <= 2.0 * line + 16.0,
        "the status area is {status_height} px high ({} % of the window)",
        status_height / 6.4
    );
    // The history is one click away.
    harness.get_by_label("History").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("indexed 3 articles")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("exported 3 articles")
            .is_some()
    );
}

// --- Shortcuts and Quit (finding 12)

#[test]
fn shortcuts_read_as_printed_on_the_keys_and_quit_is_listed() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    harness.key_press(egui::Key::F1);
    harness.run();
    assert!(harness.state().state.dialogs.shortcuts_open);
    assert!(harness.query_by_label("]").is_some(), "Next annotation: ]");
    assert!(
        harness.query_by_label("[").is_some(),
        "Previous annotation: ["
    );
    assert!(harness.query_by_label("Ctrl+↓").is_some());
    assert!(harness.query_by_label_contains("Bracket").is_none());
    assert!(harness.query_by_label("Ctrl+Q").is_some());
    assert!(harness.query_by_label("Quit").is_some());
}

fn close_was_sent(harness: &Harness<'static, AnnalistApp>) -> bool {
    harness
        .output()
        .viewport_output
        .values()
        .any(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

#[test]
fn file_quit_and_ctrl_q_close_the_window() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    assert!(!close_was_sent(&harness));
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Quit Ctrl+Q")
        .click();
    harness.run_steps(2);
    assert!(close_was_sent(&harness), "File > Quit closes the window");
    // The window closed: its app lets the archive go before the next one opens it.
    drop(harness);

    let mut harness = self::harness(&cli);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(2);
    assert!(close_was_sent(&harness), "Ctrl+Q closes the window");
}

// --- The label editor (finding 13)

#[test]
fn renaming_a_label_says_what_it_relabels_and_relabels_it() {
    let cli = Cli::new();
    import_news(&cli);
    let id = article_id(&cli, "strikes");
    // Suggested, so that nothing is learned elsewhere.
    annotate(&cli, &id, "Saravan", "LOC", "suggested");
    let mut harness = harness(&cli);
    harness.state_mut().push(Command::ShowLabelEditor);
    harness.run();
    let change = harness.get_all_by_label("Change…").nth(2).unwrap();
    change.hover();
    change.click();
    harness.run();
    let draft = harness.state().state.dialogs.label_edit.clone().unwrap();
    assert_eq!(draft.original.name, "LOC", "the third row is LOC");
    harness
        .state_mut()
        .state
        .dialogs
        .label_edit
        .as_mut()
        .unwrap()
        .name = "PLACE".to_owned();
    harness.run();
    assert!(
        harness
            .query_by_label("Rename LOC to PLACE: 1 annotation will be relabelled.")
            .is_some(),
        "the rename says what it touches before it happens"
    );
    harness.get_by_role_and_label(Role::Button, "Save").click();
    settle(&mut harness);
    let labels: Vec<String> = harness
        .state()
        .state
        .labels
        .labels
        .iter()
        .map(|l| l.name.clone())
        .collect();
    assert_eq!(labels, ["PER", "ORG", "PLACE", "DATE", "CASUALTY"]);
    let stored = annotations_json(&cli, &id);
    assert_eq!(stored[0]["label"], "PLACE");
    // The index followed.
    harness.state_mut().state.search.query = "label:PLACE".to_owned();
    harness.state_mut().push(Command::Search);
    harness.run();
    assert_eq!(harness.state().state.search.total, 1);
    // Undo renames it back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(annotations_json(&cli, &id)[0]["label"], "LOC");
    assert!(harness.state().state.labels.find("LOC").is_some());
}

#[test]
fn deleting_a_label_says_what_goes_asks_and_can_be_undone() {
    let cli = Cli::new();
    import_news(&cli);
    let id = article_id(&cli, "strikes");
    annotate(&cli, &id, "Saravan", "LOC", "suggested");
    annotate(&cli, &id, "Iran", "LOC", "suggested");
    let mut harness = harness(&cli);
    harness.state_mut().push(Command::ShowLabelEditor);
    harness
        .state_mut()
        .push(Command::EditLabel("LOC".to_owned()));
    harness.run();
    harness.get_by_label("Delete…").click();
    harness.run();
    assert!(
        harness
            .query_by_label("Delete LOC: 2 annotations in 1 article will be removed.")
            .is_some(),
        "the consequence is said before it happens"
    );
    assert_eq!(annotations_json(&cli, &id).len(), 2, "nothing happened yet");
    harness
        .get_by_label("Delete LOC and its annotations")
        .click();
    settle(&mut harness);
    assert!(harness.state().state.labels.find("LOC").is_none());
    assert!(annotations_json(&cli, &id).is_empty());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert!(harness.state().state.labels.find("LOC").is_some());
    let back = annotations_json(&cli, &id);
    assert_eq!(back.len(), 2, "undo puts the annotations back");
    assert_eq!(
        harness.state().state.labels.labels[2].name,
        "LOC",
        "in its old place"
    );
}

#[test]
fn recolour_rekey_and_describe_a_label_but_never_share_a_key() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    harness.state_mut().push(Command::ShowLabelEditor);
    harness
        .state_mut()
        .push(Command::EditLabel("ORG".to_owned()));
    harness.run();
    {
        let draft = harness
            .state_mut()
            .state
            .dialogs
            .label_edit
            .as_mut()
            .unwrap();
        draft.key = "3".to_owned();
    }
    harness.run();
    assert!(
        harness
            .query_by_label("key 3 already labels LOC: choose another key")
            .is_some()
    );
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "Save")
            .accesskit_node()
            .is_disabled(),
        "a shared key cannot be saved"
    );
    {
        let draft = harness
            .state_mut()
            .state
            .dialogs
            .label_edit
            .as_mut()
            .unwrap();
        draft.key = "o".to_owned();
        draft.description = "Armed group or ministry".to_owned();
        draft.color = egui::Color32::from_rgb(0x12, 0x34, 0x56);
    }
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Save").click();
    settle(&mut harness);
    let org = harness.state().state.labels.find("ORG").cloned().unwrap();
    assert_eq!(org.shortcut, Some('o'));
    assert_eq!(org.color, "#123456");
    assert_eq!(org.description, "Armed group or ministry");
    // The service refuses a shared key too (the CLI goes through it).
    let per = harness.state().state.labels.find("PER").cloned().unwrap();
    harness.state_mut().push(Command::SaveLabel {
        name: "PER".to_owned(),
        label: annalist::model::LabelDef {
            shortcut: Some('o'),
            ..per
        },
    });
    harness.run();
    assert!(
        matches!(newest_message(&harness), Err(e) if e.contains("key o already labels ORG")),
        "{:?}",
        newest_message(&harness)
    );
    assert_eq!(
        harness.state().state.labels.find("PER").unwrap().shortcut,
        Some('1')
    );
}

// --- The import dialog (finding 16)

#[test]
fn the_import_dialog_takes_outlet_date_and_format() {
    let cli = Cli::new();
    let conll = cli.dir.path().join("tokens.txt");
    std::fs::write(
        &conll,
        "-DOCSTART- O\n\nIran B-LOC\nstruck O\nSaravan B-LOC\n. O\n",
    )
    .unwrap();
    let mut harness = harness(&cli);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    harness.run();
    {
        let dialogs = &mut harness.state_mut().state.dialogs;
        dialogs.import_paths = conll.display().to_string();
        dialogs.import_source = "Dawn".to_owned();
        dialogs.import_published = "2024-02".to_owned();
    }
    harness.run();
    harness
        .get_by_role_and_label(Role::ComboBox, "Format")
        .click();
    harness.run();
    for offered in [
        "auto-detect from each file",
        "brat folder (.txt + .ann, annotated)",
        "doccano JSONL (annotated)",
        "Label Studio JSON (annotated)",
        "CoNLL (annotated)",
    ] {
        assert!(harness.query_by_label(offered).is_some(), "{offered}");
    }
    harness.get_by_label("CoNLL (annotated)").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    settle(&mut harness);
    let listed = json_lines(&cli.ok(&["list", "--json"]));
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["source"], "Dawn");
    assert_eq!(listed[0]["published"], "2024-02");
    let id = listed[0]["id"].to_string();
    let spans: Vec<String> = annotations_json(&cli, &id)
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                a["label"].as_str().unwrap(),
                a["text"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(spans, ["LOC Iran", "LOC Saravan"]);
}

#[test]
fn a_bad_import_date_is_said_and_blocks_the_import() {
    let cli = Cli::new();
    let mut harness = harness(&cli);
    harness.state_mut().push(Command::ShowImportDialog);
    harness.run();
    {
        let dialogs = &mut harness.state_mut().state.dialogs;
        dialogs.import_paths = fixtures().join("news/market.txt").display().to_string();
        dialogs.import_published = "last Tuesday".to_owned();
    }
    harness.run();
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "Import")
            .accesskit_node()
            .is_disabled()
    );
}
