//! The coder's views: the first-start question for the coder's name (a modal: Enter
//! confirms, Escape goes on unnamed), the coder settings window (name, layers shown,
//! learning from everyone) and the Coding menu.

use crate::app::command::Command;
use crate::app::state::{AppState, CoderSettingsDraft, LayerChoice};
use crate::model::Coder;

use super::{menu_item, theme};

/// The Coding menu of the menu bar.
pub(super) fn coding_menu_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.menu_button("Coding", |ui| {
        menu_item(ui, "Coder settings…", Command::ShowCoderSettings, commands);
        ui.separator();
        menu_item(ui, "My queue", Command::ToggleQueue, commands);
        let in_queue = state
            .reader
            .as_ref()
            .is_some_and(|r| state.coders.queue.state_of(r.article.id) == Some(false));
        ui.add_enabled_ui(in_queue, |ui| {
            menu_item(
                ui,
                "Mark article done",
                Command::MarkOpenArticleDone,
                commands,
            );
        });
        ui.add_enabled_ui(state.coders.queue.last_done.is_some(), |ui| {
            menu_item(ui, "Undo mark done", Command::UndoMarkDone, commands);
        });
        ui.separator();
        menu_item(ui, "Agreement…", Command::ShowAgreement, commands);
    });
}

/// The name as typed, checked as the model checks it: the error text when refused.
fn name_error(name: &str) -> Option<String> {
    Coder::new(name).err()
}

/// The first-start question, while it is open.
pub(super) fn coder_prompt_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    commands: &mut Vec<Command>,
) -> Option<egui::Rect> {
    let error_color = theme::error_color(state.theme);
    let name = state.coders.prompt.as_mut()?;
    if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        commands.push(Command::DismissCoderPrompt);
        return None;
    }
    let shown = egui::Window::new("Who is coding?")
        .id(egui::Id::unique("coder-prompt"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.label(
                "Articles of this archive are assigned to coders. Type your name: what you \
             annotate goes in your own layer, and your queue shows your articles.",
            );
            let field = ui.add(
                egui::TextEdit::singleline(name)
                    .id_salt("coder-name")
                    .hint_text("your name")
                    .desired_width(380.0),
            );
            // The field takes the keys at once: focused the first frame the question shows.
            let focused_once = egui::Id::unique("coder-prompt-focused");
            if !ui.data(|d| d.get_temp::<bool>(focused_once).unwrap_or(false)) {
                field.request_focus();
                ui.data_mut(|d| d.insert_temp(focused_once, true));
            }
            let error = (!name.trim().is_empty())
                .then(|| name_error(name))
                .flatten();
            if let Some(error) = &error {
                ui.colored_label(error_color, error);
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let valid = error.is_none() && !name.trim().is_empty();
                let confirm = ui.add_enabled(valid, egui::Button::new("Code as this name (Enter)"));
                if valid && (confirm.clicked() || entered) {
                    commands.push(Command::SetCoder(name.trim().to_owned()));
                }
                if ui.button("Not now (Escape)").clicked() {
                    commands.push(Command::DismissCoderPrompt);
                }
            });
            ui.weak(
                "Coding > Coder settings… changes the name later; ANNALIST_CODER overrides it.",
            );
        });
    shown.map(|s| s.response.rect)
}

/// The coder settings window, while it is open.
pub(super) fn coder_settings_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    commands: &mut Vec<Command>,
) {
    let error_color = theme::error_color(state.theme);
    let from_environment = state.coders.from_environment.clone();
    let Some(draft) = &mut state.coders.settings_window else {
        return;
    };
    let mut open = true;
    egui::Window::new("Coder settings")
        .open(&mut open)
        .collapsible(false)
        .default_width(440.0)
        .show(ctx, |ui| {
            coder_settings_contents(
                ui,
                draft,
                from_environment.as_deref(),
                error_color,
                commands,
            )
        });
    if !open {
        state.coders.settings_window = None;
    }
}

fn coder_settings_contents(
    ui: &mut egui::Ui,
    draft: &mut CoderSettingsDraft,
    from_environment: Option<&str>,
    error_color: egui::Color32,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label("Your name");
        ui.add(
            egui::TextEdit::singleline(&mut draft.name)
                .id_salt("coder-settings-name")
                .hint_text("no coder")
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    });
    let error = (!draft.name.trim().is_empty())
        .then(|| name_error(&draft.name))
        .flatten();
    if let Some(error) = &error {
        ui.colored_label(error_color, error);
    }
    if let Some(name) = from_environment {
        ui.weak(format!(
            "ANNALIST_CODER names you {name}: it overrides this name while it is set."
        ));
    }
    ui.separator();
    ui.label("Show");
    for choice in [LayerChoice::Auto, LayerChoice::Own, LayerChoice::All] {
        ui.radio_value(&mut draft.layers, choice, choice.describe());
    }
    ui.checkbox(
        &mut draft.learn_from_everyone,
        "Learn from everyone (suggest what any coder accepted, not only what I accepted)",
    );
    ui.separator();
    if ui
        .add_enabled(error.is_none(), egui::Button::new("Save"))
        .clicked()
    {
        commands.push(Command::SaveCoderSettings(draft.clone()));
    }
}
