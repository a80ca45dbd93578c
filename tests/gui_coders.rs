//! The coding team's side of the app, on the real app (reader handle, writer thread, queue
//! and agreement threads) without a window: the coder's name asked on first start and
//! stored in the settings, the queue and its done marks (checked through the CLI), and the
//! Agreement view's report and CSV (the bytes `annalist agree --csv` prints, read by
//! Python's `csv`).

use std::process::Command as Process;
use std::time::{Duration, Instant};

use annalist::app::command::Command;
use annalist::app::{AnnalistApp, Settings};
use annalist::model::ArticleId;
use serde_json::Value;

use crate::gui_support::{WAIT, app_on};
use crate::support::{Cli, fixtures, import_reports_naming_tiny, json_lines};

/// Runs `logic` until `done` holds (the queue thread answers outside `wait_for_jobs`).
fn wait_until(app: &mut AnnalistApp, what: &str, done: impl Fn(&AnnalistApp) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        app.logic();
        if done(app) {
            return;
        }
        assert!(Instant::now() < deadline, "waited in vain for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn apply(app: &mut AnnalistApp, command: Command) {
    app.push(command);
    app.logic();
}

fn team_archive(articles: usize) -> Cli {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, articles);
    crate::coders::assign_every_article_to_ana_and_ben(&cli);
    cli
}

fn queue_of(cli: &Cli, coder: &str) -> Vec<Value> {
    json_lines(&cli.ok(&["--coder", coder, "queue", "--json"]))
}

#[test]
fn first_start_asks_the_name_where_a_team_codes_and_the_app_codes_as_it() {
    // No team: nobody is asked.
    let alone = Cli::new();
    import_reports_naming_tiny(&alone, 1);
    let mut app = app_on(&alone.archive());
    app.restore(&Settings::default());
    assert_eq!(
        app.state.coders.prompt, None,
        "a single researcher is not asked"
    );
    drop(app);

    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-18",
    ]);
    crate::coders::assign_every_article_to_ana_and_ben(&cli);
    let mut app = app_on(&cli.archive());
    app.restore(&Settings::default());
    assert_eq!(app.state.coders.prompt.as_deref(), Some(""), "asked once");
    // A name the model refuses keeps the question open with the model's reason.
    apply(&mut app, Command::SetCoder("@ana".to_owned()));
    assert!(app.state.coders.prompt.is_some());
    let status = app.state.status.clone().unwrap().unwrap_err();
    assert!(status.contains("starts with '@'"), "{status}");
    apply(&mut app, Command::SetCoder(" ana ".to_owned()));
    assert_eq!(app.state.coders.prompt, None);
    assert!(
        app.state
            .coding
            .as_deref()
            .unwrap()
            .starts_with("coding as ana (blind"),
        "{:?}",
        app.state.coding
    );
    let settings = app.settings();
    assert_eq!(
        settings.coding.coder.as_deref(),
        Some("ana"),
        "stored in the settings"
    );
    assert!(settings.coding.asked);
    // What ana labels now is in her layer (the reader handle), and suggestions made for
    // her on the writer thread too.
    apply(&mut app, Command::OpenArticle(ArticleId(1)));
    apply(
        &mut app,
        Command::Annotate {
            label: "LOC".to_owned(),
            start: 0,
            end: 8,
        },
    );
    apply(&mut app, Command::Suggest { all: false });
    assert!(app.wait_for_jobs(WAIT));
    let stored = json_lines(&cli.ok(&["--coder", "ana", "annotate", "list", "1", "--json"]));
    assert!(!stored.is_empty());
    for annotation in &stored {
        assert_eq!(annotation["coder"], "ana", "{annotation}");
    }
    assert!(
        stored.iter().any(|a| a["status"] == "suggested"),
        "the writer thread suggested in ana's layer: {stored:?}"
    );
    drop(app);

    // The next start codes as ana without asking; a start whose question was dismissed is
    // not asked again either.
    let mut again = app_on(&cli.archive());
    again.restore(&settings);
    assert_eq!(again.state.coders.prompt, None);
    assert_eq!(again.settings().coding.coder.as_deref(), Some("ana"));
    drop(again);
    let mut dismissed = app_on(&cli.archive());
    dismissed.restore(&Settings::default());
    apply(&mut dismissed, Command::DismissCoderPrompt);
    assert_eq!(dismissed.state.coders.prompt, None);
    assert_eq!(dismissed.state.coding, None, "working unnamed");
    let answered = dismissed.settings();
    drop(dismissed);
    let mut later = app_on(&cli.archive());
    later.restore(&answered);
    assert_eq!(later.state.coders.prompt, None, "asked only once");
}

#[test]
fn the_coder_settings_switch_blind_mode_and_learning_and_persist() {
    let cli = team_archive(1);
    let mut app = app_on(&cli.archive());
    app.restore(&Settings::default());
    apply(&mut app, Command::ShowCoderSettings);
    let mut draft = app.state.coders.settings_window.clone().unwrap();
    draft.name = "ben".to_owned();
    draft.layers = annalist::app::state::LayerChoice::All;
    draft.learn_from_everyone = true;
    apply(&mut app, Command::SaveCoderSettings(draft.clone()));
    assert_eq!(app.state.coders.settings_window, None);
    assert_eq!(
        app.state.coding.as_deref(),
        Some("coding as ben (every coder's accepted spans are shown)")
    );
    let coding = app.settings().coding;
    assert_eq!(coding.coder.as_deref(), Some("ben"));
    assert_eq!(coding.layers, annalist::app::state::LayerChoice::All);
    assert!(coding.learn_from_everyone);
    // Blind without a name is refused, and the window stays open.
    draft.name = String::new();
    draft.layers = annalist::app::state::LayerChoice::Own;
    apply(&mut app, Command::ShowCoderSettings);
    apply(&mut app, Command::SaveCoderSettings(draft));
    assert!(app.state.coders.settings_window.is_some());
    assert!(app.state.status.clone().unwrap().is_err());
    assert_eq!(app.settings().coding.coder.as_deref(), Some("ben"));
}

#[test]
fn marking_the_open_article_done_opens_the_next_and_undo_makes_it_to_do_again() {
    let cli = team_archive(3);
    let mut app = app_on(&cli.archive());
    app.restore(&Settings::default());
    apply(&mut app, Command::SetCoder("ana".to_owned()));
    wait_until(&mut app, "the queue", |a| {
        a.state.coders.queue.items.len() == 3
    });
    assert_eq!(app.state.coders.queue.to_do(), 3);
    assert_eq!(
        app.state.coders.queue.items[0].others,
        vec!["ben".to_owned()]
    );
    apply(&mut app, Command::OpenArticle(ArticleId(2)));
    apply(&mut app, Command::MarkOpenArticleDone);
    wait_until(&mut app, "the mark", |a| a.state.coders.queue.done() == 1);
    let done: Vec<i64> = queue_of(&cli, "ana")
        .iter()
        .filter(|e| !e["done_at"].is_null())
        .map(|e| e["article_id"].as_i64().unwrap())
        .collect();
    assert_eq!(done, vec![2], "stored for ana");
    assert!(
        queue_of(&cli, "ben").iter().all(|e| e["done_at"].is_null()),
        "ben's queue is his"
    );
    assert_eq!(
        app.state.reader.as_ref().map(|r| r.article.id),
        Some(ArticleId(3)),
        "the next to do opened"
    );
    apply(&mut app, Command::UndoMarkDone);
    wait_until(&mut app, "the undo", |a| a.state.coders.queue.done() == 0);
    assert!(queue_of(&cli, "ana").iter().all(|e| e["done_at"].is_null()));
    assert_eq!(
        app.state.reader.as_ref().map(|r| r.article.id),
        Some(ArticleId(3)),
        "undo does not move the reader"
    );
}

/// Python's `csv` reads `path`: the rows as lists of cells.
fn python_csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let script = "import csv, json, sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8') as f:\n    \
                  print(json.dumps(list(csv.reader(f))))";
    let out = Process::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_agreement_view_saves_the_csv_agree_prints_and_python_reads_it() {
    let cli = crate::agreement::three_coders();
    let mut app = app_on(&cli.archive());
    apply(&mut app, Command::ShowAgreement);
    assert!(app.wait_for_jobs(WAIT));
    let view = &app.state.coders.agreement;
    assert_eq!(view.message, None);
    assert!(
        view.summary
            .starts_with("coders: ana, ben, cy · 2 articles"),
        "{}",
        view.summary
    );
    let fleiss = view
        .rows
        .iter()
        .find(|r| r.measure == "Fleiss' κ (tokens)" && r.label == "LOC")
        .unwrap();
    assert_eq!(fleiss.coders, "3 coders");
    assert!(
        fleiss.rests_on.starts_with("1 article, "),
        "{}",
        fleiss.rests_on
    );
    let count = view
        .disagreements
        .iter()
        .find(|d| d.attribute == "count")
        .unwrap()
        .clone();

    let out = cli.dir.path().join("agreement.csv");
    apply(&mut app, Command::SaveAgreementCsv(Some(out.clone())));
    assert!(app.wait_for_jobs(WAIT));
    let saved = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        saved,
        cli.ok(&["agree", "--csv"]),
        "the CSV of `annalist agree --csv`"
    );
    let rows = python_csv_rows(&out);
    assert_eq!(rows[0][0], "measure");
    assert_eq!(rows.len(), app.state.coders.agreement.rows.len() + 1);
    assert!(rows.iter().all(|r| r.len() == 11));

    // Never into the archive's own folder.
    let inside = cli.archive().join("agreement.csv");
    apply(&mut app, Command::SaveAgreementCsv(Some(inside.clone())));
    assert!(app.wait_for_jobs(WAIT));
    assert!(!inside.exists());
    let refused = app.state.log.last().unwrap().message.clone().unwrap_err();
    assert!(
        refused.contains("inside the archive's own folder"),
        "{refused}"
    );

    // A disagreement opens its article with the span selected.
    let side = &count.sides[0];
    apply(
        &mut app,
        Command::OpenArticleAt {
            article: count.article_id,
            start: side.start,
            end: side.end,
        },
    );
    let reader = app.state.reader.as_ref().unwrap();
    assert_eq!(reader.article.id, count.article_id);
    assert_eq!(reader.selection, Some((side.start, side.end)));

    // The filters: one label, two coders.
    let view = &mut app.state.coders.agreement;
    view.label = Some("LOC".to_owned());
    for (coder, ticked) in &mut view.coders {
        *ticked = coder != "cy";
    }
    apply(&mut app, Command::ComputeAgreement);
    assert!(app.wait_for_jobs(WAIT));
    let view = &app.state.coders.agreement;
    assert!(
        view.summary.starts_with("coders: ana, ben ·"),
        "{}",
        view.summary
    );
    assert!(!view.rows.is_empty());
    // The span figures are LOC's only (the values' rows list every attribute compared).
    let spans: Vec<_> = view
        .rows
        .iter()
        .filter(|r| r.measure != "α (values)")
        .collect();
    assert!(!spans.is_empty());
    assert!(spans.iter().all(|r| r.label == "LOC"), "{spans:?}");
    assert!(view.rows.iter().all(|r| !r.coders.contains("cy")));
}

#[test]
fn the_name_question_takes_typing_at_once_and_enter_confirms_it() {
    let cli = team_archive(1);
    let app = app_on(&cli.archive());
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_ui_state(
            |ui, app: &mut AnnalistApp| {
                if ui.ctx().cumulative_frame_nr() == 0 {
                    annalist::ui::install_fonts(ui.ctx());
                }
                app.logic();
                app.draw(ui);
            },
            app,
        );
    harness.state_mut().restore(&Settings::default());
    harness.run_steps(5);
    assert!(harness.state().state.coders.prompt.is_some());
    harness.event(egui::Event::Text("@".to_owned()));
    harness.run_steps(3);
    assert_eq!(harness.state().state.coders.prompt.as_deref(), Some("@"));
    harness.key_press(egui::Key::Backspace);
    harness.event(egui::Event::Text("ben".to_owned()));
    harness.run_steps(3);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(5);
    assert_eq!(harness.state().state.coders.prompt, None);
    assert_eq!(
        harness.state().settings().coding.coder.as_deref(),
        Some("ben")
    );
}
