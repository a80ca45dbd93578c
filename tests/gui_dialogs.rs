//! The app's dialogs and status line driven through egui_kittest: export (missing folders,
//! replace, names that follow the format), import options, the label editor, shortcut names,
//! Quit, and the status line's messages.

use std::sync::Arc;
use std::time::Duration;

use annalist::app::AnnalistApp;
use annalist::app::state::ThemeChoice;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use crate::support::Cli;

const WAIT: Duration = Duration::from_secs(60);

fn harness_sized(cli: &Cli, size: egui::Vec2) -> Harness<'static, AnnalistApp> {
    let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(|| {});
    let mut app = AnnalistApp::new(&cli.archive(), ThemeChoice::Light, repaint).unwrap();
    assert!(app.wait_for_jobs(WAIT), "the archive did not open");
    let mut harness = Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut AnnalistApp| {
            if ui.ctx().cumulative_frame_nr() == 0 {
                annalist::ui::install_fonts(ui.ctx());
            }
            app.logic();
            app.draw(ui);
        },
        app,
    );
    harness.run();
    harness
}

fn harness(cli: &Cli) -> Harness<'static, AnnalistApp> {
    harness_sized(cli, egui::vec2(1400.0, 900.0))
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

    let mut harness = self::harness(&cli);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(2);
    assert!(close_was_sent(&harness), "Ctrl+Q closes the window");
}
